/**
 * Reads event logs: binary .evtx (streamed chunk by chunk), `wevtutil qe /f:xml` exports,
 * `Get-WinEvent | ConvertTo-Json` exports, events as text (through the reader the caller gives: the recognisers of
 * pasted evidence live in a layer above this one) and, on Windows, the live logs through wevtutil. `-` reads
 * standard input.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import { knownEvent, CCG_CHANNEL, CCG_PROVIDER } from '../protocol/ccg-events.js';
import { isLogonTypeNotGranted } from '../protocol/logon-rights.js';
import { describeWarning, EvtxFormatError, readEvtx } from '../protocol/evtx/evtx.js';
import type { ByteSource, EvtxWarning } from '../protocol/evtx/evtx.js';
import { ExportFormatError, parseEventXml, parseWinEventJson } from '../protocol/evtx/exports.js';
import { XmlSyntaxError } from '../protocol/evtx/xml.js';
import { ProcessRunner } from './commands.js';
import { INPUT_LIMITS, InputFileError, openInputFile, overLimit, readInputFile } from './input-file.js';
import type { CommandRunner } from './commands.js';
import type { EventRecord, EventSourceFormat, EventSourceSummary } from '../facts/events.js';

export interface EventBatch {
  records: EventRecord[];
  warnings: string[];
}

/**
 * Events pasted or saved as text (Event Viewer's "Copy details as text", `Get-WinEvent | Format-List`, `Get-EventLog`
 * output, a message copied alone, a Security event's labelled text) as records, each with the data names an export
 * of the same event has. Given by the caller (src/evidence has the recognisers, and probes may not import it).
 */
export type EventTextReader = (text: string) => EventRecord[];

export interface ReadEventsOptions {
  /** Also render each record's XML (binary .evtx; exports carry their own). */
  xml?: boolean;
  signal?: AbortSignal;
  /** Read a file that is neither .evtx nor an XML or JSON export as event text; without it such a file is refused. */
  readText?: EventTextReader;
  /** What `-` reads (standard input by default). */
  stdin?: Readable;
}

/** The file name that reads standard input, and how the sources and errors name it. */
export const STDIN_FILE = '-';
export const STDIN_SOURCE = '<stdin>';

export class EventSourceError extends Error {}

const WINDOW = 16 * 65536;

/**
 * Random access through one reused 1 MiB window: memory stays flat however large the log, and reading a window
 * at a time (synchronously, between chunks the caller can still abort) avoids a thread-pool round trip per chunk.
 */
function fileSource(fd: number): { source: ByteSource; close: () => void } {
  const size = fstatSync(fd).size;
  const window = Buffer.alloc(WINDOW);
  let windowStart = 0;
  let windowLength = 0;
  const source: ByteSource = {
    size,
    read: (offset, length) => {
      if (offset < windowStart || offset + length > windowStart + windowLength) {
        windowStart = offset;
        windowLength = readSync(fd, window, 0, Math.max(length, WINDOW), offset);
      }
      const from = offset - windowStart;
      return Promise.resolve(window.subarray(from, Math.min(from + length, windowLength)));
    },
  };
  return { source, close: () => closeSync(fd) };
}

/** A log held in memory (read from standard input). */
function bufferSource(bytes: Buffer): ByteSource {
  return { size: bytes.length, read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)) };
}

/** The first bytes of a file: enough to tell .evtx from an export from text. */
function headOf(fd: number): Buffer {
  const head = Buffer.alloc(4096);
  return head.subarray(0, readSync(fd, head, 0, head.length, 0));
}

/** An .evtx file opens with the signature "ElfFile\0". */
function isEvtx(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).toString('latin1') === 'ElfFile\0';
}

/** Whether a file can be an event log (an .evtx, or an XML or JSON export) by its first bytes: the rest is text. */
export function mayBeEventLog(path: string): boolean {
  const fd = openInputFile(path, INPUT_LIMITS.evtx);
  try {
    const head = headOf(fd);
    return isEvtx(head) || looksLikeExport(decodeText(head));
  } finally {
    closeSync(fd);
  }
}

