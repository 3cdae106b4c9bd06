/**
 * The GMSACredentialSpec CRD as kubernetes-sigs/windows-gmsa ships it today (admission-webhook/deploy/gmsa-crd.yml
 * at 993de21: every credspec property typed, HostAccountConfig included, no preserve-unknown-fields): what `k8s lint`
 * prunes and validates a credspec manifest with when the linted files hold no CRD. Pure data.
 */
import type { JSONSchemaProps } from '../protocol/k8s/structural-schema.js';

export const GMSA_CRD_NAME = 'gmsacredentialspecs.windows.k8s.io';
export const GMSA_GROUP = 'windows.k8s.io';

const string: JSONSchemaProps = { type: 'string' };

export const CURRENT_CREDSPEC_SCHEMA: JSONSchemaProps = {
  type: 'object',
  properties: {
    credspec: {
      description: 'GMSA Credential Spec',
      type: 'object',
      properties: {
        ActiveDirectoryConfig: {
          type: 'object',
          properties: {
            GroupManagedServiceAccounts: {
              type: 'array',
              items: { type: 'object', properties: { Name: string, Scope: string } },
            },
            HostAccountConfig: {
              type: 'object',
              properties: { PluginGUID: string, PluginInput: string, PortableCcgVersion: string },
            },
          },
        },
        CmsPlugins: { type: 'array', items: string },
        DomainJoinConfig: {
          type: 'object',
          properties: {
            DnsName: string,
            DnsTreeName: string,
            Guid: string,
            MachineAccountName: string,
            NetBiosName: string,
            Sid: string,
          },
        },
      },
    },
  },
};

/** A credspec with every field a pod may need, to see which ones a CRD's schema keeps. */
export const EVERY_CREDSPEC_FIELD = {
  CmsPlugins: ['ActiveDirectory'],
  DomainJoinConfig: { Sid: 's', MachineAccountName: 's', Guid: 's', DnsTreeName: 's', DnsName: 's', NetBiosName: 's' },
  ActiveDirectoryConfig: {
    GroupManagedServiceAccounts: [{ Name: 's', Scope: 's' }],
    HostAccountConfig: { PortableCcgVersion: '1', PluginGUID: 's', PluginInput: 's' },
  },
};
