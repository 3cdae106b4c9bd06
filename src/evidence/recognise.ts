/**
 * The recogniser layer's entry point: a paste (text or bytes) in, the evidence items it holds out, each quoting the
 * lines it rests on, plus the lines nothing read. Bounded (the input is capped, every step is linear) and it never
 * throws: a recogniser that fails on a block loses that block's items of its kind, not the run.
 */
import { normalise, type NormalisedLine } from './normalise.js';
import { blocksOf, type Block } from './segment.js';
import { codesOn, makeItem, spanOf, type Recogniser } from './item.js';
import type { CommandData, EvidenceItem, LineSpan, QuotedLine } from './types.js';
import { recogniseAdObjects } from './recognisers/ad-object.js';
import { recogniseCredentialsFetcher } from './recognisers/credentials-fetcher.js';
import { recogniseCredentialSpec } from './recognisers/credential-spec.js';
import { recogniseCredspecError } from './recognisers/credspec-error.js';
import { recogniseDockerDaemonError } from './recognisers/docker-daemon-error.js';
import { recogniseDockerInfo } from './recognisers/docker-info.js';
import { recogniseDockerInspect } from './recognisers/docker-inspect.js';
import { recogniseHcsError } from './recognisers/hcs-error.js';
import { recogniseK8sEvents } from './recognisers/k8s-event.js';
import { recogniseKlist } from './recognisers/klist.js';
import { recogniseKubectlError } from './recognisers/kubectl-error.js';
import { recogniseLinuxKerberos } from './recognisers/linux-kerberos.js';
import { recogniseMessages } from './recognisers/message.js';
import { recogniseNetConfig } from './recognisers/net-config.js';
import { recogniseNetlogonLog } from './recognisers/netlogon-log.js';
import { recogniseNltest } from './recognisers/nltest.js';
import { recognisePowerShellError } from './recognisers/powershell-error.js';
import { recogniseRegistry } from './recognisers/registry.js';
import { recogniseTestAdServiceAccount } from './recognisers/test-adserviceaccount.js';
import { recogniseTrustFailure } from './recognisers/trust-failure.js';
import { recogniseWebhook } from './recognisers/webhook.js';
import { recogniseWhoami } from './recognisers/whoami.js';
import { recogniseWindowsEvents } from './recognisers/windows-event.js';

/** The largest paste read: 16 MiB (as bytes, or as UTF-16 code units for a string). */
export const MAX_PASTE_SIZE = 16 * 1024 * 1024;
/** At most this many items and unrecognised lines are returned; `truncated` says when more were there. */
export const MAX_ITEMS = 10_000;
export const MAX_UNRECOGNISED_LINES = 1_000;

export class PasteTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number = MAX_PASTE_SIZE,
  ) {
    super(`the paste is ${size} bytes; at most ${limit} are read (cut it to the part about the failing container)`);
    this.name = 'PasteTooLargeError';
  }
}

/** Every recogniser, one per kind of evidence. */
export const RECOGNISERS: readonly { name: string; recognise: Recogniser }[] = [
  { name: 'nltest', recognise: recogniseNltest },
  { name: 'klist', recognise: recogniseKlist },
  { name: 'whoami', recognise: recogniseWhoami },
  { name: 'net-config-workstation', recognise: recogniseNetConfig },
  { name: 'test-adserviceaccount', recognise: recogniseTestAdServiceAccount },
  { name: 'powershell-error', recognise: recognisePowerShellError },
  { name: 'hcs-error', recognise: recogniseHcsError },
  { name: 'credspec-error', recognise: recogniseCredspecError },
  { name: 'docker-daemon-error', recognise: recogniseDockerDaemonError },
  { name: 'docker-info', recognise: recogniseDockerInfo },
  { name: 'credential-spec', recognise: recogniseCredentialSpec },
  { name: 'docker-inspect', recognise: recogniseDockerInspect },
  { name: 'k8s-event', recognise: recogniseK8sEvents },
  { name: 'webhook', recognise: recogniseWebhook },
  { name: 'kubectl-error', recognise: recogniseKubectlError },
  { name: 'windows-event', recognise: recogniseWindowsEvents },
  { name: 'netlogon-log', recognise: recogniseNetlogonLog },
  { name: 'ad-object', recognise: recogniseAdObjects },
  { name: 'registry', recognise: recogniseRegistry },
  { name: 'linux-kerberos', recognise: recogniseLinuxKerberos },
  { name: 'credentials-fetcher', recognise: recogniseCredentialsFetcher },
  { name: 'trust-failure', recognise: recogniseTrustFailure },
  { name: 'message', recognise: recogniseMessages },
];

