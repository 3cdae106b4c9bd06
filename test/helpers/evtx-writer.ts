/**
 * A small EVTX writer, used ONLY by tests: it encodes real event XML into binary EVTX the way Windows lays it out
 * (file header, 64 KiB chunks, records whose BinXML is a template instance with typed substitutions; each
 * template written once per chunk and referenced by offset afterwards; element and attribute names written once
 * per chunk and referenced afterwards). Independent readers (python-evtx, libevtx) read what it writes.
 */
import { textContent } from '../../src/protocol/evtx/binxml.js';
import type { XmlElement } from '../../src/protocol/evtx/binxml.js';
import { crc32 } from '../../src/protocol/evtx/crc32.js';
import { findEvents, parseXmlForest } from '../../src/protocol/evtx/xml.js';

const CHUNK_SIZE = 65536;
const CHUNK_HEADER_SIZE = 512;

/** Substitution value types used for the System fields, as Windows types them. */
const SYSTEM_TYPES: Record<string, number> = {
  EventID: 0x06,
  'EventID@Qualifiers': 0x06,
  Version: 0x04,
  Level: 0x04,
  Task: 0x06,
  Opcode: 0x04,
  Keywords: 0x15,
  'TimeCreated@SystemTime': 0x11,
  EventRecordID: 0x0a,
  'Execution@ProcessID': 0x08,
  'Execution@ThreadID': 0x08,
  'Security@UserID': 0x13,
  'Provider@Guid': 0x0f,
  'Correlation@ActivityID': 0x0f,
  'Correlation@RelatedActivityID': 0x0f,
};

/** A substitution value: raw bytes of a type, or (type 0x21) a nested BinXML fragment written in place. */
export interface Value {
  type: number;
  bytes: Buffer;
  fragment?: XmlElement;
}

/** Picks the value of an element's text yourself (a typed Data item), instead of the default typing. */
export type ValueOverride = (element: XmlElement) => Value | undefined;

const FILETIME_EPOCH = 116444736000000000n;

export function fileTime(iso: string): Buffer {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(iso);
  if (!match) throw new Error(`not an ISO time: ${iso}`);
  const seconds = BigInt(Date.parse(`${match[1]}Z`) / 1000);
  const fraction = BigInt((match[2] ?? '').padEnd(7, '0').slice(0, 7) || '0');
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(seconds * 10_000_000n + fraction + FILETIME_EPOCH);
  return out;
}

function guid(text: string): Buffer {
  const hex = text.replace(/[{}-]/g, '');
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 16) throw new Error(`not a GUID: ${text}`);
  return Buffer.concat([
    raw.subarray(0, 4).reverse(),
    raw.subarray(4, 6).reverse(),
    raw.subarray(6, 8).reverse(),
    raw.subarray(8),
  ]);
}

function sid(text: string): Buffer {
  const [, revision, authority, ...subs] = text.split('-');
  const out = Buffer.alloc(8 + subs.length * 4);
  out[0] = Number(revision);
  out[1] = subs.length;
  out.writeUIntBE(Number(authority), 2, 6);
  subs.forEach((s, i) => out.writeUInt32LE(Number(s), 8 + i * 4));
  return out;
}

function encodeValue(type: number, text: string): Value {
  if (text === '') return { type: 0x00, bytes: Buffer.alloc(0) };
  const fixed = (size: number, write: (b: Buffer) => void): Value => {
    const bytes = Buffer.alloc(size);
    write(bytes);
    return { type, bytes };
  };
  switch (type) {
    case 0x04:
      return fixed(1, (b) => b.writeUInt8(Number(text)));
    case 0x06:
      return fixed(2, (b) => b.writeUInt16LE(Number(text)));
    case 0x08:
      return fixed(4, (b) => b.writeUInt32LE(Number(text)));
    case 0x0a:
      return fixed(8, (b) => b.writeBigUInt64LE(BigInt(text)));
    case 0x15:
      return fixed(8, (b) => b.writeBigUInt64LE(BigInt(text)));
    case 0x11:
      return { type, bytes: fileTime(text) };
    case 0x0f:
      return { type, bytes: guid(text) };
    case 0x13:
      return { type, bytes: sid(text) };
    default:
      return { type: 0x01, bytes: Buffer.from(text, 'utf16le') };
  }
}

/** A template: the event's shape with every text and attribute value replaced by a substitution. */
interface Shape {
  key: string;
  element: XmlElement;
  values: Value[];
}

function shapeOf(event: XmlElement, override?: ValueOverride): Shape {
  const values: Value[] = [];
  const keyParts: string[] = [];
  const visit = (element: XmlElement, path: string): void => {
    keyParts.push(`<${element.name}`);
    for (const [name, value] of element.attributes) {
      if (name === 'xmlns') {
        keyParts.push(`@xmlns=${value}`);
        continue;
      }
      const v = encodeValue(SYSTEM_TYPES[`${element.name}@${name}`] ?? 0x01, value);
      keyParts.push(`@${name}:${v.type}`);
      values.push(v);
    }
    const elementChildren = element.children.filter((c): c is XmlElement => typeof c !== 'string');
    if (elementChildren.length > 0) {
      for (const c of elementChildren) visit(c, `${path}/${c.name}`);
    } else if (element.children.length > 0) {
      const text = textContent(element);
      const v =
        override?.(element) ??
        encodeValue(path.startsWith('Event/System') ? (SYSTEM_TYPES[element.name] ?? 0x01) : 0x01, text);
      keyParts.push(`#${v.type}`);
      values.push(v);
    }
    keyParts.push('>');
  };
  visit(event, 'Event');
  return { key: keyParts.join(''), element: event, values };
}

