/** Building items: where they rest, what they quote, and the status codes on their lines. */
import { decodeNumber, findStatusByText, findStatusCodes } from '../protocol/status/index.js';
import type { StatusCandidate, StatusHint } from '../protocol/status/index.js';
import type { NormalisedLine } from './normalise.js';
import type { Block } from './segment.js';
import type {
  EvidenceCode,
  EvidenceItem,
  EvidenceItemOf,
  ItemDataMap,
  ItemKind,
  LookAlike,
  QuotedLine,
} from './types.js';

/** What one recogniser made of a block: its items, and the other lines it read (context that yields no item). */
export interface Recognition {
  items: EvidenceItem[];
  read: NormalisedLine[];
}

/** A recogniser: one kind of evidence, read from one block. Pure; never throws on any block. */
export type Recogniser = (block: Block) => Recognition;

export const NOTHING: Recognition = { items: [], read: [] };

function toCode(candidate: StatusCandidate, match: string, value: number, line: number): EvidenceCode {
  return {
    match,
    value,
    hex: candidate.hex,
    kind: candidate.kind,
    ...(candidate.name ? { name: candidate.name } : {}),
    ...(candidate.text ? { text: candidate.text } : {}),
    ...(candidate.meaning ? { meaning: candidate.meaning } : {}),
    failing: value !== 0,
    line,
  };
}

/** Every status code written on a line, decoded (the most likely reading of each). */
export function codesOn(line: QuotedLine, hint?: StatusHint): EvidenceCode[] {
  return findStatusCodes(line.text, hint).flatMap((found) => {
    const best = found.candidates.find((c) => c.known) ?? found.candidates[0];
    return best ? [toCode(best, found.match, found.value, line.from)] : [];
  });
}

/** A code the recogniser read in a form the finder does not know (netlogon.log's bare `c000005e`). */
export function codeOf(value: number, match: string, line: number, hint?: StatusHint): EvidenceCode | undefined {
  const candidates = decodeNumber(value, hint);
  const best = candidates.find((c) => c.known);
  return best ? toCode(best, match, value >>> 0, line) : undefined;
}

/** Kinds whose lines print Windows' message text without its code often enough to look the text up. */
const TEXT_CODE_KINDS = new Set<ItemKind>([
  'hcs-error',
  'powershell-error',
  'credspec-error',
  'docker-daemon-error',
  'windows-event',
  'k8s-event',
  'message',
]);

/** The code of a message text the status tables hold (`{Access Denied} A process has requested access ...`). */
export function codeOfText(line: QuotedLine): EvidenceCode | undefined {
  const found = findStatusByText(line.text);
  if (!found) return undefined;
  const hint =
    found.kind === 'NTSTATUS' || found.kind === 'HCS'
      ? 'ntstatus'
      : found.kind === 'Kerberos'
        ? 'kerberos'
        : found.kind === 'LDAP'
          ? 'ldap'
          : 'win32';
  return codeOf(found.entry.value, found.entry.text, line.from, hint);
}

export interface ItemOptions {
  /** Every line the item covers, when more than the quoted ones (a whole transcript section). */
  extent?: readonly NormalisedLine[];
  codes?: readonly (EvidenceCode | undefined)[];
  lookAlike?: LookAlike;
}

function quoteOf(line: NormalisedLine): QuotedLine {
  return { from: line.from, to: line.to, text: line.text.trim() };
}

/** The original lines some normalised lines span (loops: extents can hold a whole log). */
export function spanOf(...groups: readonly (readonly NormalisedLine[])[]): { from: number; to: number } {
  let from = Number.POSITIVE_INFINITY;
  let to = 0;
  for (const group of groups) {
    for (const line of group) {
      if (line.from < from) from = line.from;
      if (line.to > to) to = line.to;
    }
  }
  return { from: Number.isFinite(from) ? from : 0, to };
}

export function makeItem<K extends ItemKind>(
  kind: K,
  quoted: readonly NormalisedLine[],
  data: ItemDataMap[K],
  options: ItemOptions = {},
): EvidenceItemOf<K> {
  const quote = quoted.map(quoteOf).sort((a, b) => a.from - b.from);
  const codes: EvidenceCode[] = [];
  const seen = new Set<string>();
  for (const code of [...(options.codes ?? []), ...quote.flatMap((q) => codesOn(q))]) {
    if (!code) continue;
    const key = `${code.line}:${code.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    codes.push(code);
  }
  if (TEXT_CODE_KINDS.has(kind) && !codes.some((c) => c.failing)) {
    for (const q of quote) {
      const code = codeOfText(q);
      if (code) codes.push(code);
    }
  }
  return {
    kind,
    lines: spanOf(quoted, options.extent ?? []),
    quote,
    data,
    codes,
    ...(options.lookAlike ? { lookAlike: options.lookAlike } : {}),
  };
}

/** The lines of a block whose text matches, in order. */
export function linesMatching(lines: readonly NormalisedLine[], pattern: RegExp): NormalisedLine[] {
  return lines.filter((l) => pattern.test(l.text));
}

/** The lines as one text, the way a command capture holds its stdout. */
export function outputOf(lines: readonly NormalisedLine[]): string {
  return lines.map((l) => l.text).join('\n');
}

/** Drops undefined and empty-string properties (items are JSON; absent beats undefined). */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
