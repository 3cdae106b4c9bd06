import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { XmlElement } from '../../../src/protocol/evtx/binxml.js';
import { bufferSource, readEvtx } from '../../../src/protocol/evtx/evtx.js';
import { attribute } from '../../../src/protocol/evtx/record.js';
import { fileTime, writeEvtx } from '../../helpers/evtx-writer.js';
import type { Value } from '../../helpers/evtx-writer.js';
import { libevtx, pythonEvtx, sameValue } from './readers.js';
import type { EventRecord } from '../../../src/facts/events.js';

const le = (size: number, write: (b: Buffer) => void): Buffer => {
  const b = Buffer.alloc(size);
  write(b);
  return b;
};

const SID = Buffer.from('010500000000000515000000a065cf7e784b9b5fe77c8770ec030000', 'hex');
const GUID = Buffer.from('28ed0b3cfc38a942a6ac967a4839df61', 'hex');
const SYSTEMTIME = le(16, (b) => [2024, 5, 4, 2, 9, 14, 3, 531].forEach((v, i) => b.writeUInt16LE(v, i * 2)));

/** Each value type of [MS-EVEN6] 3.1.4.7.3, its bytes, and the text Windows renders for it. */
const TYPES: { name: string; value: Value; text: string }[] = [
  { name: 'WString', value: { type: 0x01, bytes: Buffer.from('WebApp01$\0', 'utf16le') }, text: 'WebApp01$' },
  { name: 'AnsiString', value: { type: 0x02, bytes: Buffer.from('contoso.com\0', 'latin1') }, text: 'contoso.com' },
  { name: 'Int8', value: { type: 0x03, bytes: le(1, (b) => b.writeInt8(-5)) }, text: '-5' },
  { name: 'UInt8', value: { type: 0x04, bytes: le(1, (b) => b.writeUInt8(200)) }, text: '200' },
  { name: 'Int16', value: { type: 0x05, bytes: le(2, (b) => b.writeInt16LE(-300)) }, text: '-300' },
  { name: 'UInt16', value: { type: 0x06, bytes: le(2, (b) => b.writeUInt16LE(65000)) }, text: '65000' },
  { name: 'Int32', value: { type: 0x07, bytes: le(4, (b) => b.writeInt32LE(-70000)) }, text: '-70000' },
  { name: 'UInt32', value: { type: 0x08, bytes: le(4, (b) => b.writeUInt32LE(4000000000)) }, text: '4000000000' },
  {
    name: 'Int64',
    value: { type: 0x09, bytes: le(8, (b) => b.writeBigInt64LE(-5000000000000n)) },
    text: '-5000000000000',
  },
  {
    name: 'UInt64',
    value: { type: 0x0a, bytes: le(8, (b) => b.writeBigUInt64LE(18000000000000000000n)) },
    text: '18000000000000000000',
  },
  { name: 'Real32', value: { type: 0x0b, bytes: le(4, (b) => b.writeFloatLE(1.5)) }, text: '1.5' },
  { name: 'Real64', value: { type: 0x0c, bytes: le(8, (b) => b.writeDoubleLE(-3.25)) }, text: '-3.25' },
  { name: 'Bool', value: { type: 0x0d, bytes: le(4, (b) => b.writeUInt32LE(1)) }, text: 'true' },
  { name: 'Binary', value: { type: 0x0e, bytes: Buffer.from('220000c0', 'hex') }, text: '220000C0' },
  { name: 'Guid', value: { type: 0x0f, bytes: GUID }, text: '{3C0BED28-38FC-42A9-A6AC-967A4839DF61}' },
  {
    name: 'SizeT',
    value: { type: 0x10, bytes: le(8, (b) => b.writeBigUInt64LE(0x1f40n)) },
    text: '0x0000000000001f40',
  },
  {
    name: 'FileTime',
    value: { type: 0x11, bytes: fileTime('2024-05-02T09:14:03.5310221Z') },
    text: '2024-05-02T09:14:03.5310221Z',
  },
  { name: 'SystemTime', value: { type: 0x12, bytes: SYSTEMTIME }, text: '2024-05-02T09:14:03.531Z' },
  { name: 'Sid', value: { type: 0x13, bytes: SID }, text: 'S-1-5-21-2127521184-1604012920-1887927527-1004' },
  { name: 'HexInt32', value: { type: 0x14, bytes: le(4, (b) => b.writeUInt32LE(0xc000006a)) }, text: '0xc000006a' },
  {
    name: 'HexInt64',
    value: { type: 0x15, bytes: le(8, (b) => b.writeBigUInt64LE(0x3e7n)) },
    text: '0x00000000000003e7',
  },
];

/** Where a reader prints a type differently from Windows (and from us); each is explained in the README. */
const KNOWN_READER_DIFFERENCES: string[] = [
  // libevtx 20181227 prints negative signed integers as sign and magnitude of the raw bits: -5 (0xFB) becomes -123.
  'evtxexport Int8: -123',
  'evtxexport Int16: -32468',
  'evtxexport Int32: -2147413648',
  'evtxexport Int64: -9223367036854775808',
  // python-evtx passes SYSTEMTIME milliseconds as microseconds: .531 becomes .000531.
  'evtx_dump.py SystemTime: 2024-05-02 09:14:03.000531',
];

