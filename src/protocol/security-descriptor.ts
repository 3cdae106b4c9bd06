/**
 * Self-relative SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6), as AD stores msDS-GroupMSAMembership, and an SDDL-like
 * rendering of it. Pure, no I/O.
 */
import { guidToString } from './guid.js';
import { readSid, sddlAlias } from './sid.js';

export class SecurityDescriptorError extends Error {}

export const ACE_TYPES = {
  ACCESS_ALLOWED: 0x00,
  ACCESS_DENIED: 0x01,
  SYSTEM_AUDIT: 0x02,
  ACCESS_ALLOWED_OBJECT: 0x05,
  ACCESS_DENIED_OBJECT: 0x06,
  SYSTEM_AUDIT_OBJECT: 0x07,
  ACCESS_ALLOWED_CALLBACK: 0x09,
  ACCESS_DENIED_CALLBACK: 0x0a,
  ACCESS_ALLOWED_CALLBACK_OBJECT: 0x0b,
  ACCESS_DENIED_CALLBACK_OBJECT: 0x0c,
} as const;

export const ACE_FLAGS = {
  OBJECT_INHERIT: 0x01,
  CONTAINER_INHERIT: 0x02,
  NO_PROPAGATE_INHERIT: 0x04,
  INHERIT_ONLY: 0x08,
  INHERITED: 0x10,
  SUCCESSFUL_ACCESS: 0x40,
  FAILED_ACCESS: 0x80,
} as const;

export const SD_CONTROL = {
  OWNER_DEFAULTED: 0x0001,
  GROUP_DEFAULTED: 0x0002,
  DACL_PRESENT: 0x0004,
  DACL_DEFAULTED: 0x0008,
  SACL_PRESENT: 0x0010,
  DACL_AUTO_INHERIT_REQ: 0x0100,
  DACL_AUTO_INHERITED: 0x0400,
  DACL_PROTECTED: 0x1000,
  SELF_RELATIVE: 0x8000,
} as const;

const OBJECT_TYPE_PRESENT = 0x1;
const INHERITED_OBJECT_TYPE_PRESENT = 0x2;

export type AceKind = 'allow' | 'deny' | 'audit' | 'other';

export interface Ace {
  type: number;
  kind: AceKind;
  flags: number;
  mask: number;
  sid: string;
  /** Object ACEs only: the property, property set or extended right the ACE is limited to. */
  objectType?: string;
  inheritedObjectType?: string;
}

export interface Acl {
  revision: number;
  aces: Ace[];
}

export interface SecurityDescriptor {
  revision: number;
  control: number;
  owner?: string;
  group?: string;
  /** undefined: no DACL present (everyone gets every right); null: a NULL DACL (likewise). */
  dacl: Acl | null | undefined;
  sacl?: Acl;
}

const KIND_OF_TYPE: Record<number, AceKind> = {
  [ACE_TYPES.ACCESS_ALLOWED]: 'allow',
  [ACE_TYPES.ACCESS_ALLOWED_OBJECT]: 'allow',
  [ACE_TYPES.ACCESS_ALLOWED_CALLBACK]: 'allow',
  [ACE_TYPES.ACCESS_ALLOWED_CALLBACK_OBJECT]: 'allow',
  [ACE_TYPES.ACCESS_DENIED]: 'deny',
  [ACE_TYPES.ACCESS_DENIED_OBJECT]: 'deny',
  [ACE_TYPES.ACCESS_DENIED_CALLBACK]: 'deny',
  [ACE_TYPES.ACCESS_DENIED_CALLBACK_OBJECT]: 'deny',
  [ACE_TYPES.SYSTEM_AUDIT]: 'audit',
  [ACE_TYPES.SYSTEM_AUDIT_OBJECT]: 'audit',
};

