/** JSON pasted as a whole block (docker inspect, docker info --format json, ConvertTo-Json), read leniently. */
import { parse, type ParseError } from 'jsonc-parser';
import type { NormalisedLine } from '../normalise.js';

/** The largest JSON text read from one block. */
const MAX_JSON_CHARS = 4 * 1024 * 1024;

/**
 * The JSON value a block's lines hold from the first line that opens an object or array to the line that closes it,
 * or undefined when they hold none. Trailing commas and comments are tolerated (pasted fragments have them).
 */
export interface JsonInBlock {
  value: unknown;
  lines: NormalisedLine[];
}

/** Several recognisers ask the same block; read it once. */
const cache = new WeakMap<readonly NormalisedLine[], JsonInBlock | null>();

export function jsonBlock(lines: readonly NormalisedLine[]): JsonInBlock | undefined {
  const known = cache.get(lines);
  if (known !== undefined) return known ?? undefined;
  const found = readJson(lines);
  cache.set(lines, found ?? null);
  return found;
}

function readJson(lines: readonly NormalisedLine[]): JsonInBlock | undefined {
  const start = lines.findIndex((l) => /^\s*[[{]\s*(?:"|$|\{)/.test(l.text));
  if (start < 0) return undefined;
  const first = lines[start]!;
  const closer = first.text.trim().startsWith('[') ? ']' : '}';
  const indentOf = (line: NormalisedLine): number => line.text.search(/\S/);
  let end = first.text.trim().length > 1 && first.text.trim().endsWith(closer) ? start : -1;
  let size = first.text.length;
  for (let i = start + 1; end < 0 && i < lines.length; i++) {
    size += lines[i]!.text.length + 1;
    if (size > MAX_JSON_CHARS) return undefined;
    const text = lines[i]!.text.trim();
    if ((text === closer || text === `${closer},`) && indentOf(lines[i]!) <= indentOf(first)) end = i;
  }
  if (end < 0) return undefined;
  const used = lines.slice(start, end + 1);
  const errors: ParseError[] = [];
  const value: unknown = parse(
    used
      .map((l) => l.text)
      .join('\n')
      .replace(/,\s*$/, ''),
    errors,
    { allowTrailingComma: true },
  );
  if (errors.length > 0 || value === undefined) return undefined;
  return { value, lines: used };
}

/** Brackets still open after `text` (strings skipped). */
export function depthChange(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}

/** The lines of each element of a top-level array (the whole document when it is an object). */
export function elementLines(json: JsonInBlock): NormalisedLine[][] {
  if (!Array.isArray(json.value)) return [json.lines];
  const elements: NormalisedLine[][] = [];
  let depth = 0;
  let current: NormalisedLine[] | undefined;
  for (const line of json.lines) {
    const before = depth;
    depth += depthChange(line.text);
    if (before === 1 && depth > 1) current = [];
    if (current) current.push(line);
    if (current && before > 1 && depth === 1) {
      elements.push(current);
      current = undefined;
    }
  }
  return elements.length === json.value.length ? elements : json.value.map(() => json.lines);
}
