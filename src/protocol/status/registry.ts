import { HCN_TABLE } from './tables/hcn.js';
import { HCS_TABLE } from './tables/hcs.js';
import { HRESULT_TABLE } from './tables/hresult.js';
import { KERBEROS_TABLE } from './tables/kerberos.js';
import { LDAP_TABLE } from './tables/ldap.js';
import { NTSTATUS_TABLE } from './tables/ntstatus.js';
import { WIN32_TABLE } from './tables/win32.js';
import type { StatusEntry, StatusKind } from './types.js';

/** The tables by the kind their entries are read as. HRESULT_FROM_NT/WIN32 and AD sub-codes reuse these. */
export const TABLES = {
  Win32: WIN32_TABLE,
  NTSTATUS: NTSTATUS_TABLE,
  HRESULT: HRESULT_TABLE,
  HCS: HCS_TABLE,
  HCN: HCN_TABLE,
  Kerberos: KERBEROS_TABLE,
  LDAP: LDAP_TABLE,
} as const satisfies Partial<Record<StatusKind, readonly StatusEntry[]>>;

export type TableKind = keyof typeof TABLES;

function byValue(entries: readonly StatusEntry[]): ReadonlyMap<number, StatusEntry> {
  return new Map(entries.map((e) => [e.value, e]));
}

export const BY_VALUE: Readonly<Record<TableKind, ReadonlyMap<number, StatusEntry>>> = {
  Win32: byValue(WIN32_TABLE),
  NTSTATUS: byValue(NTSTATUS_TABLE),
  HRESULT: byValue(HRESULT_TABLE),
  HCS: byValue(HCS_TABLE),
  HCN: byValue(HCN_TABLE),
  Kerberos: byValue(KERBEROS_TABLE),
  LDAP: byValue(LDAP_TABLE),
};

export interface NamedEntry {
  kind: TableKind;
  entry: StatusEntry;
}

function byName(): ReadonlyMap<string, NamedEntry> {
  const names = new Map<string, NamedEntry>();
  for (const [kind, entries] of Object.entries(TABLES) as [TableKind, readonly StatusEntry[]][]) {
    for (const entry of entries) {
      for (const name of [entry.name, ...(entry.aliases ?? [])]) if (!names.has(name)) names.set(name, { kind, entry });
    }
  }
  return names;
}

/** Every name and alias of every table, exactly as the headers spell it. */
export const BY_NAME: ReadonlyMap<string, NamedEntry> = byName();

/** Finds a name as written, then upper-cased, then MIT krb5's spelling (KRB5KDC_ERR_X is KDC_ERR_X). */
export function lookupName(name: string): NamedEntry | undefined {
  const exact = BY_NAME.get(name) ?? BY_NAME.get(name.toUpperCase());
  if (exact) return exact;
  const mit = /^KRB5(KDC_ERR_|KRB_AP_ERR_|KRB_ERR_)/i.exec(name);
  return mit ? BY_NAME.get(name.slice(4).toUpperCase()) : undefined;
}
