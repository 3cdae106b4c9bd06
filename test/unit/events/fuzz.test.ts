import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/protocol/evtx/crc32.js';
import { bufferSource, EvtxFormatError, parseChunk, readEvtx } from '../../../src/protocol/evtx/evtx.js';
import type { EvtxWarning } from '../../../src/protocol/evtx/evtx.js';
import { EventSourceError, readEventFile } from '../../../src/probes/eventlog.js';
import { writeEvtx } from '../../helpers/evtx-writer.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/events');
const CCG = writeEvtx(readFileSync(join(FIXTURES, 'ccg-admin.wevtutil.xml'), 'utf8'), { recordsPerChunk: 4 });
const REAL = readFileSync(join(FIXTURES, 'omerbenamram-evtx__Security_short_selected.evtx'));

/** Reads everything; returns the warnings, or the file-level error (only a broken file header may stop a file). */
async function readAll(bytes: Buffer): Promise<{ records: number; warnings: EvtxWarning[] } | EvtxFormatError> {
  const warnings: EvtxWarning[] = [];
  let records = 0;
  try {
    for await (const item of readEvtx(bufferSource(bytes), { xml: true })) {
      if (item.kind === 'chunk') {
        records += item.chunk.records.length;
        warnings.push(...item.chunk.warnings);
      }
    }
  } catch (error) {
    if (error instanceof EvtxFormatError) return error;
    throw error;
  }
  return { records, warnings };
}

function expectNamed(warnings: EvtxWarning[]): void {
  for (const w of warnings) {
    expect(w.chunk, w.message).toBeTypeOf('number');
    if (w.message.startsWith('record skipped')) expect(w.recordId, w.message).toBeTypeOf('number');
  }
}

const mutation = (size: number) =>
  fc.oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.integer({ min: 0, max: size - 1 }),
      xor: fc.integer({ min: 1, max: 255 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.integer({ min: 0, max: size }) }),
    fc.record({
      kind: fc.constant('offset' as const),
      at: fc.integer({ min: 4096, max: size - 4 }),
      value: fc.integer({ min: 0, max: 0xffffffff }),
    }),
  );

function mutate(
  bytes: Buffer,
  changes: { kind: 'flip' | 'truncate' | 'offset'; at: number; xor?: number; value?: number }[],
): Buffer {
  let out = Buffer.from(bytes);
  for (const c of changes) {
    if (c.kind === 'flip' && c.at < out.length) out[c.at]! ^= c.xor!;
    if (c.kind === 'truncate') out = out.subarray(0, Math.min(c.at, out.length));
    if (c.kind === 'offset' && c.at + 4 <= out.length) out.writeUInt32LE(c.value!, c.at);
  }
  return out;
}

