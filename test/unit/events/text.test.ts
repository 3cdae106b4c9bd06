/**
 * Events as text (issue 13): `events FILE` and `check --events FILE` read what users paste or save (a CCG message,
 * `Get-WinEvent | Format-List`, `Get-EventLog` output, a Security event's labelled text) as the records an export
 * gives, and `-` reads standard input. Every text is a real paste of the corpus (test/fixtures/evidence,
 * PROVENANCE.md); the .evtx is a real sample of test/fixtures/events.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeEvents, dumpEvents } from '../../../src/cli/events.js';
import { eventRecordsOfText } from '../../../src/evidence/facts.js';
import type { EventRecord } from '../../../src/facts/events.js';
import { EventSourceError, readEventFile } from '../../../src/probes/eventlog.js';
import type { ReadEventsOptions } from '../../../src/probes/eventlog.js';
import { cli } from '../../helpers/cli.js';

const EVIDENCE = join(import.meta.dirname, '../../fixtures/evidence');
const paste = (name: string): string => join(EVIDENCE, name);
const SECURITY_4625 = paste(
  'microsoft-service-fabric-issues-1299__security-4625-0xC000015B-logon-type-not-granted.txt',
);
const CCG_8 = paste('Azure-AKS-3849__ccg-event-failed-to-fetch-gmsa-credentials-logon-invalid.txt');
const HYPERV_11507 = paste('microsoft-Windows-Containers-221__docker-run-winapi-3489792023-hyperv-compute-11507.txt');
const NETLOGON_5720 = paste('microsoft-Windows-Containers-405__get-eventlog-netlogon-5720-shared-gmsa.txt');
const NLTEST = paste('KostyaSha-yet-another-docker-plugin-274__nltest-sc_verify-RPC_S_SERVER_UNAVAILABLE.txt');
const SECURITY_EVTX = join(
  import.meta.dirname,
  '../../fixtures/events/omerbenamram-evtx__Security_short_selected.evtx',
);
const work = mkdtempSync(join(tmpdir(), 'gmsa-event-text-'));

const TEXT: ReadEventsOptions = { readText: eventRecordsOfText };

async function read(
  file: string,
  options: ReadEventsOptions = TEXT,
): Promise<{ formats: string[]; records: EventRecord[] }> {
  const formats: string[] = [];
  const records: EventRecord[] = [];
  for await (const batch of readEventFile(file, options)) {
    formats.push(batch.format);
    records.push(...batch.records);
  }
  return { formats: [...new Set(formats)], records };
}

const errorIds = (report: { findings: { id: string; severity: string }[] }): string[] =>
  report.findings.filter((f) => f.severity === 'error').map((f) => f.id);

describe('event text read as records', () => {
  it('each form of the corpus gives the event it shows, with its provider and id', async () => {
    const shown = await Promise.all(
      [CCG_8, HYPERV_11507, NETLOGON_5720, SECURITY_4625].map(async (file) => {
        const { formats, records } = await read(file);
        return { formats, events: records.map((r) => `${r.provider}/${r.eventId}`) };
      }),
    );
    expect(shown).toEqual([
      { formats: ['text'], events: ['Microsoft-Windows-Containers-CCG/8'] },
      { formats: ['text'], events: ['Microsoft-Windows-Hyper-V-Compute/11507'] },
      { formats: ['text'], events: ['NETLOGON/5720'] },
      { formats: ['text'], events: ['Microsoft-Windows-Security-Auditing/4625'] },
    ]);
    const [ccg] = (await read(CCG_8)).records;
    expect(ccg!.data).toMatchObject({ 'Data[0]': 'xxx', 'Data[1]': '{CCC2A336-D7F3-4818-A213-272B7924213E}' });
  });

  it('text saved by Windows PowerShell (`> file`: UTF-16 LE with a byte order mark) reads the same', async () => {
    const file = join(work, 'utf16.txt');
    const text = readFileSync(HYPERV_11507, 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect((await read(file)).records).toEqual((await read(HYPERV_11507)).records);
  });

  it('without a text reader (the library’s readEventFile as before), text is refused as no export', async () => {
    await expect(read(CCG_8, {})).rejects.toThrow(
      `${CCG_8}: neither an .evtx file, event XML (wevtutil qe /f:xml) nor JSON (Get-WinEvent | ConvertTo-Json)`,
    );
  });
});

describe('what holds no event is a clear input error naming the file', () => {
  it('text without an event (an nltest transcript): "no event in it", and `events` exits 2 naming the file', async () => {
    await expect(read(NLTEST)).rejects.toThrow(
      new EventSourceError(
        `${NLTEST}: no event in it: neither an .evtx file, event XML (wevtutil qe /f:xml), JSON (Get-WinEvent | ConvertTo-Json) nor event text (Event Viewer's "Copy details as text", Get-WinEvent | Format-List, Get-EventLog output, an event's message or a Security event's text)`,
      ),
    );
    const { code, out } = await cli('events', NLTEST, '--format', 'json');
    expect(code).toBe(2);
    expect((JSON.parse(out) as { inputErrors: unknown[] }).inputErrors).toEqual([
      { file: NLTEST, reason: expect.stringMatching(/^no event in it: neither an \.evtx file/) as string },
    ]);
  });

  it('a broken XML export keeps its own error: it is not read as text', async () => {
    const file = join(work, 'broken.xml');
    writeFileSync(file, '<Event><System>\n<EventID>1</EventID>\n</Event>');
    await expect(read(file)).rejects.toThrow(`${file}: line 3: </Event> does not close <System>`);
  });

  it('text is read up to the limit of a paste (16 MiB), and refused above it', async () => {
    const file = join(work, 'large.txt');
    const text = readFileSync(HYPERV_11507, 'utf8');
    writeFileSync(file, text.repeat(Math.ceil((16 * 1024 * 1024) / text.length) + 1));
    await expect(read(file)).rejects.toThrow(
      /^.*large\.txt: \d+ bytes, over the 16 MiB limit of a text file of events: refused$/,
    );
  });
});

describe('standard input', () => {
  const stdin = (file: string): Readable => Readable.from([readFileSync(file)]);

  it('`-` reads event text, and an .evtx, from standard input', async () => {
    const text = await read('-', { ...TEXT, stdin: stdin(CCG_8) });
    expect(text).toMatchObject({ formats: ['text'], records: [{ eventId: 8 }] });
    const evtx = await read('-', { ...TEXT, stdin: stdin(SECURITY_EVTX) });
    expect(evtx.formats).toEqual(['evtx']);
    expect(evtx.records).toHaveLength(7);
  });

  it('`events -` judges what is piped in; the source is named <stdin>', async () => {
    const report = await analyzeEvents(['-'], { stdin: stdin(CCG_8) });
    expect(report.inputErrors).toEqual([]);
    expect(errorIds(report)).toEqual(['events/ccg-gmsa-fetch']);
    const empty = await analyzeEvents(['-'], { stdin: Readable.from([Buffer.from('hello\n')]) });
    expect(empty.inputErrors).toEqual([
      { file: '<stdin>', reason: expect.stringMatching(/^no event in it/) as string },
    ]);
  });

  it('`-` twice is a usage error', async () => {
    const { code, err } = await cli('events', '-', '-');
    expect(code).toBe(2);
    expect(err).toContain('- (standard input) can be read once only');
  });
});

describe('the commands', () => {
  it('`events FILE.txt`: exit 1 and the finding of the event the text shows, with its time', async () => {
    const { code, out } = await cli('events', HYPERV_11507, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { findings: { id: string; severity: string; message: string }[] };
    expect(errorIds(report)).toEqual(['events/hyperv-external-credentials']);
    expect(report.findings.find((f) => f.severity === 'error')!.message).toMatch(
      /^Microsoft-Windows-Hyper-V-Compute event 11507, at 5\/4\/2022 5:36:26 PM: .*\(0xC0020017\)/,
    );
  });

  it('an event pasted without its time says so, rather than "at " and nothing', async () => {
    const report = await analyzeEvents([CCG_8], {});
    expect(report.findings.find((f) => f.severity === 'error')).toMatchObject({
      id: 'events/ccg-gmsa-fetch',
      message: expect.stringMatching(/^Microsoft-Windows-Containers-CCG event 8, time not given: /) as string,
    });
  });

  it('`check --events FILE.txt` judges the same events', async () => {
    const { code, out } = await cli('check', '--events', HYPERV_11507, '--events', NETLOGON_5720, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { findings: { id: string; severity: string }[]; inputErrors: unknown[] };
    expect(report.inputErrors).toEqual([]);
    expect(errorIds(report)).toEqual(['events/hyperv-external-credentials', 'events/netlogon-secure-channel']);
  });

  it('`events --dump FILE.txt` prints the records read from the text', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    expect(await dumpEvents([NETLOGON_5720, CCG_8], 'json', out, new PassThrough())).toBe(0);
    const records = JSON.parse(Buffer.concat(chunks).toString()) as EventRecord[];
    expect(records.map((r) => [r.provider, r.eventId])).toEqual([
      ['NETLOGON', 5720],
      ['Microsoft-Windows-Containers-CCG', 8],
    ]);
  });
});
