/**
 * Value types of [MS-EVEN6] 3.1.4.7.3 and how Windows renders them as text.
 * Every reader returns a string: EVTX event data is text once rendered.
 */
export const ValueType = {
  Null: 0x00,
  WString: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SystemTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  ArrayFlag: 0x80,
} as const;

/** Fixed sizes of the types that have one; arrays of them are a run of such items. */
const FIXED_SIZE: Record<number, number> = {
  0x03: 1,
  0x04: 1,
  0x05: 2,
  0x06: 2,
  0x07: 4,
  0x08: 4,
  0x09: 8,
  0x0a: 8,
  0x0b: 4,
  0x0c: 8,
  0x0d: 4,
  0x0f: 16,
  0x11: 8,
  0x12: 16,
  0x14: 4,
  0x15: 8,
};

export class ValueError extends Error {}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_UPPER = HEX.map((h) => h.toUpperCase());

export function utf16(bytes: Buffer, start: number, end: number): string {
  // Windows pads strings with NULs; the text ends at the first one.
  let stop = start;
  while (stop + 1 < end && (bytes[stop]! | bytes[stop + 1]!) !== 0) stop += 2;
  return bytes.toString('utf16le', start, stop);
}

function ansi(bytes: Buffer, start: number, end: number): string {
  let stop = start;
  while (stop < end && bytes[stop] !== 0) stop++;
  return bytes.toString('latin1', start, stop);
}

function hexLittleEndian(bytes: Buffer, start: number, size: number): string {
  let out = '0x';
  for (let i = start + size - 1; i >= start; i--) out += HEX[bytes[i]!]!;
  return out;
}

export function guidText(bytes: Buffer, at: number): string {
  const h = (i: number): string => HEX_UPPER[bytes[at + i]!]!;
  return (
    `{${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-` +
    `${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}}`
  );
}

/** Seconds from 1601-01-01 to 1970-01-01. */
const FILETIME_EPOCH_SECONDS = 11644473600;

/**
 * FILETIME (100 ns since 1601) as ISO 8601 with the full 7-digit fraction, as Windows renders SystemTime.
 * The 64-bit tick count is divided by 10^7 in 16-bit steps so every intermediate stays exact in a double.
 */
export function fileTimeText(low: number, high: number): string {
  const r1 = high % 1e7;
  const q1 = (high - r1) / 1e7;
  const x = r1 * 65536 + (low >>> 16);
  const q2 = Math.floor(x / 1e7);
  const y = (x % 1e7) * 65536 + (low & 0xffff);
  const q3 = Math.floor(y / 1e7);
  const fraction = y % 1e7;
  const seconds = q1 * 4294967296 + q2 * 65536 + q3 - FILETIME_EPOCH_SECONDS;
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime()))
    return `FILETIME(0x${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')})`;
  return `${date.toISOString().slice(0, 19)}.${String(fraction).padStart(7, '0')}Z`;
}

