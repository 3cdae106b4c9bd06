import { hresultFacility, ntFacility } from './facilities.js';
import { BY_VALUE, lookupName, type TableKind } from './registry.js';
import { AD_BIND_SUBCODES } from './tables/ldap.js';
import type { StatusCandidate, StatusEntry, StatusHint, StatusKind } from './types.js';

const FACILITY_NT_BIT = 0x10000000;
const FACILITY_WIN32_PREFIX = 0x8007;
/** MIT krb5 reports protocol error n as ERROR_TABLE_BASE_krb5 + n (-1765328384 + n); codes up to 127 are the protocol's. */
const KRB5_ERROR_TABLE_BASE = 0x96c73a00;

export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function shortHex(value: number): string {
  return `0x${value.toString(16)}`;
}

function fromEntry(kind: StatusKind, value: number, entry: StatusEntry | undefined, hex: string): StatusCandidate {
  return {
    value,
    hex,
    kind,
    known: entry !== undefined,
    ...(entry ? { name: entry.name, text: entry.text } : {}),
    ...(entry?.meaning ? { meaning: entry.meaning } : {}),
  };
}

function lookup(kind: TableKind, value: number): StatusCandidate | undefined {
  const entry = BY_VALUE[kind].get(value);
  if (!entry) return undefined;
  const wide = kind !== 'Win32' && kind !== 'Kerberos' && kind !== 'LDAP';
  const candidate = fromEntry(kind, value, entry, wide ? hex32(value) : shortHex(value));
  const facility = kind === 'NTSTATUS' ? ntFacility(value) : wide ? hresultFacility(value) : undefined;
  return facility ? { ...candidate, facility } : candidate;
}

/** A value of the right shape that no table names. */
function unknownWide(kind: 'NTSTATUS' | 'HRESULT', value: number): StatusCandidate {
  const candidate = fromEntry(kind, value, undefined, hex32(value));
  const facility = kind === 'NTSTATUS' ? ntFacility(value) : hresultFacility(value);
  return facility ? { ...candidate, facility } : candidate;
}

/** An NTSTATUS-shaped value: our NTSTATUS table, then the HCS codes (ERROR_VMCOMPUTE_* are NTSTATUS-shaped). */
function ntLike(value: number): StatusCandidate {
  return lookup('NTSTATUS', value) ?? lookup('HCS', value) ?? unknownWide('NTSTATUS', value);
}

/** A wrapper takes its name, text and meaning from the code inside, unless the headers name the wrapper itself. */
function wrap(kind: StatusKind, value: number, inner: StatusCandidate, own?: StatusEntry): StatusCandidate {
  const meaning = inner.meaning ?? own?.meaning;
  const name = own?.name ?? inner.name;
  const text = inner.text ?? own?.text;
  const facility = kind === 'HRESULT_FROM_WIN32' ? 'FACILITY_WIN32' : inner.facility;
  return {
    value,
    hex: hex32(value),
    kind,
    ...(facility ? { facility } : {}),
    known: inner.known || own !== undefined,
    ...(name ? { name } : {}),
    ...(text ? { text } : {}),
    ...(meaning ? { meaning } : {}),
    inner,
  };
}

/** HRESULT_FROM_NT sets winerror.h's N bit on an error, warning or informational NTSTATUS. */
function isHresultFromNt(value: number): boolean {
  return (value & FACILITY_NT_BIT) !== 0 && (value & 0xc0000000) !== 0;
}

function krb5ComErr(value: number): StatusCandidate | undefined {
  const code = value - KRB5_ERROR_TABLE_BASE;
  if (code < 0 || code > 127) return undefined;
  const kerberos = lookup('Kerberos', code);
  return kerberos
    ? { ...kerberos, facility: `MIT krb5 error table (${value | 0} = ERROR_TABLE_BASE_krb5 + ${code})` }
    : undefined;
}

