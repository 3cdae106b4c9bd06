/** Pure predicates and helpers over credential spec values. */
export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key looked up the way a forgiving reader would: exact spelling first, then ignoring case. */
export function lookup(obj: unknown, key: string): { key: string; value: unknown } | undefined {
  if (!isObject(obj)) return undefined;
  if (Object.hasOwn(obj, key)) return { key, value: obj[key] };
  const lower = key.toLowerCase();
  const actual = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return actual === undefined ? undefined : { key: actual, value: obj[actual] };
}

export function str(obj: unknown, key: string): string | undefined {
  const found = lookup(obj, key);
  return typeof found?.value === 'string' ? found.value : undefined;
}

const PLACEHOLDERS: ReadonlyArray<[RegExp, string]> = [
  [/\{\{[^}]*\}\}/, 'an unrendered template ({{ ... }})'],
  [/\$\{[^}]+\}/, 'an unexpanded variable (${...})'],
  [/\$[A-Za-z_][A-Za-z0-9_]*\$/, 'a template placeholder ($name$)'],
  [/<[A-Za-z][A-Za-z0-9 _.-]*>/, 'a documentation placeholder (<...>)'],
  [/__[A-Z][A-Z0-9_]*__/, 'a template placeholder (__NAME__)'],
];

/** The first placeholder in a string value: what it is and the token itself. */
export function findPlaceholder(value: string): { token: string; what: string } | undefined {
  for (const [pattern, what] of PLACEHOLDERS) {
    const match = pattern.exec(value);
    if (match) return { token: match[0], what };
  }
  return undefined;
}

export const SAM_ILLEGAL = /["/\\[\]:;|=,+*?<>@\s]/;
export const NETBIOS_ILLEGAL = /["/\\[\]:;|=,+*?<>.\s]/;

export function isFqdn(value: string): boolean {
  if (value.length > 253 || !value.includes('.')) return false;
  return value
    .replace(/\.$/, '')
    .split('.')
    .every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label) || /^[a-z0-9_]$/i.test(label));
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Damerau-free Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}
