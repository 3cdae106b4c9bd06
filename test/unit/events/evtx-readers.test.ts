import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource, readEvtx } from '../../../src/protocol/evtx/evtx.js';
import type { EvtxWarning } from '../../../src/protocol/evtx/evtx.js';
import { writeEvtx } from '../../helpers/evtx-writer.js';
import { libevtx, pythonEvtx, readerTime, sameValue } from './readers.js';
import type { ReaderRecord } from './readers.js';
import type { EventRecord } from '../../../src/facts/events.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/events');
const SAMPLES = readdirSync(FIXTURES).filter((f) => f.endsWith('.evtx'));

async function ours(bytes: Buffer): Promise<{ records: EventRecord[]; warnings: EvtxWarning[] }> {
  const records: EventRecord[] = [];
  const warnings: EvtxWarning[] = [];
  for await (const item of readEvtx(bufferSource(bytes), { xml: true })) {
    if (item.kind === 'chunk') {
      records.push(...item.chunk.records);
      warnings.push(...item.chunk.warnings);
    }
  }
  return { records, warnings };
}

/** python-evtx prints elements whose optional value is NULL (empty); Windows and libevtx leave them out, as we do. */
const namesWithValues = (data: Record<string, string>): string[] =>
  Object.keys(data).filter((name) => data[name]!.trim() !== '');

function compare(mine: EventRecord[], theirs: ReaderRecord[], reader: string): void {
  expect(
    theirs.map((r) => r.recordId),
    `${reader}: record ids`,
  ).toEqual(mine.map((r) => r.recordId));
  expect(
    theirs.map((r) => r.eventId),
    `${reader}: event ids`,
  ).toEqual(mine.map((r) => r.eventId));
  mine.forEach((record, i) => {
    const other = theirs[i]!;
    expect(
      Math.abs(readerTime(record.timeCreated.replace(/Z$/, '')) - other.time),
      `${reader}: time of record ${record.recordId}`,
    ).toBeLessThanOrEqual(1);
    expect(namesWithValues(other.data), `${reader}: data names of record ${record.recordId}`).toEqual(
      namesWithValues(record.data),
    );
    for (const [name, value] of Object.entries(record.data)) {
      const theirValue = other.data[name] ?? '';
      expect(
        sameValue(value, theirValue),
        `${reader}: record ${record.recordId} ${name}: ours ${JSON.stringify(value)}, theirs ${JSON.stringify(theirValue)}`,
      ).toBe(true);
    }
  });
}

/** python-evtx does not check a record's size copy: it also prints torn records, which we (and libevtx) skip and name. */
function withoutTorn(theirs: ReaderRecord[], mine: EventRecord[], warnings: EvtxWarning[]): ReaderRecord[] {
  const torn = warnings.filter((w) => w.message.includes('torn record')).length;
  const extra = theirs.length - mine.length;
  expect(extra, 'python-evtx shows exactly the torn records we skipped').toBe(torn);
  return theirs.filter((r) => mine.some((m) => m.recordId === r.recordId));
}

describe('EVTX reader against evtx_dump.py and evtxexport', () => {
  it.each(SAMPLES)('%s: same records, event ids, times and event data', async (name) => {
    const file = join(FIXTURES, name);
    const { records, warnings } = await ours(readFileSync(file));
    expect(records.length).toBeGreaterThan(0);
    compare(records, libevtx(file), 'evtxexport');
    compare(records, withoutTorn(pythonEvtx(file), records, warnings), 'evtx_dump.py');
  });

  it('generated logs: the CCG events, then every sample record re-encoded across many chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmsa-evtx-'));
    const ccg = readFileSync(join(FIXTURES, 'ccg-admin.wevtutil.xml'), 'utf8');
    const resamples: string[] = [];
    for (const name of SAMPLES)
      for (const r of (await ours(readFileSync(join(FIXTURES, name)))).records) resamples.push(r.xml!);
    const logs = {
      'ccg.evtx': writeEvtx(ccg),
      'ccg-3-per-chunk.evtx': writeEvtx(ccg, { recordsPerChunk: 3 }),
      'resampled.evtx': writeEvtx(resamples.join('\n'), { recordsPerChunk: 5 }),
    };
    for (const [name, bytes] of Object.entries(logs)) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const { records, warnings } = await ours(bytes);
      expect(warnings, name).toEqual([]);
      compare(records, libevtx(file), `evtxexport ${name}`);
      compare(records, pythonEvtx(file), `evtx_dump.py ${name}`);
    }
    expect((await ours(logs['ccg.evtx'])).records).toHaveLength(11);
    expect((await ours(logs['resampled.evtx'])).records.length).toBe(resamples.length);
  });
});
