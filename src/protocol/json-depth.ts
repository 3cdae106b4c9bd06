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
  return pastBoundsAt(text, maxDepth, Infinity)?.offset;
}

/**
 * Where a text first goes past a bound: nesting, or the number of values (each `{`, `[`, `:` and `,` outside a
 * string starts one, keys counted), skipping strings; undefined when it stays within both.
 */
export function pastBoundsAt(
  text: string,
  maxDepth: number,
  maxValues: number,
): { offset: number; bound: 'depth' | 'values' } | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return { offset: i, bound: 'depth' };
      if (++values > maxValues) return { offset: i, bound: 'values' };
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if ((c === 0x2c || c === 0x3a) && ++values > maxValues) return { offset: i, bound: 'values' };
  }
  return undefined;
}

/** JSON.parse, refusing a text nested past the bound (NestingLimitError) before parsing it. */
export function parseBoundedJson(text: string, maxDepth = MAX_NESTING_DEPTH): unknown {
  const at = tooDeepAt(text, maxDepth);
  if (at !== undefined) throw new NestingLimitError(at, maxDepth);
  return JSON.parse(text);
}