class ChunkWriter {
  readonly bytes = Buffer.alloc(CHUNK_SIZE);
  at = CHUNK_HEADER_SIZE;
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<string, { offset: number; id: number }>();
  firstRecordId = 0;
  lastRecordId = 0;
  lastRecordOffset = 0;
  records = 0;

  private u8(v: number): void {
    this.bytes[this.at++] = v;
  }
  private u16(v: number): void {
    this.bytes.writeUInt16LE(v, this.at);
    this.at += 2;
  }
  private u32(v: number): void {
    this.bytes.writeUInt32LE(v >>> 0, this.at);
    this.at += 4;
  }
  private raw(b: Buffer): void {
    b.copy(this.bytes, this.at);
    this.at += b.length;
  }

  /** A name reference; the first use of a name in the chunk writes it inline. */
  private name(text: string): void {
    const known = this.names.get(text);
    if (known !== undefined) return this.u32(known);
    const offset = this.at + 4;
    this.u32(offset);
    this.names.set(text, offset);
    this.u32(0); // next string in the same hash bucket
    let hash = 0;
    for (const c of text) hash = (hash * 65599 + c.charCodeAt(0)) >>> 0;
    this.u16(hash & 0xffff);
    this.u16(text.length);
    this.raw(Buffer.from(`${text}\0`, 'utf16le'));
  }

  private element(element: XmlElement, index: { next: number }, types: Value[]): void {
    const attributes = element.attributes;
    const start = this.at;
    this.u8(attributes.length > 0 ? 0x41 : 0x01);
    this.u16(0xffff);
    const sizeAt = this.at;
    this.u32(0);
    this.name(element.name);
    let attributeListAt = -1;
    if (attributes.length > 0) {
      attributeListAt = this.at;
      this.u32(0);
    }
    const attributesStart = this.at;
    attributes.forEach(([name, value], i) => {
      this.u8(i < attributes.length - 1 ? 0x46 : 0x06);
      this.name(name);
      if (name === 'xmlns')
        this.valueText(value); // the namespace is part of the template, as Windows writes it
      else this.substitution(index.next++, types);
    });
    if (attributeListAt !== -1) this.bytes.writeUInt32LE(this.at - attributesStart, attributeListAt);
    const elementChildren = element.children.filter((c): c is XmlElement => typeof c !== 'string');
    if (elementChildren.length === 0 && element.children.length === 0) {
      this.u8(0x03);
    } else {
      this.u8(0x02);
      if (elementChildren.length > 0) for (const c of elementChildren) this.element(c, index, types);
      else this.substitution(index.next++, types);
      this.u8(0x04);
    }
    this.bytes.writeUInt32LE(this.at - (start + 7), sizeAt);
  }

  private valueText(text: string): void {
    this.u8(0x05);
    this.u8(0x01);
    this.u16(text.length);
    this.raw(Buffer.from(text, 'utf16le'));
  }

  /** Optional substitution (0x0E): an empty value leaves the attribute out, as Windows does. */
  private substitution(index: number, types: Value[]): void {
    this.u8(0x0e);
    this.u16(index);
    this.u8(types[index]!.type);
  }

  /** Room for one more record of this shape? */
  fits(shape: Shape): boolean {
    const estimate =
      64 +
      shape.values.reduce((n, v) => n + 4 + v.bytes.length, 0) +
      (this.templates.has(shape.key) ? 0 : 24 + shape.key.length * 6 + 4096);
    return this.at + estimate < CHUNK_SIZE;
  }

  record(shape: Shape, recordId: number, written: Buffer): void {
    const start = this.at;
    this.u32(0x00002a2a);
    this.u32(0);
    this.bytes.writeBigUInt64LE(BigInt(recordId), this.at);
    this.at += 8;
    this.raw(written);
    this.templateInstance(shape);
    const size = this.at - start + 4;
    this.u32(size);
    this.bytes.writeUInt32LE(size, start + 4);
    if (this.records === 0) this.firstRecordId = recordId;
    this.lastRecordId = recordId;
    this.lastRecordOffset = start;
    this.records++;
  }

