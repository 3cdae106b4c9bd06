import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { ALL_CHECKS } from '../checks/index.js';
import type { Check } from '../engine/check.js';
import { chainLink } from '../engine/chain.js';
import type { ChainLinkId } from '../engine/chain.js';
import { SECTIONS, sectionDocs } from '../engine/sections.js';
import { SUBJECT_KINDS } from '../facts/subjects.js';
import { INPUT_LIMITS, readBoundedStream, readInputFile } from '../probes/input-file.js';
import type { ExportedEvents } from '../evidence/index.js';
import type { EventRecord, EventSourceFormat } from '../facts/events.js';
import { isRelevant, mayBeEventLog, readEventFile } from '../probes/eventlog.js';
import { decodeStatus } from '../protocol/status/index.js';
import type { StatusCandidate } from '../protocol/status/index.js';
import { explainPaste } from './explain-paste.js';
import { withExamples } from './help.js';
import { emit, readNamedFile, UsageError, withOutputOptions, writeOutput } from './output.js';
import type { OutputOptions } from './output.js';
import type { Report } from '../report/model.js';

/** Ids that contain what was typed first, then the other ids of the same area. */
function closest(id: string): string[] {
  const [area] = id.split('/');
  const ids = ALL_CHECKS.map((c) => c.meta.id);
  const containing = ids.filter((known) => known.includes(id));
  const sameArea = ids.filter((known) => area && known.startsWith(`${area}/`) && !containing.includes(known));
  return [...containing, ...sameArea];
}

/** Where a check or rule sits in the chain, why it matters and how to fix what it finds. */
function docsTail(meta: { link: ChainLinkId | null; why: string; remediation: string }): string[] {
  return [
    `In chain:  ${meta.link ? chainLink(meta.link).title : '(outside the cause chain)'}`,
    '',
    `Why: ${meta.why}`,
    '',
    `Fix: ${meta.remediation}`,
    '',
  ];
}

function checkDocs(check: Check): string {
  const { meta } = check;
  return [
    `${meta.id}: ${meta.title}`,
    '',
    `Section:   ${SECTIONS[meta.section].title}`,
    `           ${sectionDocs(meta.section)}`,
    `Looks at:  ${meta.looksAt}`,
    `Needs:     ${check.needs.join(', ') || '(nothing)'}`,
    ...(check.subject ? [`Judges:    each ${SUBJECT_KINDS[check.subject].title} on its own`] : []),
    ...docsTail(meta),
  ].join('\n');
}

/** A rule of `gmsa-doctor k8s` and `k8s lint` (loaded only when asked: the Kubernetes judgement is large). */
async function k8sRuleDocs(id: string): Promise<string> {
  const { K8S_RULES, NODE_CHECK_RULE, ruleDocs } = await import('../k8s/index.js');
  const rules = [...K8S_RULES, NODE_CHECK_RULE];
  const rule = rules.find((r) => r.meta.id === id);
  if (!rule) {
    const near = rules.map((r) => r.meta.id).filter((known) => known.includes(id.slice(4)) && known.startsWith('k8s/'));
    throw new UsageError(
      `no Kubernetes rule named ${id}.${near.length ? ` Did you mean: ${near.slice(0, 8).join(', ')}?` : ''} \`gmsa-doctor k8s lint --help\` says what they judge.`,
    );
  }
  const { meta } = rule;
  return [
    `${meta.id}: ${meta.title}`,
    '',
    `Judged by: gmsa-doctor k8s (a cluster) and gmsa-doctor k8s lint (manifests)`,
    `Docs:      ${ruleDocs(meta)}`,
    `Looks at:  ${meta.looksAt}`,
    ...docsTail(meta),
  ].join('\n');
}

