/**
 * Unrendered Go/Helm templates (`{{ .Release.Name }}`, `{{- if ... }}`) in manifests. A chart's templates are not
 * YAML until Helm renders them, but most of their structure is: masking each action with text of the same length
 * makes them parse, with every position unchanged, so what is literal in them can still be judged. Pure.
 *
 * - A line holding nothing but actions (`{{- if .Values.x }}`, `{{- end }}`, `{{ toYaml . | nindent 8 }}`) becomes
 *   blank: both branches of an `if` stay, so a masked template may hold keys twice.
 * - An action inside a line (`name: {{ .Release.Name }}`) becomes a run of private-use characters that
 *   `unmaskTemplates` turns back into the action's own text, so values read `{{ .Release.Name }}` again.
 * Shell templates (`${NAME}`) are valid YAML as they are and need no masking.
 */

const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;
const MASK_START = 0xe000;
/** Index digits are written in this base, with code points after MASK_START + 1. */
const DIGIT_BASE = 0x1800;
const MASK_END = '\ue001';

export interface MaskedTemplate {
  /** The text with every action masked; same length, same line breaks. */
  text: string;
  /** The actions, in order; a masked run names its action by index. */
  actions: string[];
}

/** Does the text hold Go/Helm template actions? */
export function hasTemplateActions(text: string): boolean {
  return /\{\{[\s\S]*?\}\}/.test(text);
}

/** Does the text hold shell-template placeholders (`${NAMESPACE}`, as envsubst fills them)? */
export function hasShellPlaceholders(text: string): boolean {
  return /\$\{[A-Z_][A-Z0-9_]*\}/.test(text);
}

/** One spelling per action (`{{- .Release.Namespace}}` and `{{ .Release.Namespace }}` render the same). */
function canonicalAction(action: string): string {
  return `{{ ${action
    .replace(/^\{\{-?|-?\}\}$/g, '')
    .trim()
    .replace(/\s+/g, ' ')} }}`;
}

/** A value that holds an unrendered template action or shell variable, so its real value is unknown. */
export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && (/\{\{[\s\S]*?\}\}/.test(value) || /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.test(value));
}

/** True when any string inside `value` is templated. */
export function containsTemplated(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === 'string') return isTemplated(value);
  if (Array.isArray(value)) return value.some((v) => containsTemplated(v, depth + 1));
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => isTemplated(k) || containsTemplated(v, depth + 1));
  return false;
}

export function maskTemplates(text: string): MaskedTemplate {
  const actions: string[] = [];
  const lines = text.split(/(?<=\n)/);
  const out = lines.map((line) => {
    const body = line.replace(/\r?\n$/, '');
    const ending = line.slice(body.length);
    if (!body.includes('{{')) return line;
    const withoutActions = body.replace(ACTION, '');
    if (withoutActions.trim() === '' && body.trim() !== '') return ' '.repeat(body.length) + ending;
    return body.replace(ACTION, (action) => encode(actions.push(action) - 1, action.length)) + ending;
  });
  return { text: out.join(''), actions };
}

/** Masked runs in a parsed value turned back into the actions they stand for. */
export function unmaskTemplates(value: string, actions: readonly string[]): string {
  if (!value.includes(MASK_END)) return value;
  return value.replace(/\ue000([\ue002-\uf802]*?)\ue001/g, (run, digits: string) => {
    const index = decode(digits.replace(/\ue002/g, ''));
    const action = actions[index];
    return action === undefined ? run : canonicalAction(action);
  });
}

/** MASK_START, the index in base DIGIT_BASE (most significant first), padding, MASK_END: exactly `length` chars. */
function encode(index: number, length: number): string {
  const digits: string[] = [];
  let n = index;
  do {
    digits.unshift(String.fromCharCode(MASK_START + 3 + (n % DIGIT_BASE)));
    n = Math.floor(n / DIGIT_BASE);
  } while (n > 0);
  const padding = Math.max(0, length - 2 - digits.length);
  return String.fromCharCode(MASK_START) + '\ue002'.repeat(padding) + digits.join('') + MASK_END;
}

function decode(digits: string): number {
  let n = 0;
  for (const c of digits) n = n * DIGIT_BASE + (c.charCodeAt(0) - MASK_START - 3);
  return n;
}
