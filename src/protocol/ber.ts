/**
 * A small BER (X.690) reader and writer: enough for LDAP messages (RFC 4511) and Kerberos (RFC 4120).
 * Definite lengths only, tag numbers below 31 only: neither protocol needs more, and refusing the rest
 * keeps the decoder simple to fuzz. The reader never throws anything but BerDecodeError.
 */

/** Input that is not the BER we expect. Every decoder in src/protocol throws only this (or a subclass). */
export class BerDecodeError extends Error {
  override readonly name = 'BerDecodeError';
}

export const TagClass = { universal: 0x00, application: 0x40, context: 0x80, private: 0xc0 } as const;
const CONSTRUCTED = 0x20;

export const UniversalTag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  enumerated: 0x0a,
  sequence: 0x30,
  set: 0x31,
  generalizedTime: 0x18,
  generalString: 0x1b,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Writing

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** One TLV with a raw identifier byte. */
export function tlv(identifier: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(identifier), lengthBytes(content.length), content]);
}

export function sequence(...children: Uint8Array[]): Uint8Array {
  return tlv(UniversalTag.sequence, concat(children));
}

/** An explicit context tag [n] around one value (Kerberos style). */
export function explicit(n: number, child: Uint8Array): Uint8Array {
  return tlv(TagClass.context | CONSTRUCTED | n, child);
}

/** A constructed context tag [n] holding several children (an implicit SEQUENCE/SET, LDAP filter style). */
export function contextConstructed(n: number, ...children: Uint8Array[]): Uint8Array {
  return tlv(TagClass.context | CONSTRUCTED | n, concat(children));
}

export function application(n: number, ...children: Uint8Array[]): Uint8Array {
  return tlv(TagClass.application | CONSTRUCTED | n, concat(children));
}

function twosComplement(value: number): Uint8Array {
  if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${value} is not a safe integer`);
  const bytes: number[] = [];
  let n = BigInt(value);
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (!(n === 0n && (bytes[0]! & 0x80) === 0) && !(n === -1n && (bytes[0]! & 0x80) !== 0));
  return Uint8Array.from(bytes);
}

export function integer(value: number): Uint8Array {
  return tlv(UniversalTag.integer, twosComplement(value));
}

export function enumerated(value: number): Uint8Array {
  return tlv(UniversalTag.enumerated, twosComplement(value));
}

export function boolean(value: boolean): Uint8Array {
  return tlv(UniversalTag.boolean, Uint8Array.of(value ? 0xff : 0x00));
}

export function octetString(value: Uint8Array | string, identifier: number = UniversalTag.octetString): Uint8Array {
  return tlv(identifier, typeof value === 'string' ? new TextEncoder().encode(value) : value);
}

export function generalString(value: string): Uint8Array {
  return octetString(value, UniversalTag.generalString);
}

/** KerberosTime: GeneralizedTime "YYYYMMDDHHMMSSZ" without fractions. */
export function generalizedTime(date: Date): Uint8Array {
  const text = date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}/, '');
  return octetString(text, UniversalTag.generalizedTime);
}

/** A BIT STRING of 32 flag bits (Kerberos KDCOptions), no unused bits. */
export function bitString32(flags: number): Uint8Array {
  return tlv(
    UniversalTag.bitString,
    Uint8Array.of(0, (flags >>> 24) & 0xff, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export interface Tlv {
  /** The identifier byte: class | constructed | number. */
  identifier: number;
  tagClass: number;
  constructed: boolean;
  tagNumber: number;
  /** The content octets (a view into the input). */
  content: Uint8Array;
  /** Offset just past this TLV in the buffer it was read from. */
  end: number;
}

/** Reads the TLV starting at `offset`; the TLV must end within `limit` (default: the buffer's end). */
export function readTlv(buffer: Uint8Array, offset = 0, limit = buffer.length): Tlv {
  if (offset >= limit)
    throw new BerDecodeError(`expected a BER element at offset ${offset}, found the end of the data`);
  const identifier = buffer[offset]!;
  if ((identifier & 0x1f) === 0x1f) throw new BerDecodeError(`high tag number at offset ${offset} is not supported`);
  let cursor = offset + 1;
  if (cursor >= limit) throw new BerDecodeError(`BER element at offset ${offset} has no length`);
  const first = buffer[cursor++]!;
  let length = first;
  if (first === 0x80) throw new BerDecodeError(`indefinite length at offset ${offset} is not allowed here`);
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw new BerDecodeError(`length of ${count} bytes at offset ${offset} is too large`);
    if (cursor + count > limit) throw new BerDecodeError(`length at offset ${offset} runs past the end of the data`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buffer[cursor++]!;
  }
  const end = cursor + length;
  if (end > limit)
    throw new BerDecodeError(`BER element at offset ${offset} claims ${length} bytes, only ${limit - cursor} remain`);
  return {
    identifier,
    tagClass: identifier & 0xc0,
    constructed: (identifier & CONSTRUCTED) !== 0,
    tagNumber: identifier & 0x1f,
    content: buffer.subarray(cursor, end),
    end,
  };
}

/** The elements inside a constructed TLV. */
export function children(parent: Tlv): Tlv[] {
  if (!parent.constructed) throw new BerDecodeError(`element 0x${hex(parent.identifier)} is not constructed`);
  const out: Tlv[] = [];
  for (let offset = 0; offset < parent.content.length;) {
    const child = readTlv(parent.content, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function expectTag(element: Tlv | undefined, identifier: number, what: string): Tlv {
  if (!element) throw new BerDecodeError(`${what}: missing`);
  if (element.identifier !== identifier) {
    throw new BerDecodeError(`${what}: expected tag 0x${hex(identifier)}, found 0x${hex(element.identifier)}`);
  }
  return element;
}

export function readInteger(element: Tlv, what: string): number {
  const bytes = element.content;
  if (bytes.length === 0) throw new BerDecodeError(`${what}: empty integer`);
  if (bytes.length > 6) throw new BerDecodeError(`${what}: integer of ${bytes.length} bytes is too large`);
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return bytes[0]! & 0x80 ? value - 256 ** bytes.length : value;
}

export function readString(element: Tlv): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(element.content);
}

/** The children of a SEQUENCE keyed by their context tag number ([0], [1], ...), for Kerberos-style records. */
export function contextFields(parent: Tlv, what: string): Map<number, Tlv> {
  const fields = new Map<number, Tlv>();
  for (const child of children(parent)) {
    if (child.tagClass !== TagClass.context || !child.constructed) {
      throw new BerDecodeError(`${what}: unexpected element 0x${hex(child.identifier)}`);
    }
    fields.set(child.tagNumber, readTlv(child.content, 0));
  }
  return fields;
}

export function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Length of the first complete BER element in `received`, or undefined while more bytes are needed. */
export function completeElementLength(received: Uint8Array): number | undefined {
  if (received.length < 2) return undefined;
  const first = received[1]!;
  if (first < 0x80) return received.length >= 2 + first ? 2 + first : undefined;
  const count = first & 0x7f;
  if (count === 0 || count > 4) return received.length; // not ours to judge here: the decoder will say why
  if (received.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + received[2 + i]!;
  const total = 2 + count + length;
  return received.length >= total ? total : undefined;
}
