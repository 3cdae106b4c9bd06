/**
 * Active Directory objects as the AD module prints them (list view): `Get-ADDomain` (DomainSID, ObjectGUID,
 * NetBIOSName, DNSRoot: enough to check a credential spec offline), `Get-ADServiceAccount` (PrincipalsAllowedTo-
 * RetrieveManagedPassword, HostComputers, Enabled), `Get-ADComputer`, `Get-ADUser`.
 */
import { parseGetAdDomain } from '../../protocol/parsers/powershell.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { AdObjectData } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';
import { listRecords, type ListRecord } from './format-list.js';

const CMDLETS: Readonly<Record<string, AdObjectData['objectType']>> = {
  'get-addomain': 'domain',
  'get-adserviceaccount': 'service-account',
  'get-adcomputer': 'computer',
  'get-aduser': 'user',
};

function typeOf(record: ListRecord, cmdlet: string | undefined): AdObjectData['objectType'] {
  const objectClass = (record.fields.ObjectClass ?? '').toLowerCase();
  if (objectClass === 'domaindns' || ('DNSRoot' in record.fields && 'DomainSID' in record.fields)) return 'domain';
  if (
    /managedserviceaccount/.test(objectClass) ||
    /^CN=[^,]+,CN=Managed Service Accounts,/i.test(record.fields.DistinguishedName ?? '')
  )
    return 'service-account';
  if (objectClass === 'computer') return 'computer';
  if (objectClass === 'user') return 'user';
  return cmdlet && Object.hasOwn(CMDLETS, cmdlet) ? CMDLETS[cmdlet]! : 'unknown';
}

/** `{CN=a,DC=x, CN=b,DC=x}` -> the DNs (PowerShell prints collections in braces). */
function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const inner = value.replace(/^\{|\}$/g, '').trim();
  if (inner === '') return [];
  // Items are separated by ", "; the parts of a DN by "," alone.
  return inner
    .split(/,\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const QUOTED_FIELDS = [
  'DistinguishedName',
  'DNSRoot',
  'NetBIOSName',
  'DomainSID',
  'ObjectGUID',
  'SID',
  'SamAccountName',
  'Enabled',
  'PrincipalsAllowedToRetrieveManagedPassword',
  'HostComputers',
  'DNSHostName',
];

export function recogniseAdObjects(block: Block): Recognition {
  const cmdlet = /(?:^|[\s=|(])(Get-AD(?:Domain|ServiceAccount|Computer|User))\b/i
    .exec(block.command?.text ?? '')?.[1]
    ?.toLowerCase();
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const record of listRecords(block.lines)) {
    const f = record.fields;
    const objectType = typeOf(record, cmdlet);
    if (!('DistinguishedName' in f) || (objectType === 'unknown' && !cmdlet)) continue;
    const data: AdObjectData = compact({
      cmdlet: cmdlet ? block.command?.text.match(/Get-AD\w+/i)?.[0] : undefined,
      objectType,
      fields: f,
      distinguishedName: f.DistinguishedName,
      name: f.Name,
      samAccountName: f.SamAccountName ?? f.sAMAccountName,
      sid: f.SID ?? f.DomainSID,
      objectGuid: f.ObjectGUID,
      enabled: f.Enabled === undefined ? undefined : /^true$/i.test(f.Enabled),
      dnsHostName: f.DNSHostName,
      domain: objectType === 'domain' ? parseGetAdDomain(record.lines.map((l) => l.text).join('\n')) : undefined,
      principalsAllowedToRetrieveManagedPassword: list(f.PrincipalsAllowedToRetrieveManagedPassword),
      hostComputers: list(f.HostComputers),
      servicePrincipalNames: list(f.ServicePrincipalNames),
    });
    const quote = QUOTED_FIELDS.map((k) => record.fieldLines[k]).filter((l): l is NormalisedLine => !!l);
    items.push(makeItem('ad-object', quote, data, { extent: record.lines }));
    for (const entry of record.lines) read.push(entry);
  }
  return { items, read };
}
