import { createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Option } from 'commander';
import type { Command } from 'commander';
import { EVENT_CHECKS } from '../checks/index.js';
import { run } from '../engine/runner.js';
import { eventRecordsOfText } from '../evidence/facts.js';
import { fileInputErrors } from './input-errors.js';
import { EventSourceError, eventLogProbe, parseSince, readEventFile, STDIN_FILE } from '../probes/eventlog.js';
import { EXIT_USAGE } from '../report/model.js';
import type { InputError, Report } from '../report/model.js';
import { printableText, terminalSafeJson, terminalSafeXml } from '../engine/printable.js';
import { redact, redactXml } from '../engine/redact.js';
import { withExamples } from './help.js';
import { emit, UsageError } from './output.js';
import type { Format } from './output.js';
import type { EventRecord } from '../facts/events.js';

interface EventsFlags {
  format: Format | 'xml';
  color: boolean;
  verbose?: boolean;
  output?: string;
  since?: string;
  live?: boolean;
  dump?: boolean;
}

/** `gmsa-doctor events FILE...`: the CCG (and related) events turned into findings; `-` reads standard input. */
export async function analyzeEvents(
  files: readonly string[],
  options: { since?: string; live?: boolean; stdin?: Readable },
): Promise<Report> {
  const result = await run({
    checks: EVENT_CHECKS,
    probes: [
      eventLogProbe({
        files,
        since: options.since,
        live: options.live,
        readText: eventRecordsOfText,
        stdin: options.stdin,
      }),
    ],
  });
  const inputErrors: InputError[] = fileInputErrors(result.facts);
  const unavailable = result.facts.result('events.log');
  if (unavailable?.status === 'unavailable')
    inputErrors.push({ file: files.join(', ') || '--live', reason: unavailable.reason });
  return {
    command: 'events',
    findings: result.findings,
    inputErrors,
    durationMs: result.durationMs,
    vantagePoint: options.live ? 'this machine (live logs)' : 'exported logs',
    probes: result.probes,
  };
}

function dumpOpening(format: 'json' | 'xml'): string {
  return format === 'json' ? '[' : '<?xml version="1.0" encoding="utf-8"?>\n<Events>\n';
}

/** One record as it is, but for secrets (an event's data field by name, a spec written in a text or its XML). */
function dumpRecord(record: EventRecord, format: 'json' | 'xml', first: boolean): string {
  const xml = record.xml === undefined ? undefined : redactXml(record.xml);
  if (format === 'json') {
    const safe = { ...redact({ ...record, xml: undefined }), ...(xml === undefined ? {} : { xml }) };
    return `${first ? '\n' : ',\n'}${terminalSafeJson(JSON.stringify(safe))}`;
  }
  return `${xml === undefined ? `<!-- record ${record.recordId}: no XML in this source -->` : terminalSafeXml(xml)}\n`;
}

/**
 * `events --dump`: every record, streamed as it is read (a batch per chunk), so memory stays flat.
 * Damage is reported on standard error, naming the file, chunk and record. Event text gives the records read from
 * it (without XML, as JSON exports).
 */
export async function dumpEvents(
  files: readonly string[],
  format: 'json' | 'xml',
  out: Writable,
  err: Writable,
  stdin?: Readable,
): Promise<number> {
  let exitCode = 0;
  let first = true;
  out.write(dumpOpening(format));
  for (const file of files) {
    try {
      for await (const batch of readEventFile(file, { xml: format === 'xml', readText: eventRecordsOfText, stdin })) {
        for (const warning of batch.warnings) err.write(printableText(`gmsa-doctor: ${file}: ${warning}\n`));
        if (batch.records.length === 0) continue;
        let text = '';
        for (const record of batch.records) {
          text += dumpRecord(record, format, first);
          first = false;
        }
        if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
      }
    } catch (error) {
      if (!(error instanceof EventSourceError)) throw error;
      err.write(printableText(`gmsa-doctor: ${error.message}\n`));
      exitCode = EXIT_USAGE;
    }
  }
  out.write(format === 'json' ? (first ? ']\n' : '\n]\n') : '</Events>\n');
  return exitCode;
}

export function registerEvents(program: Command): Command {
  const command = program
    .command('events')
    .description(
      'read CCG (and Hyper-V-Compute, NETLOGON, Security 4625) events from .evtx, wevtutil XML, Get-WinEvent JSON or event text, and say what failed',
    )
    .argument(
      '[files...]',
      'exported logs: .evtx, `wevtutil qe /f:xml` output, `Get-WinEvent | ConvertTo-Json` output, or events as text (Event Viewer\'s "Copy details as text", Format-List, Get-EventLog, a pasted event message); - for standard input',
    )
    .option('--since <time>', 'only events at or after this time: ISO date/time, or a duration back from now (24h, 7d)')
    .option(
      '--live',
      'read the live logs through wevtutil (Windows host): CCG, Hyper-V-Compute and NETLOGON; for Security 4625, give an export of the Security log',
    )
    .option(
      '--dump',
      'print every record (with --format json or xml) instead of findings; records of JSON exports and event text have no XML',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format (json or xml with --dump)')
        .choices(['text', 'json', 'sarif', 'xml'])
        .default('text'),
    )
    .option('--no-color', 'no colour (also when NO_COLOR is set or the output is not a terminal)')
    .option('-v, --verbose', 'list passing checks one by one')
    .option('-o, --output <file>', 'write the report to a file instead of standard output');
  return withExamples(command, [
    { does: 'what failed in an exported CCG log, the last day only', run: 'gmsa-doctor events ccg.evtx --since 24h' },
    { does: 'on a Windows host: the live CCG, Hyper-V-Compute and NETLOGON logs', run: 'gmsa-doctor events --live' },
    {
      does: 'events as text: copied from Event Viewer, Format-List output, a Security 4625 pasted into a file',
      run: 'gmsa-doctor events event.txt',
    },
  ]).action(async (files: string[], flags: EventsFlags) => {
    if (files.length === 0 && !flags.live) throw new UsageError('events: give at least one log file, or --live');
    if (files.filter((f) => f === STDIN_FILE).length > 1)
      throw new UsageError('events: - (standard input) can be read once only');
    if (flags.since !== undefined) {
      try {
        parseSince(flags.since);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    if (flags.dump) {
      if (flags.live)
        throw new UsageError(
          '--dump reads files; export the live log first: wevtutil epl Microsoft-Windows-Containers-CCG/Admin ccg.evtx',
        );
      const format = flags.format === 'xml' ? 'xml' : 'json';
      if (flags.format !== 'xml' && flags.format !== 'json' && flags.format !== 'text')
        throw new UsageError('--dump prints --format json or xml');
      const out = flags.output ? createWriteStream(flags.output) : process.stdout;
      process.exitCode = await dumpEvents(files, format, out, process.stderr);
      if (flags.output) await new Promise((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
      return;
    }
    if (flags.format === 'xml')
      throw new UsageError('--format xml is for --dump; findings print as text, json or sarif');
    const report = await analyzeEvents(files, { since: flags.since, live: flags.live });
    await emit(report, { ...flags, format: flags.format });
  });
}