/** A code alone (`0xC0020017`, `#3489661022`, `-1073741730`, `1787`, `ERROR_NO_LOGON_SERVERS`, `data 52e`). */
const CODE_ALONE =
  /^(?:(?:winapi\s+error\s+)?#?-?\d{1,10}|0x[0-9a-f]{1,8}|[0-9a-f]{8}|data\s+[0-9a-f]{1,4}|[A-Z][A-Z0-9]*_[A-Z0-9_]+)$/i;

function codeReadings(input: string): StatusCandidate[] | undefined {
  const text = input.trim();
  if (!CODE_ALONE.test(text)) return undefined;
  const known = decodeStatus(text).filter((c) => c.known);
  return known.length > 0 ? known : undefined;
}

function codeText(input: string, readings: readonly StatusCandidate[]): string {
  const [best, ...others] = readings;
  const line = (c: StatusCandidate): string =>
    `${c.hex}  ${c.name ?? '(no name)'}  [${c.kind}${c.facility ? `, ${c.facility}` : ''}]`;
  const out = [`${input.trim()}: ${line(best!)}`];
  if (best!.text) out.push(`  ${best!.text}`);
  if (best!.meaning) out.push('', `For a gMSA container: ${best!.meaning}`);
  if (others.length > 0)
    out.push(
      '',
      'Other readings of the same number:',
      ...others.map((c) => `  ${line(c)}${c.text ? `: ${c.text}` : ''}`),
    );
  out.push('', 'Paste the whole error or transcript (`gmsa-doctor explain -`) to have it judged with the rest.');
  return `${out.join('\n')}\n`;
}

async function readStdin(): Promise<Buffer> {
  const read = await readBoundedStream(process.stdin, INPUT_LIMITS.paste);
  if ('reason' in read) throw new UsageError(`standard input: ${read.reason}`);
  if (read.bytes.toString('utf8').trim() === '')
    throw new UsageError(
      'explain: standard input is empty: pipe a paste in, or give a check id, a status code, a message or a file',
    );
  return read.bytes;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

type Explained = { docs: string } | { file: string } | { paste: string | Uint8Array; source: string };

/** `explain FILE`: an event log (.evtx or an export) judged as its events, anything else as a paste. */
export async function explainFile(file: string): Promise<Report> {
  const exported = await exportedEvents(file);
  return exported
    ? explainPaste('', file, exported)
    : explainPaste(
        readNamedFile(() => readInputFile(file, INPUT_LIMITS.paste)),
        file,
      );
}

/** An event log given whole (.evtx, wevtutil XML, Get-WinEvent JSON): its gMSA-related events, read as `events` does. */
async function exportedEvents(file: string): Promise<ExportedEvents | undefined> {
  // A pasted transcript is read once, as a paste: only a file that opens like a log is tried as one.
  if (!readNamedFile(() => mayBeEventLog(file))) return undefined;
  const records: EventRecord[] = [];
  let format: EventSourceFormat | undefined;
  try {
    for await (const batch of readEventFile(file)) {
      format = batch.format;
      for (const record of batch.records) if (isRelevant(record)) records.push(record);
    }
  } catch {
    return undefined; // not an event log: read as a paste
  }
  return format ? { file, format, records } : undefined;
}

/** What the words typed are: a check id, a code, a file, standard input, or text to judge. */
async function whatToExplain(words: readonly string[], formatted: boolean): Promise<Explained> {
  const input = words.join(' ');
  if (words.length === 0) {
    if (process.stdin.isTTY)
      throw new UsageError(
        'explain: give a check id, a status code, a message, a file, or - to read a paste from standard input',
      );
    return { paste: await readStdin(), source: 'standard input' };
  }
  if (input === '-') return { paste: await readStdin(), source: 'standard input' };
  const check = ALL_CHECKS.find((c) => c.meta.id === input);
  if (check) return { docs: checkDocs(check) };
  if (/^k8s\/[a-z0-9-]*$/.test(input)) return { docs: await k8sRuleDocs(input) };
  if (words.length === 1 && isFile(input)) return { file: input };
  const readings = codeReadings(input);
  if (readings && !formatted) return { docs: codeText(input, readings) };
  if (/^[a-z0-9-]+(?:\/[a-z0-9-]*)?$/.test(input) && !readings) {
    const near = closest(input);
    if (near.length > 0 || input.includes('/'))
      throw new UsageError(
        `no check named ${input}.${near.length ? ` Did you mean: ${near.slice(0, 8).join(', ')}?` : ''} \`gmsa-doctor checks\` lists them all.`,
      );
  }
  return { paste: input, source: 'the command line' };
}

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .argument('[input...]', 'a check id, a status code, a message, a file holding a paste, or - for standard input')
    .description(
      "explain anything: a check's documentation, a status code decoded, or a pasted error, transcript or event text judged by the same checks as a live run",
    );
  withOutputOptions(command, ['text', 'json', 'html', 'sarif']);
  withExamples(command, [
    {
      does: 'a status code in any form (or a check id: its documentation)',
      run: 'gmsa-doctor explain "winapi error #3489661022"',
    },
    {
      does: 'a transcript saved from a console: nltest, klist, docker, kubectl, events',
      run: 'gmsa-doctor explain transcript.txt',
    },
    {
      does: 'a paste on standard input (Get-Clipboard | gmsa-doctor explain - on Windows), as HTML',
      run: 'gmsa-doctor explain - --format html -o paste.html',
    },
  ]).action(async (words: string[], flags: OutputOptions) => {
    const explained = await whatToExplain(words, flags.format !== 'text');
    if ('docs' in explained) {
      writeOutput(explained.docs, flags.output);
      return;
    }
    await emit(
      'file' in explained ? await explainFile(explained.file) : await explainPaste(explained.paste, explained.source),
      flags,
    );
  });
}
