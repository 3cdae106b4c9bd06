/**
 * "May a token with these SIDs read the gMSA's password?": AccessCheck over the DACL of msDS-GroupMSAMembership,
 * the way Windows does it (ACEs in stored order; the first ACE that denies a needed right decides; the right is
 * granted once allow ACEs have granted it). Pure, no I/O.
 */
import type { Ace, SecurityDescriptor, SidNames } from './security-descriptor.js';
import { ACE_FLAGS, aceToSddl } from './security-descriptor.js';
import { wellKnownSidName } from './sid.js';

export const RIGHTS = {
  DS_CREATE_CHILD: 0x1,
  DS_DELETE_CHILD: 0x2,
  DS_LIST_CONTENTS: 0x4,
  DS_SELF: 0x8,
  DS_READ_PROPERTY: 0x10,
  DS_WRITE_PROPERTY: 0x20,
  DS_DELETE_TREE: 0x40,
  DS_LIST_OBJECT: 0x80,
  DS_CONTROL_ACCESS: 0x100,
  DELETE: 0x10000,
  READ_CONTROL: 0x20000,
  WRITE_DAC: 0x40000,
  WRITE_OWNER: 0x80000,
  GENERIC_ALL: 0x10000000,
  GENERIC_EXECUTE: 0x20000000,
  GENERIC_WRITE: 0x40000000,
  GENERIC_READ: 0x80000000,
} as const;

/** What Set-ADServiceAccount -PrincipalsAllowedToRetrieveManagedPassword writes: every standard and DS right. */
export const FULL_CONTROL_MASK = 0xf01ff;

/** Active Directory's generic mapping ([MS-ADTS] 5.1.3.2.1 / [MS-DTYP]): generic bits mean these specific rights. */
const DS_GENERIC_MAPPING: [number, number][] = [
  [RIGHTS.GENERIC_READ, 0x20094],
  [RIGHTS.GENERIC_WRITE, 0x20028],
  [RIGHTS.GENERIC_EXECUTE, 0x20004],
  [RIGHTS.GENERIC_ALL, FULL_CONTROL_MASK],
];

/**
 * The schemaIDGUID of the gMSA password attribute: an object ACE limited to this property type still applies to
 * the password read; an object ACE limited to any other property does not.
 */
export const PASSWORD_ATTRIBUTE_SCHEMA_GUID = 'e362ed86-b728-0842-b27d-2dea7a9df218';

/** The specific rights an ACE mask means once generic bits are mapped. */
export function effectiveMask(mask: number): number {
  let effective = mask & 0x0fffffff;
  for (const [generic, specific] of DS_GENERIC_MAPPING) if ((mask & generic) >>> 0 !== 0) effective |= specific;
  return effective >>> 0;
}

export function grantsPasswordRead(mask: number): boolean {
  return (effectiveMask(mask) & RIGHTS.DS_READ_PROPERTY) !== 0;
}

/** Why a mask does or does not carry read-property, in words. */
export function describeMask(mask: number): string {
  const hex = `0x${(mask >>> 0).toString(16)}`;
  if ((mask & RIGHTS.GENERIC_ALL) !== 0) return `${hex} (GENERIC_ALL, which includes read-property)`;
  if ((mask & RIGHTS.GENERIC_READ) >>> 0 !== 0) return `${hex} (GENERIC_READ, which includes read-property)`;
  if ((mask & FULL_CONTROL_MASK) === FULL_CONTROL_MASK) return `${hex} (full control)`;
  if (mask & RIGHTS.DS_READ_PROPERTY) return `${hex} (includes read-property 0x10)`;
  return `${hex} (no read-property)`;
}

export interface DecidingAce {
  /** 0-based position in the DACL. */
  index: number;
  ace: Ace;
  sddl: string;
  /** The token's SID the ACE matched. */
  matchedSid: string;
}

export interface PasswordReadDecision {
  allowed: boolean;
  /** The ACE that decided: the allow ACE that granted the right, or the deny ACE that refused it. */
  decidedBy?: DecidingAce;
  /** Why, in one sentence a person can act on. */
  reason: string;
  /** Every SID an applicable allow ACE grants the right to, in DACL order. */
  allowedPrincipals: string[];
  /** Every SID an applicable deny ACE refuses the right to, in DACL order. */
  deniedPrincipals: string[];
}

function appliesToPasswordRead(ace: Ace): boolean {
  if (ace.flags & ACE_FLAGS.INHERIT_ONLY) return false;
  if (ace.objectType !== undefined && ace.objectType.toLowerCase() !== PASSWORD_ATTRIBUTE_SCHEMA_GUID) return false;
  return ace.kind === 'allow' || ace.kind === 'deny';
}

function label(sid: string, names?: SidNames): string {
  const name = names?.get(sid) ?? wellKnownSidName(sid);
  return name ? `${name} (${sid})` : sid;
}

/** The principals a descriptor lets read the password, whatever the token. */
export function principalsWithPasswordRead(sd: SecurityDescriptor): { allowed: string[]; denied: string[] } {
  const allowed: string[] = [];
  const denied: string[] = [];
  for (const ace of sd.dacl?.aces ?? []) {
    if (!appliesToPasswordRead(ace) || !grantsPasswordRead(ace.mask)) continue;
    const list = ace.kind === 'allow' ? allowed : denied;
    if (!list.includes(ace.sid)) list.push(ace.sid);
  }
  return { allowed, denied };
}

/**
 * Decides whether a token holding `tokenSids` (the host's objectSid, its tokenGroups and the well-known SIDs of a
 * computer logon) may read the gMSA password under `sd`, and names the ACE that decided.
 */
export function evaluatePasswordRead(
  sd: SecurityDescriptor,
  tokenSids: readonly string[],
  names?: SidNames,
): PasswordReadDecision {
  const { allowed: allowedPrincipals, denied: deniedPrincipals } = principalsWithPasswordRead(sd);
  const base = { allowedPrincipals, deniedPrincipals };
  if (sd.dacl === undefined)
    return { ...base, allowed: true, reason: 'the descriptor has no DACL, which grants everyone every right' };
  if (sd.dacl === null)
    return { ...base, allowed: true, reason: 'the descriptor has a NULL DACL, which grants everyone every right' };
  if (sd.dacl.aces.length === 0)
    return { ...base, allowed: false, reason: 'the DACL is empty: nobody may read the password' };
  const token = new Set(tokenSids);
  for (const [index, ace] of sd.dacl.aces.entries()) {
    if (!token.has(ace.sid) || !appliesToPasswordRead(ace) || !grantsPasswordRead(ace.mask)) continue;
    const decidedBy: DecidingAce = { index, ace, sddl: aceToSddl(ace, names), matchedSid: ace.sid };
    const position = `ACE #${index + 1} ${decidedBy.sddl}`;
    if (ace.kind === 'deny') {
      return {
        ...base,
        allowed: false,
        decidedBy,
        reason: `${position} denies ${label(ace.sid, names)} read-property ${describeMask(ace.mask)}, and a deny ACE met first wins`,
      };
    }
    return {
      ...base,
      allowed: true,
      decidedBy,
      reason: `${position} allows ${label(ace.sid, names)} ${describeMask(ace.mask)}`,
    };
  }
  return { ...base, allowed: false, reason: 'no ACE grants read-property to the host or to any of its groups' };
}