describe('damaged logs never crash or hang, and every problem names its chunk and record', () => {
  for (const [name, sample] of [
    ['generated CCG log', CCG],
    ['real Security log', REAL],
  ] as const) {
    it(`${name}: flipped bytes, truncation, random offsets`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation(sample.length), { minLength: 1, maxLength: 6 }), async (changes) => {
          const result = await readAll(mutate(sample, changes));
          if (result instanceof EvtxFormatError) return;
          expectNamed(result.warnings);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('a flipped byte inside a record costs that record only, named with its chunk and record id', async () => {
    const clean = await readAll(CCG);
    expect(clean).not.toBeInstanceOf(Error);
    const damaged = Buffer.from(CCG);
    // The first record's template definition starts right after its instance header: break its first element token.
    damaged[4096 + 512 + 24 + 4 + 10 + 24 + 4] = 0x7f;
    const result = await readAll(damaged);
    if (result instanceof Error) throw result;
    expect(
      result.warnings.map((w) => [w.chunk, w.recordId, w.message.replace(/ at chunk offset.*/, '')]),
    ).toContainEqual([0, 1, 'record skipped: unexpected token 0x7f']);
    expect(result.records).toBeGreaterThan(0);
  });

  it('a template whose body instantiates itself is reported, not followed forever', () => {
    const chunk = Buffer.from(CCG.subarray(4096, 4096 + 65536));
    const record = 512;
    const instance = record + 24 + 4; // after the record header and the fragment header
    const definition = chunk.readUInt32LE(instance + 6);
    const body = definition + 24 + 4; // after the definition header and the template's own fragment header
    // Replace the body's first token by a template instance pointing at this same definition.
    chunk[body] = 0x0c;
    chunk[body + 1] = 0x01;
    chunk.writeUInt32LE(0, body + 2);
    chunk.writeUInt32LE(definition, body + 6);
    chunk.writeUInt32LE(0, body + 10);
    const result = parseChunk(chunk, 0, 4096);
    const first = result.warnings.find((w) => w.recordId === 1);
    expect(first?.message).toMatch(/template refers to itself/);
  });

  it('a name offset pointing past the chunk is an error of that record', () => {
    const chunk = Buffer.from(CCG.subarray(4096, 4096 + 65536));
    const definition = chunk.readUInt32LE(512 + 28 + 6);
    const element = definition + 24 + 4;
    chunk.writeUInt32LE(0xfffffff0, element + 7);
    const result = parseChunk(chunk, 3, 4096);
    expect(result.warnings.find((w) => w.recordId === 1)?.message).toMatch(
      /record skipped: name header .* runs past the end/,
    );
  });

  it('CRC mismatches are warnings: the records are still read', async () => {
    const damaged = Buffer.from(CCG);
    damaged.writeUInt32LE(crc32(damaged, 0, 4) ^ 1, 4096 + 124);
    const result = await readAll(damaged);
    if (result instanceof Error) throw result;
    expect(result.records).toBe(11);
    expect(result.warnings).toEqual([
      { chunk: 0, message: 'chunk header CRC32 does not match (the log may be damaged; records read anyway)' },
    ]);
  });

  it('a chunk without signature is skipped and named; the next chunks are read', async () => {
    const damaged = Buffer.from(CCG);
    damaged.write('XXXX', 4096 + 65536, 'latin1');
    const result = await readAll(damaged);
    if (result instanceof Error) throw result;
    expect(result.warnings).toEqual([
      { chunk: 1, offset: 4096 + 65536, message: 'no "ElfChnk" signature; chunk skipped' },
    ]);
    expect(result.records).toBe(11 - 4);
  });

  it('files: a truncated chunk, a non-log and a missing file are clear errors naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmsa-fuzz-'));
    const truncated = join(dir, 'truncated.evtx');
    writeFileSync(truncated, CCG.subarray(0, 4096 + 65536 + 1000));
    const warnings: string[] = [];
    for await (const batch of readEventFile(truncated)) warnings.push(...batch.warnings);
    expect(warnings).toEqual(['chunk 1, offset 0x11000: chunk truncated to 1000 of 65536 bytes; skipped']);

    const notLog = join(dir, 'notes.txt');
    writeFileSync(notLog, 'hello');
    await expect(readEventFile(notLog).next()).rejects.toThrow(
      new EventSourceError(
        `${notLog}: neither an .evtx file, event XML (wevtutil qe /f:xml) nor JSON (Get-WinEvent | ConvertTo-Json)`,
      ),
    );
    await expect(readEventFile(join(dir, 'absent.evtx')).next()).rejects.toThrow(
      `${join(dir, 'absent.evtx')}: no such file`,
    );

    const badXml = join(dir, 'bad.xml');
    writeFileSync(badXml, '<Event><System>\n<EventID>1</EventID>\n</Event>');
    await expect(readEventFile(badXml).next()).rejects.toThrow(`${badXml}: line 3: </Event> does not close <System>`);

    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '[{"Id": 1, "TimeCreated": "yesterday"}]');
    await expect(readEventFile(badJson).next()).rejects.toThrow(
      `${badJson}: [0].TimeCreated: not a date ("yesterday")`,
    );
  });
});