export interface BlockSummary {
  command?: CommandData;
  lines: LineSpan;
}

export interface Recognised {
  items: EvidenceItem[];
  /** Non-blank lines no recogniser read, in order (at most MAX_UNRECOGNISED_LINES). */
  unrecognisedLines: QuotedLine[];
  blocks: BlockSummary[];
  /** How the bytes were decoded ('text' for a string). */
  encoding: string;
  /** Lines in the original paste. */
  lineCount: number;
  /** More items or unrecognised lines existed than were returned. */
  truncated: boolean;
  /** Set (and nothing read) when the paste is larger than MAX_PASTE_SIZE. */
  error?: PasteTooLargeError;
  /** Recognisers that failed on a block (a bug to report); the rest of the paste was read. */
  failures: { recogniser: string; line: number; message: string }[];
}

/** A block longer than this is read in pieces, so that no recogniser builds more items at once than the cap allows. */
const MAX_BLOCK_LINES = 5_000;

/** The block as recognisers read it: a huge block in pieces (the command goes with the first). */
function pieces(block: Block): Block[] {
  if (block.lines.length <= MAX_BLOCK_LINES) return [block];
  const out: Block[] = [];
  for (let i = 0; i < block.lines.length; i += MAX_BLOCK_LINES) {
    const lines = block.lines.slice(i, i + MAX_BLOCK_LINES);
    out.push(i === 0 ? { ...block, lines } : { promptLines: [], lines });
  }
  return out;
}

/** PowerShell's start-up banner, printed after `kubectl exec ... powershell` or `docker run -it ... powershell`. */
const BANNER =
  /^(?:Windows PowerShell|PowerShell \d+\.\d+\.\d+|Copyright \(C\) Microsoft Corporation\. All rights reserved\.|Try the new cross-platform PowerShell https:\/\/aka\.ms\/pscore6|Install the latest PowerShell for new features and improvements! https:\/\/aka\.ms\/PSWindows)$/;

const BANNER_START = /^\s*(?:Windows PowerShell|PowerShell|Copyright|Try the|Install the)/;

/** Items that only restate what a more specific item on the same line already says. */
const GENERIC_KINDS = new Set<EvidenceItem['kind']>(['message', 'status-code']);

function blockSpan(block: Block): LineSpan {
  return spanOf(block.promptLines, block.lines);
}

function commandItem(block: Block): EvidenceItem | undefined {
  const command = block.command;
  if (!command) return undefined;
  const { lines: _lines, ...data } = command;
  return makeItem('command', block.promptLines, data);
}

/** A failing status code on a line nothing else read: worth showing, decoded. */
function statusLineItems(lines: readonly NormalisedLine[]): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  for (const line of lines) {
    if (!/\d/.test(line.text) && !/_[A-Z]/.test(line.text)) continue;
    const failing = codesOn(line).filter((c) => c.failing);
    if (failing.length > 0) items.push(makeItem('status-code', [line], { text: line.text.trim() }));
  }
  return items;
}

