/**
 * Lines a terminal, a console buffer or a mailer wrapped, joined again where the structure says where they end:
 * a PowerShell error record (its message ends at `At line:N char:M` or `+ CategoryInfo`), an HCS or Docker daemon
 * error continued on the next line, a YAML quoted scalar folded over indented lines. And the other way round: a
 * quoted string that holds a whole command's output (`stdout: "Flags: 0\r\n..."`) becomes its lines again.
 * Never across a blank line, a prompt, a fence or a quote boundary. Linear: each line is looked at a bounded number
 * of times.
 */
import type { NormalisedLine } from './normalise.js';
import { firstNonBlank } from './text.js';
import { parsePrompt } from './segment.js';

/** How many lines a wrapped message may span. */
const MAX_WRAPPED = 12;

const RECORD_END =
  /^\s*(?:At (?:line:\d+ char:\d+|.{1,400}:\d+ char:\d+)$|\+ (?:CategoryInfo|FullyQualifiedErrorId|PSComputerName)\s+:)/;
const RECORD_HEAD = /^(?:[\w.-]{1,100}|[A-Za-z]:\\[^:]{1,300}|\S{1,300}\.ps1) : \S/;
const RECORD_FIELD = /^\s*\+ [A-Za-z][\w ]{0,40}? +: /;
const ERROR_HEAD =
  /hcsshim::|hcs::|failure in a Windows system call|Error response from daemon|encountered an error during|failed to create (?:containerd task|shim)|hcn[A-Z]\w{2,40} failed/;