const OBJECT_ACE_TYPES = new Set<number>([
  ACE_TYPES.ACCESS_ALLOWED_OBJECT,
  ACE_TYPES.ACCESS_DENIED_OBJECT,
  ACE_TYPES.SYSTEM_AUDIT_OBJECT,
  ACE_TYPES.ACCESS_ALLOWED_CALLBACK_OBJECT,
  ACE_TYPES.ACCESS_DENIED_CALLBACK_OBJECT,
]);

/** Parses a self-relative security descriptor; throws SecurityDescriptorError naming the byte offset at fault. */
export function parseSecurityDescriptor(bytes: Uint8Array): SecurityDescriptor {
  if (bytes.length < 20)
    throw new SecurityDescriptorError(`security descriptor: ${bytes.length} bytes, the header alone needs 20`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const revision = view.getUint8(0);
  if (revision !== 1) throw new SecurityDescriptorError(`security descriptor: revision ${revision}, expected 1`);
  const control = view.getUint16(2, true);
  if (!(control & SD_CONTROL.SELF_RELATIVE)) {
    throw new SecurityDescriptorError('security descriptor: not self-relative (control flag SR missing)');
  }
  const [ownerAt, groupAt, saclAt, daclAt] = [4, 8, 12, 16].map((at) => view.getUint32(at, true)) as [
    number,
    number,
    number,
    number,
  ];
  const sidAt = (at: number, what: string): string | undefined => {
    if (at === 0) return undefined;
    try {
      return readSid(bytes, at).sid;
    } catch (error) {
      throw new SecurityDescriptorError(`security descriptor ${what}: ${(error as Error).message}`);
    }
  };
  let dacl: Acl | null | undefined;
  if (control & SD_CONTROL.DACL_PRESENT) dacl = daclAt === 0 ? null : parseAcl(bytes, daclAt, 'DACL');
  const sacl = control & SD_CONTROL.SACL_PRESENT && saclAt !== 0 ? parseAcl(bytes, saclAt, 'SACL') : undefined;
  const sd: SecurityDescriptor = {
    revision,
    control,
    owner: sidAt(ownerAt, 'owner'),
    group: sidAt(groupAt, 'group'),
    dacl,
  };
  if (sacl) sd.sacl = sacl;
  return sd;
}

function parseAcl(bytes: Uint8Array, offset: number, what: string): Acl {
  if (bytes.length < offset + 8)
    throw new SecurityDescriptorError(`${what} at byte ${offset}: past the end (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const revision = view.getUint8(offset);
  const size = view.getUint16(offset + 2, true);
  const count = view.getUint16(offset + 4, true);
  if (offset + size > bytes.length)
    throw new SecurityDescriptorError(`${what} at byte ${offset}: size ${size} runs past the end`);
  const aces: Ace[] = [];
  let at = offset + 8;
  for (let i = 0; i < count; i++) {
    if (at + 4 > offset + size)
      throw new SecurityDescriptorError(`${what} ACE ${i} at byte ${at}: past the end of the ACL`);
    const aceSize = view.getUint16(at + 2, true);
    if (aceSize < 8 || at + aceSize > offset + size)
      throw new SecurityDescriptorError(`${what} ACE ${i} at byte ${at}: bad size ${aceSize}`);
    aces.push(parseAce(bytes.subarray(at, at + aceSize), `${what} ACE ${i}`));
    at += aceSize;
  }
  return { revision, aces };
}

function parseAce(bytes: Uint8Array, what: string): Ace {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint8(0);
  const ace: Ace = {
    type,
    kind: KIND_OF_TYPE[type] ?? 'other',
    flags: view.getUint8(1),
    mask: view.getUint32(4, true),
    sid: '',
  };
  let at = 8;
  try {
    if (OBJECT_ACE_TYPES.has(type)) {
      const objectFlags = view.getUint32(8, true);
      at = 12;
      if (objectFlags & OBJECT_TYPE_PRESENT) {
        ace.objectType = guidToString(bytes, at);
        at += 16;
      }
      if (objectFlags & INHERITED_OBJECT_TYPE_PRESENT) {
        ace.inheritedObjectType = guidToString(bytes, at);
        at += 16;
      }
    }
    ace.sid = readSid(bytes, at).sid;
  } catch (error) {
    throw new SecurityDescriptorError(`${what}: ${(error as Error).message}`);
  }
  return ace;
}

const ACE_TYPE_SDDL: Record<number, string> = {
  [ACE_TYPES.ACCESS_ALLOWED]: 'A',
  [ACE_TYPES.ACCESS_DENIED]: 'D',
  [ACE_TYPES.SYSTEM_AUDIT]: 'AU',
  [ACE_TYPES.ACCESS_ALLOWED_OBJECT]: 'OA',
  [ACE_TYPES.ACCESS_DENIED_OBJECT]: 'OD',
  [ACE_TYPES.SYSTEM_AUDIT_OBJECT]: 'OU',
  [ACE_TYPES.ACCESS_ALLOWED_CALLBACK]: 'XA',
  [ACE_TYPES.ACCESS_DENIED_CALLBACK]: 'XD',
  [ACE_TYPES.ACCESS_ALLOWED_CALLBACK_OBJECT]: 'ZA',
};

const ACE_FLAG_SDDL: [number, string][] = [
  [ACE_FLAGS.OBJECT_INHERIT, 'OI'],
  [ACE_FLAGS.CONTAINER_INHERIT, 'CI'],
  [ACE_FLAGS.NO_PROPAGATE_INHERIT, 'NP'],
  [ACE_FLAGS.INHERIT_ONLY, 'IO'],
  [ACE_FLAGS.INHERITED, 'ID'],
  [ACE_FLAGS.SUCCESSFUL_ACCESS, 'SA'],
  [ACE_FLAGS.FAILED_ACCESS, 'FA'],
];

/** Names for SIDs the caller knows (e.g. `CONTOSO\WebApp01Hosts`), shown instead of the raw SID. */
export type SidNames = ReadonlyMap<string, string>;

function sidText(sid: string, names?: SidNames): string {
  return sddlAlias(sid) ?? names?.get(sid) ?? sid;
}

export function aceToSddl(ace: Ace, names?: SidNames): string {
  const type = ACE_TYPE_SDDL[ace.type] ?? `0x${ace.type.toString(16)}`;
  const flags = ACE_FLAG_SDDL.filter(([bit]) => ace.flags & bit)
    .map(([, text]) => text)
    .join('');
  const mask = `0x${ace.mask.toString(16)}`;
  return `(${type};${flags};${mask};${ace.objectType ?? ''};${ace.inheritedObjectType ?? ''};${sidText(ace.sid, names)})`;
}

function daclFlags(control: number): string {
  let flags = '';
  if (control & SD_CONTROL.DACL_PROTECTED) flags += 'P';
  if (control & SD_CONTROL.DACL_AUTO_INHERIT_REQ) flags += 'AR';
  if (control & SD_CONTROL.DACL_AUTO_INHERITED) flags += 'AI';
  return flags;
}

/**
 * SDDL-like text: `O:BAD:(A;;0xf01ff;;;S-1-5-21-...-1105)`. Access masks stay in hex (as Set-ADServiceAccount
 * writes 0xf01ff); SIDs with an SDDL alias use it, others are replaced by a known name when `names` has one.
 */
export function toSddl(sd: SecurityDescriptor, names?: SidNames): string {
  let text = '';
  if (sd.owner) text += `O:${sidText(sd.owner, names)}`;
  if (sd.group) text += `G:${sidText(sd.group, names)}`;
  if (sd.dacl === null) text += 'D:NO_ACCESS_CONTROL';
  else if (sd.dacl) text += `D:${daclFlags(sd.control)}${sd.dacl.aces.map((ace) => aceToSddl(ace, names)).join('')}`;
  if (sd.sacl) text += `S:${sd.sacl.aces.map((ace) => aceToSddl(ace, names)).join('')}`;
  return text;
}
