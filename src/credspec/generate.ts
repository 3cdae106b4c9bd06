/**
 * A credential spec written exactly as New-CredentialSpec (CredentialSpec.psm1) writes it on Windows PowerShell
 * 5.1: a hashtable piped to `ConvertTo-Json -Depth 5 | Out-File -Encoding ascii`. That gives the hashtable's key
 * order, PowerShell 5.1's alignment (two spaces after the colon, nested values indented under their key), CRLF
 * line endings and a final CRLF. The key order and layout are those of real output
 * (test/fixtures/ad/xiaoping8385-TKGi-GMSA__WebApp01.json). Pure, no I/O.
 */
import { stringify } from 'yaml';
import type { CredSpec } from './model.js';

export interface CredSpecDomain {
  dnsName: string;
  netbiosName: string;
  forestDnsName: string;
  sid: string;
  guid: string;
}

export interface AdditionalAccount {
  name: string;
  /** The domain of the account (New-CredentialSpec's hashtable form); defaults to the main domain's DNS name. */
  domain?: string;
}

/** The credential spec New-CredentialSpec builds, in the key order its output shows. */
export function buildCredSpec(
  domain: CredSpecDomain,
  account: string,
  additional: readonly AdditionalAccount[] = [],
): CredSpec {
  const name = account.replace(/\$$/, '');
  return {
    CmsPlugins: ['ActiveDirectory'],
    DomainJoinConfig: {
      Sid: domain.sid,
      DnsName: domain.dnsName,
      MachineAccountName: name,
      DnsTreeName: domain.forestDnsName,
      Guid: domain.guid,
      NetBiosName: domain.netbiosName,
    },
    ActiveDirectoryConfig: {
      GroupManagedServiceAccounts: [
        { Name: name, Scope: domain.dnsName },
        { Name: name, Scope: domain.netbiosName },
        ...additional.map((a) => ({ Name: a.name.replace(/\$$/, ''), Scope: a.domain ?? domain.dnsName })),
      ],
    },
  };
}

/** New-CredentialSpec's default file name: `<netbios>_<account>.json`, lower-cased. */
export function defaultCredSpecFileName(netbiosName: string, account: string): string {
  return `${netbiosName.toLowerCase()}_${account.replace(/\$$/, '').toLowerCase()}.json`;
}

// JavaScriptSerializer (behind PowerShell 5.1's ConvertTo-Json) escapes these as \u00XX.
const HTML_SENSITIVE = /[<>&']/g;

function jsonString(value: string): string {
  return JSON.stringify(value).replace(HTML_SENSITIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** PowerShell 5.1 ConvertTo-Json layout: a nested value's lines are indented 4 past the column where it opens. */
function psJson(value: unknown, column: number): string {
  const pad = (n: number): string => ' '.repeat(n);
  if (Array.isArray(value)) {
    const items = value.map((item) => pad(column + 4) + psJson(item, column + 4));
    return `[\r\n${items.join(',\r\n')}\r\n${pad(column)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const lines = entries.map(([key, v]) => {
      const head = `${jsonString(key)}:  `;
      return pad(column + 4) + head + psJson(v, column + 4 + head.length);
    });
    return `{\r\n${lines.join(',\r\n')}\r\n${pad(column)}}`;
  }
  if (typeof value === 'string') return jsonString(value);
  return JSON.stringify(value) ?? 'null';
}

/** The file's text, byte for byte as New-CredentialSpec writes it (ASCII, CRLF). */
export function renderCredSpecJson(spec: CredSpec): string {
  // Windows PowerShell 5.1 leaves a space after the opening brace of the document (see the real sample).
  return `${psJson(spec, 0).replace(/^\{\r\n/, '{ \r\n')}\r\n`;
}

/** The same spec as a Kubernetes GMSACredentialSpec resource (windows.k8s.io/v1). */
export function renderCredSpecResource(spec: CredSpec, account: string): string {
  const resource = {
    apiVersion: 'windows.k8s.io/v1',
    kind: 'GMSACredentialSpec',
    metadata: { name: `gmsa-${account.replace(/\$$/, '').toLowerCase()}` },
    credspec: spec,
  };
  return stringify(resource, { lineWidth: 0 });
}