  /** Fragment header, template instance (definition inline on first use in the chunk), values, end of stream. */
  private templateInstance(shape: Shape): void {
    this.raw(Buffer.from([0x0f, 0x01, 0x01, 0x00]));
    this.u8(0x0c);
    this.u8(0x01);
    const known = this.templates.get(shape.key);
    const id = known?.id ?? crc32(Buffer.from(shape.key));
    this.u32(id);
    if (known) {
      this.u32(known.offset);
    } else {
      const definition = this.at + 4;
      this.u32(definition);
      this.templates.set(shape.key, { offset: definition, id });
      this.u32(0); // next template in the same bucket
      this.raw(Buffer.from(id.toString(16).padStart(8, '0').padEnd(32, '0'), 'hex'));
      const sizeAt = this.at;
      this.u32(0);
      const dataStart = this.at;
      this.raw(Buffer.from([0x0f, 0x01, 0x01, 0x00]));
      this.element(shape.element, { next: 0 }, shape.values);
      this.u8(0x00);
      this.bytes.writeUInt32LE(this.at - dataStart, sizeAt);
    }
    this.u32(shape.values.length);
    const descriptors = this.at;
    for (const v of shape.values) {
      this.u16(v.bytes.length);
      this.u8(v.type);
      this.u8(0);
    }
    shape.values.forEach((v, i) => {
      if (!v.fragment) return this.raw(v.bytes);
      // A BinXml value (0x21) is itself a fragment with its own template instance, as Windows writes UserData.
      const start = this.at;
      this.templateInstance(shapeOf(v.fragment));
      this.bytes.writeUInt16LE(this.at - start, descriptors + i * 4);
    });
    this.u8(0x00);
  }

  finish(recordsChecksum = true): Buffer {
    const b = this.bytes;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(this.firstRecordId), 8);
    b.writeBigUInt64LE(BigInt(this.lastRecordId), 16);
    b.writeBigUInt64LE(BigInt(this.firstRecordId), 24);
    b.writeBigUInt64LE(BigInt(this.lastRecordId), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastRecordOffset, 44);
    b.writeUInt32LE(this.at, 48);
    b.writeUInt32LE(recordsChecksum ? crc32(b, CHUNK_HEADER_SIZE, this.at) : 0, 52);
    b.writeUInt32LE(crc32(b, 128, CHUNK_HEADER_SIZE, crc32(b, 0, 120)), 124);
    return b;
  }
}

export interface WriteOptions {
  /** Start a new chunk after this many records (default: when the chunk is full). */
  recordsPerChunk?: number;
  /** Values for chosen elements' text (every value type, for the tests of substitutions). */
  values?: ValueOverride;
}

/** Encodes events (parsed `<Event>` elements, or XML text holding them) into an EVTX file. */
export function writeEvtx(events: readonly XmlElement[] | string, options: WriteOptions = {}): Buffer {
  const list = typeof events === 'string' ? findEvents(parseXmlForest(events)) : events;
  const chunks: Buffer[] = [];
  let chunk = new ChunkWriter();
  let nextRecordId = 1;
  for (const event of list) {
    const shape = shapeOf(event, options.values);
    const full = options.recordsPerChunk !== undefined && chunk.records >= options.recordsPerChunk;
    if (chunk.records > 0 && (full || !chunk.fits(shape))) {
      chunks.push(chunk.finish());
      chunk = new ChunkWriter();
    }
    const system = event.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'System');
    const recordIdElement = system?.children.find(
      (c): c is XmlElement => typeof c !== 'string' && c.name === 'EventRecordID',
    );
    const recordIdText = recordIdElement ? textContent(recordIdElement) : undefined;
    const recordId = recordIdText ? Number(recordIdText) : nextRecordId;
    const time = system?.children
      .find((c): c is XmlElement => typeof c !== 'string' && c.name === 'TimeCreated')
      ?.attributes.find(([n]) => n === 'SystemTime')?.[1];
    chunk.record(shape, recordId, fileTime(time ?? '2024-01-01T00:00:00Z'));
    nextRecordId = recordId + 1;
  }
  if (chunk.records > 0) chunks.push(chunk.finish());
  return Buffer.concat([fileHeader(chunks.length, nextRecordId), ...chunks]);
}

export function fileHeader(chunkCount: number, nextRecordId: number): Buffer {
  const header = Buffer.alloc(4096);
  header.write('ElfFile\0', 0, 'latin1');
  header.writeBigUInt64LE(0n, 8);
  header.writeBigUInt64LE(BigInt(Math.max(chunkCount - 1, 0)), 16);
  header.writeBigUInt64LE(BigInt(nextRecordId), 24);
  header.writeUInt32LE(128, 32);
  header.writeUInt16LE(1, 36);
  header.writeUInt16LE(3, 38);
  header.writeUInt16LE(4096, 40);
  header.writeUInt16LE(chunkCount & 0xffff, 42);
  header.writeUInt32LE(crc32(header, 0, 120), 124);
  return header;
}

/** A large log made of the chunks of an existing one, repeated, with a header that counts them (for benchmarks). */
export function repeatChunks(evtx: Buffer, times: number): Buffer {
  const chunks: Buffer[] = [];
  for (let offset = 4096; offset + CHUNK_SIZE <= evtx.length; offset += CHUNK_SIZE) {
    if (evtx.toString('latin1', offset, offset + 8) === 'ElfChnk\0')
      chunks.push(evtx.subarray(offset, offset + CHUNK_SIZE));
  }
  const all = Array.from({ length: times }, () => chunks).flat();
  return Buffer.concat([fileHeader(all.length, Number(evtx.readBigUInt64LE(24))), ...all]);
}
