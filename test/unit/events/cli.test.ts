import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dumpEvents } from '../../../src/cli/events.js';
import { main } from '../../../src/cli/program.js';
import { findEvents, parseXmlForest } from '../../../src/protocol/evtx/xml.js';
import { writeEvtx } from '../../helpers/evtx-writer.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/events');
const SECURITY = join(FIXTURES, 'omerbenamram-evtx__Security_short_selected.evtx');
const NETLOGON = join(FIXTURES, 'sbousseaden__Zerologon_System_NetLogon_5805.evtx');
const CCG = join(mkdtempSync(join(tmpdir(), 'gmsa-cli-')), 'ccg.evtx');
writeFileSync(CCG, writeEvtx(readFileSync(join(FIXTURES, 'ccg-admin.wevtutil.xml'), 'utf8')));

async function dump(files: string[], format: 'json' | 'xml'): Promise<{ out: string; err: string; code: number }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errors.push(c));
  const code = await dumpEvents(files, format, out, err);
  return { out: Buffer.concat(chunks).toString(), err: Buffer.concat(errors).toString(), code };
}

function captureStdout(): { text: () => string } {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { text: () => written.join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('events --dump', () => {
  it('json: every record of every file, with the fields users rely on', async () => {
    const { out, code } = await dump([SECURITY, NETLOGON], 'json');
    const records = JSON.parse(out) as {
      recordId: number;
      eventId: number;
      provider: string;
      data: Record<string, string>;
    }[];
    expect(code).toBe(0);
    expect(records).toHaveLength(9);
    expect(records[0]).toMatchObject({
      recordId: 319457771,
      eventId: 5152,
      provider: 'Microsoft-Windows-Security-Auditing',
      channel: 'Security',
      computer: 'temporal',
    });
    expect(records[8]).toMatchObject({
      eventId: 5805,
      provider: 'NETLOGON',
      data: { 'Data[0]': '01566S-WIN16-IR', 'Data[1]': '%%5', Binary: '220000C0' },
    });
  });

  it('xml: one well-formed document of <Event> elements', async () => {
    const { out } = await dump([CCG], 'xml');
    const events = findEvents(parseXmlForest(out));
    expect(events).toHaveLength(11);
    expect(out).toContain(
      '<Provider Name="Microsoft-Windows-Containers-CCG" Guid="{45E7DBC5-E130-5CEF-9353-CC5EBF05E6C8}"/>',
    );
  });

  it('damage goes to stderr naming file, chunk and record; an unreadable file gives exit code 2 and the others are still dumped', async () => {
    const damaged = join(FIXTURES, 'omerbenamram-evtx__HelloForBusiness-Operational.evtx');
    const { out, err, code } = await dump([join(FIXTURES, 'absent.evtx'), damaged], 'json');
    expect(code).toBe(2);
    expect(JSON.parse(out)).toHaveLength(5);
    expect(err).toContain(`gmsa-doctor: ${join(FIXTURES, 'absent.evtx')}: no such file`);
    expect(err).toContain(
      `gmsa-doctor: ${damaged}: chunk 0, record 6, offset 0x1f90: record skipped: the copy of its size at its end does not match (torn record)`,
    );
  });
});

describe('gmsa-doctor events', () => {
  it('exit code 1 and the failures for the CCG log', async () => {
    const stdout = captureStdout();
    expect(await main(['node', 'gmsa-doctor', 'events', CCG, '--no-color'])).toBe(1);
    expect(stdout.text()).toContain('events/ccg-gmsa-fetch');
    expect(stdout.text()).toContain('gMSA WebApp01, plug-in {3C0BED28-38FC-42A9-A6AC-967A4839DF61}');
  });

  it('exit code 0 for logs without gMSA failures, 2 for a missing file or a bad --since', async () => {
    captureStdout();
    expect(await main(['node', 'gmsa-doctor', 'events', SECURITY])).toBe(0);
    expect(await main(['node', 'gmsa-doctor', 'events', join(FIXTURES, 'absent.evtx')])).toBe(2);
    expect(await main(['node', 'gmsa-doctor', 'events', SECURITY, '--since', 'last tuesday'])).toBe(2);
  });

  it('--format json is the report schema with the event findings', async () => {
    const stdout = captureStdout();
    await main(['node', 'gmsa-doctor', 'events', CCG, '--format', 'json']);
    const report = JSON.parse(stdout.text()) as { findings: { id: string; severity: string }[] };
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual([
      'events/ccg-credspec-parse',
      'events/ccg-plugin-load',
      'events/ccg-plugin-credentials',
      'events/ccg-gmsa-fetch',
      'events/ccg-plugin-guid',
    ]);
  });
});