const ARRAYS: { name: string; value: Value; items: string[] }[] = [
  {
    name: 'WStringArray',
    value: { type: 0x81, bytes: Buffer.from('gmsa1\0gmsa2\0', 'utf16le') },
    items: ['gmsa1', 'gmsa2'],
  },
  { name: 'UInt16Array', value: { type: 0x86, bytes: Buffer.from([1, 0, 2, 0, 3, 0]) }, items: ['1', '2', '3'] },
  {
    name: 'GuidArray',
    value: { type: 0x8f, bytes: Buffer.concat([GUID, GUID]) },
    items: ['{3C0BED28-38FC-42A9-A6AC-967A4839DF61}', '{3C0BED28-38FC-42A9-A6AC-967A4839DF61}'],
  },
];

function eventXml(names: string[]): string {
  const data = names.map((n) => `<Data Name="${n}">x</Data>`).join('');
  return (
    `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Test"/><EventID>1</EventID>` +
    `<TimeCreated SystemTime="2024-05-02T09:14:03.5310221Z"/><EventRecordID>1</EventRecordID><Channel>Test</Channel><Computer>host</Computer></System>` +
    `<EventData>${data}</EventData></Event>`
  );
}

function byName(values: Record<string, Value>) {
  return (element: XmlElement): Value | undefined => {
    const name = attribute(element, 'Name');
    return name === undefined ? undefined : values[name];
  };
}

async function read(bytes: Buffer): Promise<EventRecord[]> {
  const records: EventRecord[] = [];
  for await (const item of readEvtx(bufferSource(bytes), { xml: true })) {
    if (item.kind === 'chunk') {
      expect(item.chunk.warnings).toEqual([]);
      records.push(...item.chunk.records);
    }
  }
  return records;
}

function save(name: string, bytes: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gmsa-evtx-types-')), name);
  writeFileSync(file, bytes);
  return file;
}

describe('substitution values of every type', () => {
  const bytes = writeEvtx(eventXml(TYPES.map((t) => t.name)), {
    values: byName(Object.fromEntries(TYPES.map((t) => [t.name, t.value]))),
  });

  it('renders each type as Windows does', async () => {
    const [record] = await read(bytes);
    expect(record!.data).toEqual(Object.fromEntries(TYPES.map((t) => [t.name, t.text])));
  });

  it('agrees with evtxexport and evtx_dump.py on each value', async () => {
    const [record] = await read(bytes);
    const file = save('types.evtx', bytes);
    const differences: string[] = [];
    for (const [reader, theirs] of [
      ['evtxexport', libevtx(file)],
      ['evtx_dump.py', pythonEvtx(file)],
    ] as const) {
      for (const t of TYPES) {
        const their = theirs[0]!.data[t.name] ?? '';
        if (!sameValue(record!.data[t.name]!, their)) differences.push(`${reader} ${t.name}: ${their}`);
      }
    }
    expect(differences).toEqual(KNOWN_READER_DIFFERENCES);
  });

  it('repeats an element once per array item, as Windows does, and agrees with evtxexport', async () => {
    const arrays = writeEvtx(eventXml(ARRAYS.map((a) => a.name)), {
      values: byName(Object.fromEntries(ARRAYS.map((a) => [a.name, a.value]))),
    });
    const [record] = await read(arrays);
    for (const a of ARRAYS) expect(record!.data[a.name]).toBe(a.items.join(', '));
    expect(record!.xml).toContain('<Data Name="WStringArray">gmsa1</Data>\n    <Data Name="WStringArray">gmsa2</Data>');
    const theirs = libevtx(save('arrays.evtx', arrays))[0]!;
    for (const a of ARRAYS)
      expect(theirs.data[a.name]?.toLowerCase(), `evtxexport ${a.name}`).toBe(a.items.join(', ').toLowerCase());
  });

  it('renders a nested BinXml value (0x21) in place, as UserData events carry it', async () => {
    const userData: XmlElement = {
      name: 'CcgEvent',
      attributes: [['xmlns', 'urn:test']],
      children: [{ name: 'Plugin', attributes: [], children: ['{3C0BED28-38FC-42A9-A6AC-967A4839DF61}'] }],
    };
    const xml = eventXml([]).replace('<EventData></EventData>', '<UserData>x</UserData>');
    const nested = writeEvtx(xml, {
      values: (e) => (e.name === 'UserData' ? { type: 0x21, bytes: Buffer.alloc(0), fragment: userData } : undefined),
    });
    const [record] = await read(nested);
    expect(record!.data).toEqual({ Plugin: '{3C0BED28-38FC-42A9-A6AC-967A4839DF61}' });
    expect(record!.xml).toContain(
      '<UserData>\n    <CcgEvent xmlns="urn:test">\n      <Plugin>{3C0BED28-38FC-42A9-A6AC-967A4839DF61}</Plugin>',
    );
    const file = save('binxml.evtx', nested);
    expect(libevtx(file)[0]!.data).toEqual(record!.data);
    expect(pythonEvtx(file)[0]!.data).toEqual(record!.data);
  });
});
