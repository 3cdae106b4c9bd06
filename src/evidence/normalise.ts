/**
 * A paste as the recognisers read it: decoded, split into lines, without the markup that issue threads and chats add
 * (markdown quote markers, code fences, emphasis, link rewriting, box borders, CI timestamps), each paragraph
 * dedented, and lines that a terminal or a mailer wrapped joined again where the structure makes it safe. Every
 * normalised line keeps the original line numbers it came from. Pure and linear in the size of the paste.
 */
import { DecodeError, decodeText } from '../credspec/decode.js';
import type { TextEncodingName } from '../credspec/decode.js';
import type { QuotedLine } from './types.js';
import { firstNonBlank } from './text.js';
import { unwrapLines } from './unwrap.js';

export interface NormalisedLine extends QuotedLine {
  /** The info string of the code fence the line is in ('' for a fence without one); absent outside fences. */
  fence?: string;
  /** The line was inside a markdown quote (`> `). */
  quoted: boolean;
  /** The line came out of a quoted string that held several lines (`stdout: "a\r\nb"`): it is output, never a command. */
  expanded?: boolean;
}

export interface Normalised {
  lines: NormalisedLine[];
  encoding: TextEncodingName | 'text';
  /** Lines in the original paste. */
  lineCount: number;
  /** The paste had more than MAX_LINES lines: the first MAX_LINES were read. */
  truncated: boolean;
}

/** Lines read from one paste: a 10 MB paste of console output has far fewer; this bounds the time of any paste. */
export const MAX_LINES = 300_000;

/** A line longer than this is cut for recognition (a paste's lines are short; this bounds every regex's work). */
export const MAX_LINE_CHARS = 64 * 1024;

/** Bytes as text: UTF-8 (with or without BOM), UTF-16 LE or BE (with or without BOM); invalid UTF-8 is read leniently. */
export function decodePaste(input: string | Uint8Array): { text: string; encoding: TextEncodingName | 'text' } {
  if (typeof input === 'string') return { text: input.replace(/^\uFEFF/, ''), encoding: 'text' };
  if (looksLikeUtf16Be(input)) return { text: new TextDecoder('utf-16be').decode(input), encoding: 'utf-16be' };
  try {
    const decoded = decodeText(input);
    return { text: decoded.text.replace(/^\uFEFF/, ''), encoding: decoded.encoding };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return { text: new TextDecoder('utf-8').decode(input), encoding: 'utf-8' };
  }
}

/** UTF-16 BE without a BOM: ASCII text has a zero in every first byte. */
function looksLikeUtf16Be(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes.length % 2 !== 0 || bytes[0] === 0xfe || bytes[0] === 0xff) return false;
  const sample = Math.min(bytes.length, 64);
  for (let i = 0; i < sample; i += 2) if (bytes[i] !== 0 || bytes[i + 1] === 0) return false;
  return true;
}

interface Fence {
  marker: string;
  closing: RegExp;
  info: string;
  /** Quote depth the fence was opened at: its lines lose that many quote markers. */
  depth: number;
}

const FENCE_OPEN = /^[ \t]{0,12}(`{3,}|~{3,})[ \t]*([^`\s]*)[ \t]*(.*)$/;
const QUOTE = /^ {0,3}>(?: |$)/;
const BOX_BORDER = /^[│┃║][ \t]?|[ \t]?[│┃║]$/g;
const BOX_CHARS = /[│┃║]/;
const LEADING_EMPHASIS =
  /^((?:\[[^\]]{1,100}\]:\s*)?PS\s[^>]{0,260}>\s*|[A-Za-z]:\\[^>]{0,260}>\s*)?(?:_?\*\*|__)(?=\S)/;
const TRAILING_EMPHASIS = /(?<=\S)(?:\*\*_?|__)$/;
const WHOLE_LINE_CODE = /^`([^`]+)`$/;
/** GitHub renders a URL as a link and a copy of the rendering gives `[url](url)`. */
const MARKDOWN_LINK = /\[(https?:\/\/[^\]\s]{1,2000})\]\((?:https?:\/\/[^)\s]{1,2000})\)/g;
/** CI log prefixes: Jenkins timestamper `13:31:23  `, ISO 8601 (GitHub Actions, Jenkins). */
const CI_TIMESTAMP =
  /^(?:\d{2}:\d{2}:\d{2}[ \t]{2,}|\[?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z\]?[ \t]+)(?=\S)/;

function stripQuote(text: string, maxDepth: number): { text: string; depth: number } {
  if (maxDepth === 0 || firstNonBlank(text) !== '>') return { text, depth: 0 };
  let depth = 0;
  let rest = text;
  while (depth < maxDepth && QUOTE.test(rest)) {
    rest = rest.replace(/^ {0,3}> ?/, '');
    depth++;
  }
  return { text: rest, depth };
}

/** Emphasis opened on one line (`_**docker : ...`) and closed on a later one (`At line:1 char:1**_`). */
interface Emphasis {
  open: boolean;
}

/**
 * Markup a rendered thread adds around console text; only applied outside code fences. A closing `**` is removed
 * only where an opening one was: `gmsa_**` (a redacted name) keeps its stars.
 */
function stripRenderedMarkup(text: string, emphasis: Emphasis): string {
  if (!text.includes('**') && !text.includes('__') && !text.startsWith('`')) return text;
  const code = WHOLE_LINE_CODE.exec(text);
  if (code?.[1]) return code[1];
  let line = text.trimEnd();
  if (LEADING_EMPHASIS.test(line)) {
    line = line.replace(LEADING_EMPHASIS, '$1');
    emphasis.open = true;
  }
  if (emphasis.open && TRAILING_EMPHASIS.test(line)) {
    line = line.replace(TRAILING_EMPHASIS, '');
    emphasis.open = false;
  }
  return line;
}

