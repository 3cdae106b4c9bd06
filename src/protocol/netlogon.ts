/**
 * NETLOGON_SAM_LOGON_RESPONSE_EX ([MS-ADTS] 6.3.1.9), the DC's answer to an LDAP ping, with its DNS-style
 * compressed names ([MS-ADTS] 6.3.4, RFC 1035 4.1.4: pointers are offsets from the start of the structure).
 */
import { BerDecodeError } from './ber.js';
import type { NetlogonResponse } from '../facts/network.js';

/** The structure is not a NETLOGON_SAM_LOGON_RESPONSE_EX we can read. */
export class NetlogonDecodeError extends BerDecodeError {}

export const NETLOGON_OPCODES: Record<number, string> = {
  23: 'LOGON_SAM_LOGON_RESPONSE_EX',
  24: 'LOGON_SAM_PAUSE_RESPONSE_EX',
  25: 'LOGON_SAM_USER_UNKNOWN_EX',
};

/** DS_FLAG bits of the Flags field ([MS-ADTS] 6.3.1.2), by the names nltest prints. */
export const DS_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x00000001, 'PDC'],
  [0x00000004, 'GC'],
  [0x00000008, 'LDAP'],
  [0x00000010, 'DS'],
  [0x00000020, 'KDC'],
  [0x00000040, 'TIMESERV'],
  [0x00000080, 'CLOSEST'],
  [0x00000100, 'WRITABLE'],
  [0x00000200, 'GOOD_TIMESERV'],
  [0x00000400, 'NDNC'],
  [0x00000800, 'SELECT_SECRET_DOMAIN_6'],
  [0x00001000, 'FULL_SECRET_DOMAIN_6'],
  [0x00002000, 'WS'],
  [0x00004000, 'DS_8'],
  [0x00008000, 'DS_9'],
  [0x00010000, 'DS_10'],
  [0x20000000, 'DNS_CONTROLLER'],
  [0x40000000, 'DNS_DOMAIN'],
  [0x80000000, 'DNS_FOREST'],
];

export function flagNames(flags: number): string[] {
  return DS_FLAGS.filter(([bit]) => (flags & bit) >>> 0 === bit).map(([, name]) => name);
}

const NT_VERSION_5EX_WITH_IP = 0x8;
const NT_VERSION_WITH_CLOSEST_SITE = 0x10;

class Cursor {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  take(count: number, what: string): Uint8Array {
    if (this.offset + count > this.bytes.length) {
      throw new NetlogonDecodeError(
        `${what}: needs ${count} bytes at offset ${this.offset}, the structure has ${this.bytes.length}`,
      );
    }
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  uint16(what: string): number {
    const b = this.take(2, what);
    return b[0]! | (b[1]! << 8);
  }