/** XML or JSON by its first character: an export, or what was meant to be one. */
function looksLikeExport(text: string): boolean {
  const start = text.trimStart()[0];
  return start === '<' || start === '[' || start === '{';
}

/** Export files come as UTF-8 or, from Windows PowerShell's `>`, UTF-16 LE with a byte order mark. */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

export function parseExportText(text: string): { format: 'xml' | 'json'; records: EventRecord[] } {
  const start = text.trimStart()[0];
  if (start === '<') return { format: 'xml', records: parseEventXml(text) };
  if (start === '[' || start === '{') return { format: 'json', records: parseWinEventJson(text) };
  throw new EventSourceError(
    'neither an .evtx file, event XML (wevtutil qe /f:xml) nor JSON (Get-WinEvent | ConvertTo-Json)',
  );
}

const NO_EVENT =
  "no event in it: neither an .evtx file, event XML (wevtutil qe /f:xml), JSON (Get-WinEvent | ConvertTo-Json) nor event text (Event Viewer's \"Copy details as text\", Get-WinEvent | Format-List, Get-EventLog output, an event's message or a Security event's text)";

/**
 * The records of an export, or of event text: an export that parses as one is read as such; what does not (text,
 * `Get-EventLog | ConvertTo-Json`, XML that is no event) is read as text when a reader is given. A file that holds
 * no event in any form keeps the export's error, which says more about a broken export than "no event" would.
 */
function parseEvents(
  name: string,
  bytes: Buffer,
  readText: EventTextReader | undefined,
): { format: EventSourceFormat; records: EventRecord[] } {
  const text = decodeText(bytes);
  if (!readText) return parseExportText(text);
  const exportLike = looksLikeExport(text);
  let exported: { format: EventSourceFormat; records: EventRecord[] } | undefined;
  let exportError: Error | undefined;
  if (exportLike) {
    try {
      exported = parseExportText(text);
      if (exported.records.length > 0) return exported;
    } catch (error) {
      exportError = error instanceof Error ? error : new EventSourceError(String(error));
    }
  }
  if (bytes.length > INPUT_LIMITS.eventText.maxBytes) {
    // Too large to be read as a paste: an export (empty, or broken) says what it is as an export.
    if (exported) return exported;
    if (exportError) throw exportError;
    throw overLimit(name, bytes.length, INPUT_LIMITS.eventText);
  }
  const records = readText(text);
  if (records.length > 0) return { format: 'text', records };
  if (exported) return exported;
  throw exportError ?? new EventSourceError(NO_EVENT);
}

