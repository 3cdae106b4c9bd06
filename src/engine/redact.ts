/**
 * Secrets never leave the tool: PluginInput values, passwords and tokens are replaced in every output format
 * and in saved facts. Redaction is by field: a value under a secret key, and, inside any text, a secret field of a
 * credential spec written out in it (a `credentialspec=raw://{...}` security option, a spec quoted in a message or
 * in a Kubernetes annotation). Reporters call this on the whole report.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY = /^(plugininput|password|passwd|pwd|secret|token|clientsecret|credentials?|unicodepwd)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[-_ ]/g, ''));
}

/** The secret field names as they are spelled in a JSON text (`PluginInput`, `Password`, `client_secret`). */
const KEY_IN_TEXT = '(?:PluginInput|Password|Passwd|Pwd|Secret|Token|Client_?Secret|Credentials?|UnicodePwd)';

/**
 * A secret field written as JSON inside a text: as it is, escaped once more inside a JSON string (`\"`), or escaped
 * in XML (`&quot;`, the spec in an event's XML). Each form with the replacement that keeps it valid.
 */
const JSON_FIELDS: [RegExp, string][] = [
  // quote, what a string's body may hold (escapes included), the quote of the replacement
  ['"', String.raw`(?:[^"\\]|\\.)*`, '"'],
  [String.raw`\\"`, String.raw`(?:[^"\\]|\\\\\\"|\\\\\\\\|\\\\[^"\\])*`, String.raw`\"`],
  ['&quot;', String.raw`(?:\\&quot;|\\.|(?!&quot;)[^<\\])*`, '&quot;'],
].map(([q, body, quote]) => [
  // a string cut off by the end of the text is a secret too
  new RegExp(`(${q}${KEY_IN_TEXT}${q}\\s*:\\s*)${q}${body}(?:${q}|$)`, 'gi'),
  `$1${quote}${REDACTED}${quote}`,
]);
/** PluginInput as YAML or `key=value` text writes it (`PluginInput: secret`), up to the end of its line or field. */
const PLAIN_PLUGIN_INPUT =
  /(\bPluginInput\b['"]?\s*[:=]\s*)(?!\[redacted\]|"\[redacted\]")("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;}'"][^\n,;}]*)/gi;

/** A secret field's name, or a JSON escape that can spell one (`Plugin\u0049nput`). */
const MAY_HOLD_SECRET = /plugininput|passw|pwd|secret|token|credential|\\u[0-9a-f]{4}/i;

/** Deeper than any spec; past it a text is not parsed here (every walk of the value would recurse that deep). */
const MAX_DEPTH = 128;

/**
 * The JSON object or array that starts at `start`: where it ends (exclusive; the text's end when it is not closed),
 * and whether it nests past MAX_DEPTH.
 */
function extentOf(text: string, start: number): { end: number; closed: boolean; deep: boolean } {
  let depth = 0;
  let deep = false;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deep ||= ++depth > MAX_DEPTH;
    else if ((c === '}' || c === ']') && --depth === 0) return { end: i + 1, closed: true, deep };
  }
  return { end: text.length, closed: false, deep };
}

/**
 * A JSON text redacted by its parsed keys, so that no spelling of a key (escapes included) gets past; as it was
 * written when its fields were found in the text already. Undefined when it is not JSON.
 */
function redactedJson(segment: string): string | undefined {
  const byText = redactFields(segment);
  let parsed: unknown;
  try {
    parsed = JSON.parse(byText);
  } catch {
    return undefined;
  }
  const clean = JSON.stringify(redact(parsed));
  return clean === JSON.stringify(parsed) ? byText : clean;
}

/**
 * Every JSON object written inside a text (a `raw://` spec, a spec quoted in a message), redacted as the JSON it is.
 * A `raw://` spec that is not JSON (cut off, escaped, broken, too deep) and may hold a secret is redacted whole.
 */
function redactJsonIn(text: string): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i)) {
    const { end, closed, deep } = extentOf(text, i);
    const segment = text.slice(i, end);
    const inline = /raw:\/\/\s*$/i.test(text.slice(Math.max(0, i - 12), i));
    const json = closed && !deep ? redactedJson(segment) : undefined;
    out += text.slice(from, i) + (json ?? (inline && MAY_HOLD_SECRET.test(segment) ? REDACTED : segment));
    from = i = end;
  }
  return out + text.slice(from);
}

/** The secret fields found in a text by their spelling: JSON (as it is, or escaped), YAML, `key=value`. */
function redactFields(text: string): string {
  const inJson = JSON_FIELDS.reduce((t, [field, replacement]) => t.replace(field, replacement), text);
  return inJson.replace(PLAIN_PLUGIN_INPUT, `$1${REDACTED}`);
}

/** A text with every secret field of a spec (or JSON) written inside it replaced. */
export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return redactFields(redactJsonIn(text));
}

/** Event XML: a `<Data Name="PluginInput">` element (any secret name) keeps its name, not its text. */
const XML_DATA = /(<Data\s+Name\s*=\s*(["'])([^"']*)\2\s*>)([^<]*)(<\/Data>)/gi;

export function redactXml(xml: string): string {
  return redactText(xml).replace(XML_DATA, (all, open: string, _q, name: string, _text, close: string) =>
    isSecretKey(name) ? `${open}${REDACTED}${close}` : all,
  );
}

export function redact<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    if (value instanceof Date) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        isSecretKey(k) && v !== null && v !== undefined ? REDACTED : redactValue(v),
      ]),
    );
  }
  return value;
}
