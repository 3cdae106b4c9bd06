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
  new RegExp(`(${q}${KEY_IN_TEXT}${q}\\s*:\\s*)${q}${body}${q}`, 'gi'),
  `$1${quote}${REDACTED}${quote}`,
]);
/** PluginInput as YAML or `key=value` text writes it (`PluginInput: secret`), up to the end of its line or field. */
const PLAIN_PLUGIN_INPUT =
  /(\bPluginInput\b['"]?\s*[:=]\s*)(?!\[redacted\]|"\[redacted\]")("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;}'"][^\n,;}]*)/gi;

const MAY_HOLD_SECRET = /plugininput|passw|pwd|secret|token|credential/i;

/** A text with every secret field of a spec (or JSON) written inside it replaced. */
export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  const inJson = JSON_FIELDS.reduce((t, [field, replacement]) => t.replace(field, replacement), text);
  return inJson.replace(PLAIN_PLUGIN_INPUT, `$1${REDACTED}`);
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
