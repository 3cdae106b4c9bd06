/**
 * What a credential spec names is read in one place, the way the rules read keys (exact spelling, else without
 * case): a key written in the wrong case is a warning of credspec/unknown-keys, and everything else still sees the
 * account, the domain and the plug-in it names.
 */
import { describe, expect, it } from 'vitest';
import { credspecIdentity, gmsasOf, pluginGuidsOf } from '../../../src/credspec/identity.js';
import { lintObject, NON_DOMAIN_JOINED, sample, validSpec } from './helpers.js';

/** The guide's example with every key of DomainJoinConfig and ActiveDirectoryConfig written in lower camel case. */
function lowerCamel(spec: Record<string, any>): Record<string, any> {
  const rename = (o: Record<string, any>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]));
  return {
    ...spec,
    domainJoinConfig: rename(spec.DomainJoinConfig),
    DomainJoinConfig: undefined,
    activeDirectoryConfig: spec.ActiveDirectoryConfig,
    ActiveDirectoryConfig: undefined,
  };
}

describe('credential spec identity', () => {
  it('reads the guide example: the gMSA, its two entries, the domain', () => {
    const identity = credspecIdentity(validSpec());
    expect(identity).toMatchObject({
      gmsa: 'webapp01',
      accounts: ['webapp01'],
      dnsName: { value: 'contoso.com', field: 'DomainJoinConfig.DnsName' },
      sid: { value: 'S-1-5-21-702590844-1001920913-2680819671', field: 'DomainJoinConfig.Sid' },
    });
    expect(identity.gmsaEntries.map((e) => [e.name.field, e.scope?.value])).toEqual([
      ['ActiveDirectoryConfig.GroupManagedServiceAccounts[0].Name', 'contoso.com'],
      ['ActiveDirectoryConfig.GroupManagedServiceAccounts[1].Name', 'CONTOSO'],
    ]);
  });

  it('reads keys in another case like the rules do, naming the fields as the document spells them', () => {
    const spec = JSON.parse(JSON.stringify(lowerCamel(validSpec())));
    // The rules read it (only the key case is wrong) ...
    expect(lintObject(spec).filter((f) => f.severity === 'error')).toEqual([]);
    expect(
      lintObject(spec).some((f) => f.id === 'credspec/unknown-keys' && /did you mean DomainJoinConfig/.test(f.message)),
    ).toBe(true);
    // ... and so does everything else: discovery, the exec probe, the known issues, credspec/matches-domain.
    const identity = credspecIdentity(spec);
    expect(gmsasOf([{ spec }])).toEqual(['webapp01']);
    expect(identity.dnsName).toEqual({ value: 'contoso.com', field: 'domainJoinConfig.dnsName' });
    expect(identity.machineAccountName?.field).toBe('domainJoinConfig.machineAccountName');
  });

  it('reads the plug-in GUID braced and in upper case, once per GUID', () => {
    const spec = JSON.parse(sample(NON_DOMAIN_JOINED)) as Record<string, any>;
    const guid = spec.ActiveDirectoryConfig.HostAccountConfig.PluginGUID as string;
    const lower = {
      ...spec,
      ActiveDirectoryConfig: {
        ...spec.ActiveDirectoryConfig,
        HostAccountConfig: undefined,
        hostAccountConfig: { pluginGUID: guid.toLowerCase() },
      },
    };
    expect(pluginGuidsOf([{ spec }, { spec: JSON.parse(JSON.stringify(lower)) }])).toEqual([guid.toUpperCase()]);
  });

  it('skips what cannot be an account name, and takes names without the $ once each', () => {
    const spec = {
      DomainJoinConfig: { MachineAccountName: 'WebApp01$' },
      ActiveDirectoryConfig: {
        GroupManagedServiceAccounts: [
          { Name: 'webapp01', Scope: 'contoso.com' },
          { Name: 'CONTOSO\\LogApp', Scope: 'CONTOSO' },
          { Name: 42 },
        ],
      },
    };
    expect(credspecIdentity(spec)).toMatchObject({ gmsa: 'WebApp01', accounts: ['WebApp01'] });
    expect(credspecIdentity('not an object')).toEqual({ gmsaEntries: [], accounts: [] });
  });
});
