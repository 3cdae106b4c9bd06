/**
 * Text from outside (file names, values of credential specs, event data, DC answers) can hold terminal escape
 * sequences: printed raw, they recolour, move or rewrite what the user reads, or set the window title. Every text
 * output shows them as visible escapes instead; JSON outputs escape what JSON.stringify leaves raw.
 */

/**
 * C0 controls but tab and line feed, DEL, C1 controls (0x9b is a one-byte CSI), and the bidirectional marks and
 * overrides that reorder what a line shows.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character shown as an escape (`\x1b`); a CRLF line end becomes a line feed. */
export function printableText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, visible);
}

/** Every string of a value made printable (keys are ours and left as they are). */
export function printable<T>(value: T): T {
  return printableValue(value) as T;
}

function printableValue(value: unknown): unknown {
  if (typeof value === 'string') return printableText(value);
  if (Array.isArray(value)) return value.map(printableValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableValue(v)]));
  return value;
}

/** What JSON.stringify leaves raw and a terminal would obey (DEL, C1, bidi), as \u escapes: still the same JSON. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafeJson(json: string): string {
  return json.replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * XML as it is but for what a terminal would obey: character references instead (`&#x1b;`), the form an XML reader
 * turns back into the character. A CRLF line end stays; a lone CR, which would rewrite the line, does not.
 */
export function terminalSafeXml(xml: string): string {
  return xml
    .replace(/\r(?!\n)/g, '&#xd;')
    .replace(CONTROL, (c) => (c === '\r' ? c : `&#x${c.charCodeAt(0).toString(16)};`));
}