function covers(items: readonly EvidenceItem[]): (line: NormalisedLine) => boolean {
  // Intervals of original lines, merged: a line is covered when its first original line falls in one.
  const spans = items.map((i) => i.lines).sort((a, b) => a.from - b.from);
  const merged: LineSpan[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.from <= last.to + 1) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return (line) => {
    let lo = 0;
    let hi = merged.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = merged[mid]!;
      if (line.from < s.from) hi = mid - 1;
      else if (line.from > s.to) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

function withoutRestatements(items: EvidenceItem[]): EvidenceItem[] {
  const specific = new Set<number>();
  for (const item of items)
    if (!GENERIC_KINDS.has(item.kind) && item.kind !== 'command') for (const q of item.quote) specific.add(q.from);
  return items.filter((item) => !GENERIC_KINDS.has(item.kind) || !item.quote.some((q) => specific.has(q.from)));
}

export function recognise(input: string | Uint8Array): Recognised {
  try {
    return recogniseChecked(input);
  } catch (error) {
    // Normalising and segmenting are total functions; this is a last line of defence, reported as a failure.
    const message = error instanceof Error ? error.message : String(error);
    return {
      items: [],
      unrecognisedLines: [],
      blocks: [],
      encoding: 'unknown',
      lineCount: 0,
      truncated: false,
      failures: [{ recogniser: 'normalise', line: 0, message }],
    };
  }
}

/** Every recogniser on one block; a recogniser that throws is reported and the others still run. */
function readBlock(
  block: Block,
  items: EvidenceItem[],
  read: Set<NormalisedLine>,
  failures: Recognised['failures'],
): void {
  for (const line of block.promptLines) read.add(line);
  for (const line of block.lines)
    if (line.text.length < 100 && BANNER_START.test(line.text) && BANNER.test(line.text.trim())) read.add(line);
  const command = commandItem(block);
  if (command) items.push(command);
  for (const { name, recognise: run } of RECOGNISERS) {
    try {
      const found = run(block);
      for (const entry of found.items) items.push(entry);
      for (const line of found.read) read.add(line);
    } catch (error) {
      failures.push({
        recogniser: name,
        line: blockSpan(block).from,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function recogniseChecked(input: string | Uint8Array): Recognised {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  const empty = {
    items: [],
    unrecognisedLines: [],
    blocks: [],
    encoding: typeof input === 'string' ? 'text' : 'unknown',
    lineCount: 0,
    truncated: false,
    failures: [],
  };
  if (size > MAX_PASTE_SIZE) return { ...empty, error: new PasteTooLargeError(size) };
  const normalised = normalise(input);
  const blocks: Block[] = [];
  const failures: Recognised['failures'] = [];
  let items: EvidenceItem[] = [];
  const read = new Set<NormalisedLine>();
  let stoppedAt: number | undefined;
  for (const whole of blocksOf(normalised.lines)) {
    // Enough evidence to judge many times over: the rest of a huge paste is not read (and not called unrecognised).
    if (items.length >= MAX_ITEMS) {
      stoppedAt = blockSpan(whole).from;
      break;
    }
    blocks.push(whole);
    for (const block of pieces(whole)) {
      if (items.length >= MAX_ITEMS) {
        stoppedAt = blockSpan(block).from;
        break;
      }
      readBlock(block, items, read, failures);
    }
  }
  const covered = covers(items);
  const rest: NormalisedLine[] = [];
  for (const l of normalised.lines) {
    if (stoppedAt !== undefined && l.from >= stoppedAt) break;
    if (l.text !== '' && !read.has(l) && !covered(l)) rest.push(l);
  }
  for (const entry of statusLineItems(rest)) items.push(entry);
  items = withoutRestatements(items).sort((a, b) => a.lines.from - b.lines.from || a.lines.to - b.lines.to);
  const coveredAtLast = covers(items);
  const unrecognised = rest
    .filter((l) => !coveredAtLast(l))
    .map((l) => ({ from: l.from, to: l.to, text: l.text.trim() }));
  return {
    items: items.slice(0, MAX_ITEMS),
    unrecognisedLines: unrecognised.slice(0, MAX_UNRECOGNISED_LINES),
    blocks: blocks.map((b) => ({
      ...(b.command ? { command: (({ lines: _l, ...c }) => c)(b.command) } : {}),
      lines: blockSpan(b),
    })),
    encoding: normalised.encoding,
    lineCount: normalised.lineCount,
    truncated:
      normalised.truncated ||
      stoppedAt !== undefined ||
      items.length > MAX_ITEMS ||
      unrecognised.length > MAX_UNRECOGNISED_LINES,
    failures,
  };
}