function decodeWide(value: number): StatusCandidate[] {
  const mit = krb5ComErr(value);
  if (mit) return [mit];
  if (isHresultFromNt(value)) return [wrap('HRESULT_FROM_NT', value, ntLike((value & ~FACILITY_NT_BIT) >>> 0))];
  if (value >>> 16 === FACILITY_WIN32_PREFIX) {
    const code = value & 0xffff;
    const inner = lookup('Win32', code) ?? fromEntry('Win32', code, undefined, shortHex(code));
    return [wrap('HRESULT_FROM_WIN32', value, inner, BY_VALUE.HRESULT.get(value))];
  }
  const known = [lookup('HCS', value), lookup('HCN', value), lookup('NTSTATUS', value), lookup('HRESULT', value)];
  const found = known.filter((c): c is StatusCandidate => c !== undefined);
  if (found.length > 0) return found;
  return value >>> 31 === 1 ? [structural(value)] : [];
}

/** The shape of an error value no table names: NTSTATUS when both severity bits are set, else HRESULT. */
function structural(value: number): StatusCandidate {
  return unknownWide(value >>> 30 === 3 ? 'NTSTATUS' : 'HRESULT', value);
}

const SMALL_ORDER: Record<StatusHint | 'default', TableKind[]> = {
  default: ['Win32', 'Kerberos', 'LDAP', 'NTSTATUS'],
  win32: ['Win32', 'Kerberos', 'LDAP', 'NTSTATUS'],
  kerberos: ['Kerberos', 'Win32', 'LDAP', 'NTSTATUS'],
  ldap: ['LDAP', 'Win32', 'Kerberos', 'NTSTATUS'],
  ntstatus: ['NTSTATUS', 'Win32', 'Kerberos', 'LDAP'],
};

function decodeSmall(value: number, hint: StatusHint | undefined): StatusCandidate[] {
  const found = SMALL_ORDER[hint ?? 'default']
    .map((kind) => lookup(kind, value))
    .filter((c): c is StatusCandidate => c !== undefined);
  return found.length > 0 ? found : [fromEntry('Win32', value, undefined, shortHex(value))];
}

/** Every interpretation of a number, most likely first; negative numbers are read as their 32-bit pattern. */
export function decodeNumber(input: number, hint?: StatusHint): StatusCandidate[] {
  if (!Number.isInteger(input) || input < -0x80000000 || input > 0xffffffff) return [];
  const value = input >>> 0;
  return value <= 0xffff ? decodeSmall(value, hint) : decodeWide(value);
}

/** AD's "data NNN" sub-code of an invalidCredentials bind: a Win32 error (or SSPI HRESULT) in hex. */
export function decodeAdSubcode(code: number): StatusCandidate[] {
  const value = code >>> 0;
  const inner =
    (value <= 0xffff ? lookup('Win32', value) : decodeWide(value)[0]) ??
    fromEntry('Win32', value, undefined, shortHex(value));
  const meaning = AD_BIND_SUBCODES.get(value) ?? inner.meaning;
  return [
    {
      value,
      hex: value <= 0xffff ? shortHex(value) : hex32(value),
      kind: 'AD sub-code',
      known: inner.known || AD_BIND_SUBCODES.has(value),
      ...(inner.name ? { name: inner.name } : {}),
      ...(inner.text ? { text: inner.text } : {}),
      ...(meaning ? { meaning } : {}),
      inner,
    },
  ];
}

/** The candidates a symbolic name stands for: the entry itself (a HRESULT_FROM_WIN32 alias keeps its wrapper). */
export function decodeName(name: string): StatusCandidate[] {
  const named = lookupName(name);
  if (!named) return [];
  const { kind, entry } = named;
  if (kind === 'HRESULT' || kind === 'NTSTATUS' || kind === 'HCS' || kind === 'HCN') {
    const wide = decodeWide(entry.value).filter((c) => c.name === entry.name || c.inner?.name === entry.name);
    if (wide.length > 0) return wide;
  }
  const candidate = lookup(kind, entry.value);
  return candidate ? [{ ...candidate, name: entry.name }] : [];
}
