/**
 * What a credential spec names: its gMSA and other accounts, its domain, its CCG plug-in. The one reader of those
 * fields: keys are read as the rules read them (exact spelling first, then without regard to case), so a spec the
 * rules accept with a warning about a key's case names the same account everywhere.
 */
import { fieldPath } from './positions.js';
import { isObject, lookup } from './values.js';

/** A string value of the spec and the field path it was read from, as the document spells it. */
export interface SpecValue {
  value: string;
  field: string;
}

export interface CredSpecIdentity {
  sid?: SpecValue;
  guid?: SpecValue;
  dnsName?: SpecValue;
  dnsTreeName?: SpecValue;
  netbiosName?: SpecValue;
  machineAccountName?: SpecValue;
  /** ActiveDirectoryConfig.GroupManagedServiceAccounts entries that have a string Name. */
  gmsaEntries: { name: SpecValue; scope?: SpecValue }[];
  pluginGuid?: SpecValue;
  /** The account the container runs as: MachineAccountName, else the first entry's Name; bare (no $). */
  gmsa?: string;
  /** Every account the spec names, MachineAccountName first, bare and once each (names compare without case). */
  accounts: string[];
}

function text(parent: unknown, key: string, at: string): SpecValue | undefined {
  const found = lookup(parent, key);
  if (typeof found?.value !== 'string' || found.value.trim() === '') return undefined;
  return { value: found.value.trim(), field: fieldPath(at, found.key) };
}

function child(parent: unknown, key: string, at: string): { value: unknown; field: string } | undefined {
  const found = lookup(parent, key);
  return found && { value: found.value, field: fieldPath(at, found.key) };
}

/** `webapp01` for `WebApp01$ `; undefined for what cannot be a SAM account name. */
export function bareAccountName(name: string): string | undefined {
  const bare = name.trim().replace(/\$$/, '');
  return bare !== '' && /^[^"/\\[\]:;|=,+*?<>@\s]+$/.test(bare) ? bare : undefined;
}

export function credspecIdentity(spec: unknown): CredSpecIdentity {
  const join = child(spec, 'DomainJoinConfig', '');
  const dj = join?.value;
  const at = join?.field ?? 'DomainJoinConfig';
  const ad = child(spec, 'ActiveDirectoryConfig', '');
  const list = child(ad?.value, 'GroupManagedServiceAccounts', ad?.field ?? 'ActiveDirectoryConfig');
  const entries = Array.isArray(list?.value) ? list.value : [];
  const gmsaEntries = entries.flatMap((entry, i) => {
    const itemField = fieldPath(list!.field, i);
    const name = isObject(entry) ? text(entry, 'Name', itemField) : undefined;
    const scope = isObject(entry) ? text(entry, 'Scope', itemField) : undefined;
    return name ? [{ name, ...(scope ? { scope } : {}) }] : [];
  });
  const host = child(ad?.value, 'HostAccountConfig', ad?.field ?? 'ActiveDirectoryConfig');
  const machineAccountName = text(dj, 'MachineAccountName', at);
  const named = [machineAccountName?.value, ...gmsaEntries.map((e) => e.name.value)].flatMap((n) =>
    n ? (bareAccountName(n) ?? []) : [],
  );
  const accounts = uniqueNames(named);
  const identity: CredSpecIdentity = {
    sid: text(dj, 'Sid', at),
    guid: text(dj, 'Guid', at),
    dnsName: text(dj, 'DnsName', at),
    dnsTreeName: text(dj, 'DnsTreeName', at),
    netbiosName: text(dj, 'NetBiosName', at),
    machineAccountName,
    gmsaEntries,
    pluginGuid: text(host?.value, 'PluginGUID', host?.field ?? ''),
    gmsa: bareAccountName(machineAccountName?.value ?? gmsaEntries[0]?.name.value ?? ''),
    accounts,
  };
  return Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined)) as unknown as CredSpecIdentity;
}

/** Names once each, compared without case, in their first spelling. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}

/** A PluginGUID as CCG registers it: braces, upper case. */
function bracedGuid(guid: string): string {
  return `{${guid
    .trim()
    .replace(/^\{|\}$/g, '')
    .toUpperCase()}}`;
}

/** The PluginGUIDs the credential specs name (non-domain-joined hosts), braced, once each. */
export function pluginGuidsOf(documents: readonly { spec: unknown }[]): string[] {
  return [...new Set(documents.flatMap((d) => credspecIdentity(d.spec).pluginGuid?.value ?? []).map(bracedGuid))];
}

/** The gMSA each credential spec runs as, once each. */
export function gmsasOf(documents: readonly { spec: unknown }[]): string[] {
  return uniqueNames(documents.flatMap((d) => credspecIdentity(d.spec).gmsa ?? []));
}