function cleanLine(text: string, emphasis: Emphasis | undefined): string {
  let line = text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text;
  // Each rewrite only where its marker is: most lines have none, and a 10 MB paste has many lines.
  if (BOX_CHARS.test(line)) line = line.replace(BOX_BORDER, '');
  if (line.includes('](')) line = line.replace(MARKDOWN_LINK, '$1');
  if (emphasis) line = stripRenderedMarkup(line, emphasis);
  const c = line.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 91) line = line.replace(CI_TIMESTAMP, '');
  return line.trimEnd();
}

/** Raw lines to normalised lines: quote markers, fences and inline markup removed; blank lines kept (as ''). */
function readMarkup(raw: string[]): NormalisedLine[] {
  const out: NormalisedLine[] = [];
  let fence: Fence | undefined;
  const emphasis: Emphasis = { open: false };
  raw.forEach((original, index) => {
    const line = index + 1;
    const { text: unquoted, depth } = stripQuote(original, fence ? fence.depth : Number.MAX_SAFE_INTEGER);
    const quoted = depth > 0;
    if (fence) {
      const lead = firstNonBlank(unquoted);
      if ((lead === '`' || lead === '~') && fence.closing.test(unquoted)) {
        fence = undefined;
        return;
      }
      // Content followed by the closing fence on the same line: "text```".
      const tail = unquoted.endsWith(fence.marker) ? unquoted.slice(0, -fence.marker.length) : undefined;
      if (tail !== undefined && tail.trim() !== '' && !tail.endsWith(fence.marker[0] ?? '')) {
        out.push({ text: cleanLine(tail, undefined), from: line, to: line, fence: fence.info, quoted });
        fence = undefined;
        return;
      }
      out.push({ text: cleanLine(unquoted, undefined), from: line, to: line, fence: fence.info, quoted });
      return;
    }
    const lead = firstNonBlank(unquoted);
    const open = lead === '`' || lead === '~' ? FENCE_OPEN.exec(unquoted) : null;
    if (open?.[1]) {
      const marker = open[1];
      const info = open[2] ?? '';
      const rest = open[3] ?? '';
      // "``` {2151350295; ...}```": a fence opened and closed on one line.
      const inline = `${info} ${rest}`.trim();
      if (inline.endsWith(marker) && inline.length > marker.length) {
        out.push({
          text: cleanLine(inline.slice(0, -marker.length), undefined),
          from: line,
          to: line,
          fence: '',
          quoted,
        });
        return;
      }
      const closing = new RegExp(`^[ \\t]{0,12}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      fence = { marker, closing, info: rest === '' ? info : '', depth };
      if (rest !== '' || (info !== '' && !/^[\w+#.-]{1,40}$/.test(info))) {
        out.push({ text: cleanLine(inline, undefined), from: line, to: line, fence: '', quoted });
      }
      return;
    }
    if (unquoted.trim() === '') emphasis.open = false;
    out.push({ text: cleanLine(unquoted, emphasis), from: line, to: line, quoted });
  });
  return out;
}

function leadingWhitespace(text: string): string {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(0, i);
}

/** Removes the indentation every line of a paragraph shares (a markdown indented block, a pasted indented log). */
function dedentParagraphs(lines: NormalisedLine[]): void {
  let start = 0;
  const flush = (end: number): void => {
    let common: string | undefined;
    for (let i = start; i < end; i++) {
      const lead = leadingWhitespace(lines[i]!.text);
      if (common === undefined) common = lead;
      else {
        let n = 0;
        while (n < common.length && n < lead.length && common[n] === lead[n]) n++;
        common = common.slice(0, n);
      }
      if (common === '') return;
    }
    if (!common) return;
    for (let i = start; i < end; i++) lines[i]!.text = lines[i]!.text.slice(common.length);
  };
  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i];
    const breaks =
      !line || line.text === '' || line.fence !== lines[start]?.fence || line.quoted !== lines[start]?.quoted;
    if (!breaks) continue;
    flush(i);
    start = line && line.text === '' ? i + 1 : i;
  }
}

/** The paste's lines counted, and the text up to the end of line MAX_LINES (the rest is not split at all). */
function countLines(text: string): { lineCount: number; readable: string } {
  let count = 0;
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    count++;
    if (count === MAX_LINES && cut < 0) cut = i + 1;
  }
  const trailing = text.length > 0 && !/[\r\n]$/.test(text) ? 1 : 0;
  return { lineCount: Math.max(1, count + trailing), readable: cut >= 0 ? text.slice(0, cut) : text };
}

export function normalise(input: string | Uint8Array): Normalised {
  const { text, encoding } = decodePaste(input);
  const { lineCount, readable } = countLines(text);
  const raw = readable.split(/\r\n|\r|\n/);
  if (raw.length > 1 && raw.at(-1) === '') raw.pop();
  if (raw.length > MAX_LINES) raw.length = MAX_LINES;
  const lines = readMarkup(raw);
  dedentParagraphs(lines);
  const joined = unwrapLines(lines);
  // Leading and trailing blank lines say nothing.
  let first = 0;
  let last = joined.length;
  while (first < last && joined[first]!.text === '') first++;
  while (last > first && joined[last - 1]!.text === '') last--;
  return { lines: joined.slice(first, last), encoding, lineCount, truncated: lineCount > MAX_LINES };
}