function systemTimeText(bytes: Buffer, at: number): string {
  const u16 = (i: number): number => bytes.readUInt16LE(at + i * 2);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(u16(0), 4)}-${pad(u16(1))}-${pad(u16(3))}T${pad(u16(4))}:${pad(u16(5))}:${pad(u16(6))}.${pad(u16(7), 3)}Z`;
}

export function sidText(bytes: Buffer, start: number, end: number): string {
  if (end - start < 8) throw new ValueError(`SID of ${end - start} bytes is too short`);
  const revision = bytes[start]!;
  const count = bytes[start + 1]!;
  if (start + 8 + count * 4 > end)
    throw new ValueError(`SID claims ${count} sub-authorities but has ${end - start} bytes`);
  const authority = bytes.readUIntBE(start + 2, 6);
  let text = `S-${revision}-${authority}`;
  for (let i = 0; i < count; i++) text += `-${bytes.readUInt32LE(start + 8 + i * 4)}`;
  return text;
}

function realText(value: number): string {
  return Number.isInteger(value)
    ? String(value)
    : String(Number(value.toPrecision(value === Math.fround(value) ? 7 : 15)));
}

/** One item of a fixed-size type. */
function scalarText(type: number, bytes: Buffer, at: number, size: number): string {
  switch (type) {
    case ValueType.Int8:
      return String(bytes.readInt8(at));
    case ValueType.UInt8:
      return String(bytes[at]!);
    case ValueType.Int16:
      return String(bytes.readInt16LE(at));
    case ValueType.UInt16:
      return String(bytes.readUInt16LE(at));
    case ValueType.Int32:
      return String(bytes.readInt32LE(at));
    case ValueType.UInt32:
      return String(bytes.readUInt32LE(at));
    case ValueType.Int64:
      return bytes.readBigInt64LE(at).toString();
    case ValueType.UInt64:
      return bytes.readBigUInt64LE(at).toString();
    case ValueType.Real32:
      return realText(bytes.readFloatLE(at));
    case ValueType.Real64:
      return realText(bytes.readDoubleLE(at));
    case ValueType.Bool:
      return bytes.readUInt32LE(at) === 0 ? 'false' : 'true';
    case ValueType.Guid:
      return guidText(bytes, at);
    case ValueType.FileTime:
      return fileTimeText(bytes.readUInt32LE(at), bytes.readUInt32LE(at + 4));
    case ValueType.SystemTime:
      return systemTimeText(bytes, at);
    case ValueType.HexInt32:
    case ValueType.HexInt64:
    case ValueType.SizeT:
      return hexLittleEndian(bytes, at, size);
    default:
      throw new ValueError(`value type 0x${type.toString(16)} has no fixed size`);
  }
}

/** Renders a substitution value (not BinXml: the caller renders nested BinXML itself) as text items. */
export function valueText(type: number, bytes: Buffer, start: number, size: number): string | string[] {
  const end = start + size;
  if (end > bytes.length) throw new ValueError(`value of type 0x${type.toString(16)} runs past the end of the chunk`);
  if (type & ValueType.ArrayFlag) return arrayText(type & 0x7f, bytes, start, end);
  switch (type) {
    case ValueType.Null:
      return '';
    case ValueType.WString:
    case ValueType.EvtXml:
      return utf16(bytes, start, end);
    case ValueType.AnsiString:
      return ansi(bytes, start, end);
    case ValueType.Binary:
      return binaryText(bytes, start, end);
    case ValueType.Sid:
      return sidText(bytes, start, end);
    case ValueType.SizeT:
      if (size !== 4 && size !== 8) throw new ValueError(`SizeT of ${size} bytes`);
      return hexLittleEndian(bytes, start, size);
    case ValueType.EvtHandle:
      return hexLittleEndian(bytes, start, Math.min(size, 8));
    default: {
      const fixed = FIXED_SIZE[type];
      if (fixed === undefined) throw new ValueError(`unknown value type 0x${type.toString(16)}`);
      if (size < fixed) throw new ValueError(`value of type 0x${type.toString(16)} has ${size} bytes, needs ${fixed}`);
      return scalarText(type, bytes, start, fixed);
    }
  }
}

function binaryText(bytes: Buffer, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX_UPPER[bytes[i]!]!;
  return out;
}

function arrayText(itemType: number, bytes: Buffer, start: number, end: number): string[] {
  if (itemType === ValueType.WString) return wideStrings(bytes, start, end);
  if (itemType === ValueType.AnsiString)
    return bytes
      .toString('latin1', start, end)
      .split('\0')
      .filter((s, i, all) => s !== '' || i < all.length - 1);
  if (itemType === ValueType.Sid) {
    const sids: string[] = [];
    for (let at = start; at < end;) {
      const count = bytes[at + 1] ?? 0;
      sids.push(sidText(bytes, at, Math.min(end, at + 8 + count * 4)));
      at += 8 + count * 4;
    }
    return sids;
  }
  const size = FIXED_SIZE[itemType];
  if (size === undefined) throw new ValueError(`array of value type 0x${itemType.toString(16)} is not supported`);
  const items: string[] = [];
  for (let at = start; at + size <= end; at += size) items.push(scalarText(itemType, bytes, at, size));
  return items;
}

function wideStrings(bytes: Buffer, start: number, end: number): string[] {
  const items: string[] = [];
  let from = start;
  for (let at = start; at + 1 < end; at += 2) {
    if ((bytes[at]! | bytes[at + 1]!) === 0) {
      items.push(bytes.toString('utf16le', from, at));
      from = at + 2;
    }
  }
  if (from + 1 < end) items.push(bytes.toString('utf16le', from, end));
  return items;
}