  uint32(what: string): number {
    const b = this.take(4, what);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  name(what: string): string {
    const { name, next } = readCompressedName(this.bytes, this.offset, what);
    this.offset = next;
    return name;
  }
}

/** Reads a compressed name at `offset`; returns it (labels joined by dots) and the offset after it. */
export function readCompressedName(bytes: Uint8Array, offset: number, what = 'name'): { name: string; next: number } {
  const labels: string[] = [];
  let cursor = offset;
  let next: number | undefined;
  // Each pointer must go strictly backwards, so a loop of pointers cannot hang the decoder.
  let lowestPointerTarget = offset;
  for (;;) {
    if (cursor >= bytes.length)
      throw new NetlogonDecodeError(`${what}: runs past the end of the structure at offset ${cursor}`);
    const length = bytes[cursor]!;
    if (length === 0) {
      next ??= cursor + 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      if (cursor + 1 >= bytes.length) throw new NetlogonDecodeError(`${what}: truncated pointer at offset ${cursor}`);
      const target = ((length & 0x3f) << 8) | bytes[cursor + 1]!;
      if (target >= lowestPointerTarget)
        throw new NetlogonDecodeError(`${what}: pointer at offset ${cursor} does not point backwards`);
      next ??= cursor + 2;
      lowestPointerTarget = target;
      cursor = target;
      continue;
    }
    if ((length & 0xc0) !== 0)
      throw new NetlogonDecodeError(`${what}: label type 0x${length.toString(16)} at offset ${cursor} is not defined`);
    if (cursor + 1 + length > bytes.length)
      throw new NetlogonDecodeError(`${what}: label at offset ${cursor} runs past the end`);
    labels.push(new TextDecoder().decode(bytes.subarray(cursor + 1, cursor + 1 + length)));
    cursor += 1 + length;
  }
  return { name: labels.join('.'), next };
}

/** GUID bytes in their Windows layout (first three fields little-endian) as canonical text. */
export function guidToString(bytes: Uint8Array): string {
  const h = (i: number) => bytes[i]!.toString(16).padStart(2, '0');
  const part = (indexes: number[]) => indexes.map(h).join('');
  return `${part([3, 2, 1, 0])}-${part([5, 4])}-${part([7, 6])}-${part([8, 9])}-${part([10, 11, 12, 13, 14, 15])}`;
}

function readSockAddr(cursor: Cursor): string | undefined {
  const size = cursor.take(1, 'DcSockAddrSize')[0]!;
  const sockaddr = cursor.take(size, 'DcSockAddr');
  // sockaddr_in: family (2, little-endian AF_INET = 2), port (2), address (4), zero (8).
  if (size < 8 || sockaddr[0] !== 2) return undefined;
  return Array.from(sockaddr.subarray(4, 8)).join('.');
}

/** Decodes the Netlogon attribute value. Throws only NetlogonDecodeError (a BerDecodeError). */
export function decodeNetlogonSamLogonResponseEx(bytes: Uint8Array): NetlogonResponse {
  const cursor = new Cursor(bytes);
  const opcode = cursor.uint16('Opcode');
  const opcodeName = NETLOGON_OPCODES[opcode];
  if (!opcodeName)
    throw new NetlogonDecodeError(`Opcode ${opcode} is not a NETLOGON_SAM_LOGON_RESPONSE_EX opcode (23, 24, 25)`);
  cursor.uint16('Sbz');
  const flags = cursor.uint32('Flags');
  const domainGuid = guidToString(cursor.take(16, 'DomainGuid'));
  const names = {
    dnsForestName: cursor.name('DnsForestName'),
    dnsDomainName: cursor.name('DnsDomainName'),
    dnsHostName: cursor.name('DnsHostName'),
    netbiosDomainName: cursor.name('NetbiosDomainName'),
    netbiosComputerName: cursor.name('NetbiosComputerName'),
    userName: cursor.name('UserName'),
    dcSiteName: cursor.name('DcSiteName'),
    clientSiteName: cursor.name('ClientSiteName'),
  };
  // The optional fields depend on NtVersion, which comes after them: read it from the end first.
  if (bytes.length < cursor.offset + 8)
    throw new NetlogonDecodeError(`NtVersion: structure of ${bytes.length} bytes ends too early`);
  const tail = new Cursor(bytes.subarray(bytes.length - 8));
  const ntVersion = tail.uint32('NtVersion');
  const response: NetlogonResponse = {
    opcode,
    opcodeName,
    flags,
    flagNames: flagNames(flags),
    domainGuid,
    ...names,
    ntVersion,
  };
  if (ntVersion & NT_VERSION_5EX_WITH_IP) {
    const address = readSockAddr(cursor);
    if (address) response.dcAddress = address;
  }
  if (ntVersion & NT_VERSION_WITH_CLOSEST_SITE) response.nextClosestSiteName = cursor.name('NextClosestSiteName');
  if (cursor.offset + 8 > bytes.length) throw new NetlogonDecodeError('NtVersion: overlaps the names before it');
  return response;
}
