/**
 * Secrets never leave the tool: PluginInput values, passwords and tokens are replaced in every output format
 * and in saved facts. Reporters call this on everything they print.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY = /^(plugininput|password|passwd|pwd|secret|token|clientsecret|credentials?|unicodepwd)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[-_ ]/g, ''));
}

export function redact<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
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