const ERROR_END = /(?:\(0x[0-9a-f]{1,8}\)|[.!"'}\])]|: unknown)$/i;
const CONTINUES_SENTENCE = /^[a-z('"(]/;
const QUOTED_SCALAR = /^(\s*)(?:- )?[\w.-]{1,100}:\s+(['"])(.*)$/;
const QUOTED_OUTPUT =
  /^.{0,400}?\b(?:stdout|stderr|output|out|err)"?\s{0,3}[:=]\s{0,3}"((?:[^"\\]|\\.){1,65536})"\s*$/i;

function sameRegion(a: NormalisedLine, b: NormalisedLine): boolean {
  return a.fence === b.fence && a.quoted === b.quoted;
}

function joined(lines: NormalisedLine[], text: string): NormalisedLine {
  const first = lines[0]!;
  return { ...first, text, to: lines.at(-1)!.to };
}

/** `stdout: "a\r\nb\r\n"` -> a, b (the quoted output of a command, as a test log prints it). */
function expandQuotedOutput(lines: NormalisedLine[]): NormalisedLine[] {
  const out: NormalisedLine[] = [];
  for (const line of lines) {
    const m = line.text.includes('\\n') ? QUOTED_OUTPUT.exec(line.text) : null;
    if (!m?.[1]) {
      out.push(line);
      continue;
    }
    const body = m[1].replace(/\\(r\\n|n|r|t|"|\\)/g, (_, c: string) =>
      c === 't' ? '\t' : c === '"' ? '"' : c === '\\' ? '\\' : '\n',
    );
    const parts = body.split('\n');
    if (parts.at(-1) === '') parts.pop();
    for (const part of parts) out.push({ ...line, text: part.trimEnd(), expanded: true });
  }
  return out;
}

function endsRecord(line: NormalisedLine): boolean {
  const c = firstNonBlank(line.text);
  return (c === 'A' || c === '+') && RECORD_END.test(line.text);
}

function isRecordField(text: string): boolean {
  return firstNonBlank(text) === '+' && RECORD_FIELD.test(text);
}

function mayStartError(text: string): boolean {
  return (
    text.includes('hcs') ||
    text.includes('Error response') ||
    text.includes('system call') ||
    text.includes('encountered an error') ||
    text.includes('failed to create') ||
    text.includes('hcn')
  );
}

/** Where the message of the error record that ends before `end` starts, or -1 when there is none to join. */
function recordStart(lines: NormalisedLine[], end: number, floor: number): number {
  let start = end;
  for (let i = end - 1; i >= floor && end - i <= MAX_WRAPPED; i--) {
    const line = lines[i]!;
    if (
      line.text === '' ||
      !sameRegion(line, lines[end]!) ||
      endsRecord(line) ||
      isRecordField(line.text) ||
      line.text.startsWith('+ ') ||
      parsePrompt(line)
    )
      break;
    start = i;
    if (RECORD_HEAD.test(line.text)) break;
  }
  return start < end - 1 ? start : -1;
}

/** A PowerShell error record: its message lines joined into one; `+ Field : value` lines continued by the buffer, too. */
function joinErrorRecords(lines: NormalisedLine[]): NormalisedLine[] {
  const out: NormalisedLine[] = [];
  let floor = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (endsRecord(line) && !endsRecord(lines[i - 1] ?? line)) {
      const start = recordStart(lines, i, floor);
      if (start >= 0 && start >= floor) {
        const message = lines.slice(start, i);
        out.splice(
          out.length - message.length,
          message.length,
          joined(message, message.map((l) => l.text.trim()).join(' ')),
        );
      }
    }
    if (isRecordField(line.text)) {
      const parts = [line];
      while (i + 1 < lines.length && parts.length < MAX_WRAPPED) {
        const next = lines[i + 1]!;
        if (next.text === '' || !/^\s/.test(next.text) || /^\s*\+ /.test(next.text) || !sameRegion(line, next)) break;
        parts.push(next);
        i++;
      }
      out.push(
        parts.length > 1 ? joined(parts, parts.map((p, n) => (n === 0 ? p.text : p.text.trim())).join('')) : line,
      );
      floor = i + 1;
      continue;
    }
    out.push(line);
  }
  return out;
}

/** `hcs::System::Start: failure in a Windows system call: The virtual machine or` + `container exited unexpectedly.` */
function joinErrorContinuations(lines: NormalisedLine[]): NormalisedLine[] {
  const out: NormalisedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!mayStartError(line.text) || !ERROR_HEAD.test(line.text) || ERROR_END.test(line.text)) {
      out.push(line);
      continue;
    }
    const parts = [line];
    while (i + 1 < lines.length && parts.length < 4 && !ERROR_END.test(parts.at(-1)!.text)) {
      const next = lines[i + 1]!;
      const text = next.text.trim();
      if (
        text === '' ||
        !sameRegion(line, next) ||
        !CONTINUES_SENTENCE.test(text) ||
        (mayStartError(text) && ERROR_HEAD.test(text)) ||
        parsePrompt(next)
      )
        break;
      parts.push(next);
      i++;
    }
    out.push(
      parts.length > 1 ? joined(parts, parts.map((p, n) => (n === 0 ? p.text : p.text.trim())).join(' ')) : line,
    );
  }
  return out;
}

/** `message: 'Internal error ...:` + indented lines + `... "webhook-svc"'`: a YAML scalar folded over lines. */
function joinQuotedScalars(lines: NormalisedLine[]): NormalisedLine[] {
  const out: NormalisedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = line.text.includes(": '") || line.text.includes(': "') ? QUOTED_SCALAR.exec(line.text) : null;
    const quote = m?.[2];
    const value = m?.[3] ?? '';
    if (!m || !quote || (value.endsWith(quote) && value.length > 0)) {
      out.push(line);
      continue;
    }
    const indent = (m[1] ?? '').length;
    let end = -1;
    for (let j = i + 1; j < lines.length && j - i <= MAX_WRAPPED; j++) {
      const next = lines[j]!;
      if (next.text === '' || !sameRegion(line, next) || (/^\s*/.exec(next.text)?.[0].length ?? 0) <= indent) break;
      if (next.text.trimEnd().endsWith(quote)) {
        end = j;
        break;
      }
    }
    if (end < 0) {
      out.push(line);
      continue;
    }
    const parts = lines.slice(i, end + 1);
    out.push(joined(parts, parts.map((p, n) => (n === 0 ? p.text : p.text.trim())).join(' ')));
    i = end;
  }
  return out;
}

/** Each pass runs only when some line could need it: most pastes need one or two, and a copy per pass costs. */
export function unwrapLines(lines: NormalisedLine[]): NormalisedLine[] {
  let out = lines;
  if (out.some((l) => l.text.includes('\\n'))) out = expandQuotedOutput(out);
  if (out.some((l) => endsRecord(l) || isRecordField(l.text))) out = joinErrorRecords(out);
  if (out.some((l) => mayStartError(l.text))) out = joinErrorContinuations(out);
  if (out.some((l) => l.text.includes(": '") || l.text.includes(': "'))) out = joinQuotedScalars(out);
  return out;
}
