/**
 * How deep a JSON text nests. Parsers cope with any depth, but every walk over the value afterwards (validation,
 * redaction, printing) recurses: a few thousand brackets exhaust the stack. Inputs are refused past the bound
 * before they are parsed. Pure: text in, answer out.
 */

/** Objects and arrays nested in one another; the YAML reader has the same bound. */
export const MAX_NESTING_DEPTH = 128;

export class NestingLimitError extends Error {
  constructor(
    readonly offset: number,
    readonly maxDepth: number,
  ) {
    super(`objects and arrays nested more than ${maxDepth} deep: refused`);
  }
}

/** The offset of the first bracket past `maxDepth`, skipping strings; undefined when the text stays within it. */
export function tooDeepAt(text: string, maxDepth = MAX_NESTING_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

/** JSON.parse, refusing a text nested past the bound (NestingLimitError) before parsing it. */
export function parseBoundedJson(text: string, maxDepth = MAX_NESTING_DEPTH): unknown {
  const at = tooDeepAt(text, maxDepth);
  if (at !== undefined) throw new NestingLimitError(at, maxDepth);
  return JSON.parse(text);
}
