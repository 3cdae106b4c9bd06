/**
 * Security identifiers ([MS-DTYP] 2.4.2): the binary form AD stores (objectSid, tokenGroups, ACEs) and the
 * `S-1-5-21-...` string form people read. Pure, no I/O.
 */
export class SidError extends Error {}

const MAX_SUB_AUTHORITIES = 15;

/** Decodes a binary SID starting at `offset`; returns the string and the byte length it used. */
export function readSid(bytes: Uint8Array, offset = 0): { sid: string; length: number } {
  if (bytes.length < offset + 8)
    throw new SidError(`SID at byte ${offset}: needs 8 bytes, ${bytes.length - offset} left`);
  const revision = bytes[offset]!;
  const count = bytes[offset + 1]!;
  if (revision !== 1) throw new SidError(`SID at byte ${offset}: revision ${revision}, expected 1`);
  if (count > MAX_SUB_AUTHORITIES)
    throw new SidError(`SID at byte ${offset}: ${count} sub-authorities, at most 15 allowed`);
  const length = 8 + 4 * count;
  if (bytes.length < offset + length) {
    throw new SidError(
      `SID at byte ${offset}: ${count} sub-authorities need ${length} bytes, ${bytes.length - offset} left`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  // The identifier authority is a 48-bit big-endian number; the sub-authorities are little-endian 32-bit.
  const authority = view.getUint16(2) * 2 ** 32 + view.getUint32(4);
  const parts = [`S-1-${authorityText(authority)}`];
  for (let i = 0; i < count; i++) parts.push(String(view.getUint32(8 + 4 * i, true)));
  return { sid: parts.join('-'), length };
}

/** The string form of a whole binary SID (the value must hold exactly one SID). */
export function sidToString(bytes: Uint8Array): string {
  const { sid, length } = readSid(bytes);
  if (length !== bytes.length) throw new SidError(`SID: ${bytes.length} bytes given, the SID uses ${length}`);
  return sid;
}

const SID_PATTERN = /^S-1-(\d+|0x[0-9a-fA-F]{1,12})((?:-\d+)*)$/i;

/** The binary form of `S-1-...`; throws SidError naming what is wrong. */
export function sidToBytes(text: string): Uint8Array {
  const match = SID_PATTERN.exec(text.trim());
  if (!match) throw new SidError(`"${text}" is not a SID (expected S-1-<authority>-<sub-authority>...)`);
  const authority = Number(match[1]);
  if (!Number.isSafeInteger(authority) || authority >= 2 ** 48)
    throw new SidError(`"${text}": identifier authority too large`);
  const subs = match[2] ? match[2].slice(1).split('-').map(Number) : [];
  if (subs.length > MAX_SUB_AUTHORITIES)
    throw new SidError(`"${text}": ${subs.length} sub-authorities, at most 15 allowed`);
  const bad = subs.find((n) => !Number.isSafeInteger(n) || n > 0xffffffff);
  if (bad !== undefined) throw new SidError(`"${text}": sub-authority ${bad} does not fit in 32 bits`);
  const bytes = new Uint8Array(8 + 4 * subs.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 1;
  bytes[1] = subs.length;
  view.setUint16(2, Math.floor(authority / 2 ** 32));
  view.setUint32(4, authority % 2 ** 32);
  subs.forEach((n, i) => view.setUint32(8 + 4 * i, n, true));
  return bytes;
}

export function isSid(text: string): boolean {
  try {
    sidToBytes(text);
    return true;
  } catch {
    return false;
  }
}

/** Canonical spelling (upper-case S, decimal numbers): two spellings of one SID compare equal after this. */
export function normalizeSid(text: string): string {
  return sidToString(sidToBytes(text));
}

function authorityText(authority: number): string {
  // [MS-DTYP]: authorities of 2^32 and above are written in hex.
  return authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
}

const DOMAIN_SID = /^S-1-5-21-\d+-\d+-\d+$/;
const ACCOUNT_SID = /^(S-1-5-21-\d+-\d+-\d+)-(\d+)$/;

/** `S-1-5-21-a-b-c` exactly: the SID of a domain (what a credential spec's Sid must be). */
export function isDomainSid(sid: string): boolean {
  return DOMAIN_SID.test(sid);
}

/** The domain part of an account SID (`S-1-5-21-a-b-c-RID` -> `S-1-5-21-a-b-c`), or undefined. */
export function domainOfSid(sid: string): string | undefined {
  return ACCOUNT_SID.exec(sid)?.[1];
}

export function ridOfSid(sid: string): number | undefined {
  const rid = ACCOUNT_SID.exec(sid)?.[2];
  return rid === undefined ? undefined : Number(rid);
}

/** Well-known SIDs by their SDDL alias and name ([MS-DTYP] 2.4.2.4). */
export const WELL_KNOWN_SIDS: Record<string, { alias?: string; name: string }> = {
  'S-1-1-0': { alias: 'WD', name: 'Everyone' },
  'S-1-3-0': { alias: 'CO', name: 'CREATOR OWNER' },
  'S-1-5-2': { alias: 'NU', name: 'NETWORK' },
  'S-1-5-4': { alias: 'IU', name: 'INTERACTIVE' },
  'S-1-5-9': { alias: 'ED', name: 'ENTERPRISE DOMAIN CONTROLLERS' },
  'S-1-5-10': { alias: 'PS', name: 'SELF' },
  'S-1-5-11': { alias: 'AU', name: 'Authenticated Users' },
  'S-1-5-15': { name: 'This Organization' },
  'S-1-5-18': { alias: 'SY', name: 'SYSTEM' },
  'S-1-5-32-544': { alias: 'BA', name: 'BUILTIN\\Administrators' },
  'S-1-5-32-545': { alias: 'BU', name: 'BUILTIN\\Users' },
  'S-1-5-32-548': { alias: 'AO', name: 'BUILTIN\\Account Operators' },
  'S-1-5-32-554': { alias: 'RU', name: 'BUILTIN\\Pre-Windows 2000 Compatible Access' },
  'S-1-18-1': { name: 'Authentication authority asserted identity' },
};

/** Well-known RIDs of a domain ([MS-DTYP] 2.4.2.4), with their SDDL aliases. */
export const WELL_KNOWN_DOMAIN_RIDS: Record<number, { alias?: string; name: string }> = {
  500: { alias: 'LA', name: 'Administrator' },
  512: { alias: 'DA', name: 'Domain Admins' },
  513: { alias: 'DU', name: 'Domain Users' },
  514: { alias: 'DG', name: 'Domain Guests' },
  515: { alias: 'DC', name: 'Domain Computers' },
  516: { alias: 'DD', name: 'Domain Controllers' },
  518: { alias: 'SA', name: 'Schema Admins' },
  519: { alias: 'EA', name: 'Enterprise Admins' },
};

/** SIDs every network logon token of an authenticated computer carries besides its own and its groups. */
export const COMPUTER_TOKEN_WELL_KNOWN_SIDS = ['S-1-1-0', 'S-1-5-2', 'S-1-5-11', 'S-1-5-15'] as const;

/** A readable name for a SID when it is well known (Everyone, Domain Computers...), else undefined. */
export function wellKnownSidName(sid: string): string | undefined {
  const known = WELL_KNOWN_SIDS[sid];
  if (known) return known.name;
  const rid = ridOfSid(sid);
  return rid === undefined ? undefined : WELL_KNOWN_DOMAIN_RIDS[rid]?.name;
}

/** The SDDL alias of a SID (BA, SY, DA...), when it has one. */
export function sddlAlias(sid: string): string | undefined {
  const known = WELL_KNOWN_SIDS[sid]?.alias;
  if (known) return known;
  const rid = ridOfSid(sid);
  return rid === undefined ? undefined : WELL_KNOWN_DOMAIN_RIDS[rid]?.alias;
}