/** Standard input, read whole up to its limit. */
async function readStdin(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > INPUT_LIMITS.eventStdin.maxBytes) {
      stream.destroy();
      throw new InputFileError(
        STDIN_SOURCE,
        'limit',
        `more than ${INPUT_LIMITS.eventStdin.maxBytes} bytes, over the limit of an ${INPUT_LIMITS.eventStdin.what}: refused (give the file instead)`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

function warningText(warning: EvtxWarning): string {
  return describeWarning(warning);
}

async function* evtxBatches(
  source: ByteSource,
  options: ReadEventsOptions,
): AsyncGenerator<EventBatch & { format: EventSourceFormat }> {
  for await (const item of readEvtx(source, { xml: options.xml })) {
    options.signal?.throwIfAborted();
    if (item.kind === 'header') {
      const warnings = item.header.checksumOk
        ? []
        : ['file header CRC32 does not match (the log may be damaged; read anyway)'];
      yield { format: 'evtx', records: [], warnings };
    } else {
      yield { format: 'evtx', records: item.chunk.records, warnings: item.chunk.warnings.map(warningText) };
    }
  }
}

/** Standard input: .evtx (in memory), an export or event text, within the limit of what is read from it. */
async function* readStdinEvents(
  options: ReadEventsOptions,
): AsyncGenerator<EventBatch & { format: EventSourceFormat }> {
  const bytes = await readStdin(options.stdin ?? process.stdin);
  if (isEvtx(bytes)) {
    yield* evtxBatches(bufferSource(bytes), options);
    return;
  }
  const { format, records } = parseEvents(STDIN_SOURCE, bytes, options.readText);
  yield { format, records, warnings: [] };
}

/**
 * Streams the records of one file in batches (one per 64 KiB chunk for .evtx); `-` reads standard input. An export
 * is read whole within its limit, event text within the smaller limit of a paste.
 */
export async function* readEventFile(
  path: string,
  options: ReadEventsOptions = {},
): AsyncGenerator<EventBatch & { format: EventSourceFormat }> {
  const name = path === STDIN_FILE ? STDIN_SOURCE : path;
  try {
    if (path === STDIN_FILE) {
      yield* readStdinEvents(options);
      return;
    }
    const fd = openInputFile(path, INPUT_LIMITS.evtx);
    let evtx = false;
    let head: Buffer;
    try {
      head = headOf(fd);
      evtx = isEvtx(head);
    } finally {
      if (!evtx) closeSync(fd);
    }
    if (evtx) {
      const { source, close } = fileSource(fd);
      try {
        yield* evtxBatches(source, options);
      } finally {
        close();
      }
      return;
    }
    const text = options.readText && !looksLikeExport(decodeText(head));
    const bytes = readInputFile(path, text ? INPUT_LIMITS.eventText : INPUT_LIMITS.eventExport);
    const { format, records } = parseEvents(path, bytes, options.readText);
    yield { format, records, warnings: [] };
  } catch (error) {
    throw explain(name, error);
  }
}

function explain(path: string, error: unknown): Error {
  if (error instanceof InputFileError) return new EventSourceError(error.message);
  if (error instanceof EventSourceError) return new EventSourceError(`${path}: ${error.message}`);
  if (error instanceof EvtxFormatError || error instanceof ExportFormatError || error instanceof XmlSyntaxError) {
    return new EventSourceError(`${path}: ${error.message}`);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new EventSourceError(`${path}: no such file`);
  if (code === 'EISDIR') return new EventSourceError(`${path}: is a directory, not a log file`);
  if (code === 'EACCES' || code === 'EPERM') return new EventSourceError(`${path}: permission denied`);
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new EventSourceError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * The events the checks look at: everything from the CCG provider, the related failures of the table, and Security
 * 4625 when the account lacks the logon right it asked for (0xC000015B).
 */
export function isRelevant(record: EventRecord): boolean {
  return (
    record.provider.toLowerCase() === CCG_PROVIDER.toLowerCase() ||
    knownEvent(record.provider, record.eventId) !== undefined ||
    isLogonTypeNotGranted(record)
  );
}

/** `--since`: an ISO date/time, or a duration back from now such as 24h, 7d, 30m. */
export function parseSince(text: string, now = Date.now()): Date {
  const duration = /^(\d+)\s*([smhd])$/i.exec(text.trim());
  if (duration) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[duration[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(duration[1]) * unit);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new EventSourceError(`--since ${text}: not a date (2024-05-01, 2024-05-01T10:00Z) or a duration (24h, 7d)`);
  return date;
}

function atOrAfter(record: EventRecord, since: Date | undefined): boolean {
  if (!since) return true;
  const time = Date.parse(record.timeCreated);
  return Number.isNaN(time) || time >= since.getTime();
}

async function summarise(
  file: string,
  batches: AsyncIterable<EventBatch & { format: EventSourceFormat }>,
  since: Date | undefined,
  keep: EventRecord[],
): Promise<EventSourceSummary> {
  const summary: EventSourceSummary = { file, records: 0, relevant: 0, warnings: [] };
  try {
    for await (const batch of batches) {
      summary.format = batch.format;
      summary.records += batch.records.length;
      summary.warnings.push(...batch.warnings);
      for (const record of batch.records) {
        if (!isRelevant(record) || !atOrAfter(record, since)) continue;
        summary.relevant++;
        delete record.xml;
        keep.push(record);
      }
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    summary.error = error instanceof Error ? error.message : String(error);
  }
  return summary;
}

/** The name of the live logs among the sources (not a file: a failure to read them is no input error). */
export const LIVE_SOURCE = 'live: wevtutil qe';

/** The logs `--live` reads through wevtutil, each with the query that keeps what the checks judge. */
export const LIVE_QUERIES: readonly { log: string; query?: string }[] = [
  { log: CCG_CHANNEL },
  { log: 'Microsoft-Windows-Hyper-V-Compute-Admin', query: '*[System[(EventID=11507)]]' },
  { log: 'System', query: "*[System[Provider[@Name='NETLOGON'] and (EventID=5719 or EventID=5720)]]" },
];

export function wevtutilArgs(log: string, query?: string): string[] {
  return ['qe', log, '/f:xml', ...(query ? [`/q:${query}`] : [])];
}

async function* readLive(
  runner: CommandRunner,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): AsyncGenerator<EventBatch & { format: EventSourceFormat }> {
  for (const { log, query } of LIVE_QUERIES) {
    const capture = await runner.run('wevtutil', wevtutilArgs(log, query), { signal, timeoutMs });
    if (capture.notFound) throw new EventSourceError('wevtutil not found: --live works on a Windows host only');
    if (capture.exitCode !== 0) {
      // A log that does not exist on this host (no containers feature, no Hyper-V) is not an error for the others.
      yield {
        format: 'live',
        records: [],
        warnings: [`${log}: ${(capture.stderr || capture.stdout).trim() || `wevtutil exit code ${capture.exitCode}`}`],
      };
      continue;
    }
    yield { format: 'live', records: parseEventXml(capture.stdout), warnings: [] };
  }
}

export interface EventLogProbeOptions {
  /** Files to read; `-` for standard input. */
  files: readonly string[];
  since?: string;
  live?: boolean;
  runner?: CommandRunner;
  timeoutMs?: number;
  /** Reads the files that hold events as text (see EventTextReader); without it they are refused. */
  readText?: EventTextReader;
  /** The same reader, loaded only when the run reads a log (its recognisers are large): `check` without --events. */
  loadTextReader?: () => Promise<EventTextReader>;
  /** What `-` reads (standard input by default). */
  stdin?: Readable;
}

/** Local files only: a generous deadline, since a large log takes a while to read (the signal still stops it). */
const READ_TIMEOUT_MS = 300_000;

export function eventLogProbe(options: EventLogProbeOptions): Probe {
  return {
    id: 'eventlog',
    title: 'reading the event logs',
    provides: ['events.log'],
    timeoutMs: options.timeoutMs ?? READ_TIMEOUT_MS,
    async run(ctx) {
      if (options.files.length === 0 && !options.live)
        return { 'events.log': unavailable('no event log given (--events FILE or --live)') };
      const since = options.since === undefined ? undefined : parseSince(options.since);
      const events: EventRecord[] = [];
      const sources: EventSourceSummary[] = [];
      const readText = options.readText ?? (await options.loadTextReader?.());
      const read = { signal: ctx.signal, readText, stdin: options.stdin };
      for (const file of options.files)
        sources.push(
          await summarise(file === STDIN_FILE ? STDIN_SOURCE : file, readEventFile(file, read), since, events),
        );
      if (options.live) {
        if (process.platform !== 'win32' && !options.runner)
          return { 'events.log': unavailable('--live reads the logs through wevtutil, on a Windows host only') };
        const live = readLive(options.runner ?? new ProcessRunner(), ctx.signal, ctx.timeoutMs);
        sources.push(await summarise(LIVE_SOURCE, live, since, events));
      }
      events.sort((a, b) => a.timeCreated.localeCompare(b.timeCreated));
      return { 'events.log': { sources, events, since: since?.toISOString() } };
    },
  };
}
