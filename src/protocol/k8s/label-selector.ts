/**
 * Kubernetes label selectors, as k8s.io/apimachinery evaluates them: the object form (`matchLabels` +
 * `matchExpressions`, used by Deployments, Services' pods, webhooks' namespaceSelector) and the query form
 * (`labelSelector=app=web,tier in (a,b),!canary`). Pure, no I/O.
 */

export type Labels = Readonly<Record<string, string>> | undefined | null;

export interface LabelSelectorRequirement {
  key: string;
  /** In, NotIn, Exists, DoesNotExist; anything else selects nothing. */
  operator: string;
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

/** One parsed requirement of the query form; Gt/Lt compare integers, as the API server does. */
export interface Requirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!' | '=' | '!=' | 'gt' | 'lt';
  values: string[];
}

/**
 * Does `labels` satisfy the selector object? An empty selector (`{}`) selects everything. What a missing selector
 * means depends on where it sits (a webhook's absent namespaceSelector selects everything, a Service without a
 * selector selects no pods), so the caller decides that and never passes one. An unknown operator selects nothing,
 * as LabelSelectorAsSelector refuses it.
 */
export function matchesLabelSelector(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels?.[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = labels != null && Object.hasOwn(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(labels[expression.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[expression.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function matchesRequirements(requirements: readonly Requirement[], labels: Labels): boolean {
  return requirements.every((r) => {
    const has = labels != null && Object.hasOwn(labels, r.key);
    const value = has ? labels[r.key]! : undefined;
    switch (r.operator) {
      case '=':
      case 'in':
        return has && r.values.includes(value!);
      case '!=':
      case 'notin':
        return !has || !r.values.includes(value!);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value!)) return false;
        const [actual, bound] = [Number(value), Number(r.values[0])];
        return r.operator === 'gt' ? actual > bound : actual < bound;
      }
    }
  });
}

export type ParsedSelector = { ok: true; requirements: Requirement[] } | { ok: false; error: string };

/** The query form (`a=b,c!=d,e in (f,g),h notin (i),j,!k,l>3`); an empty string selects everything. */
export function parseLabelSelector(text: string): ParsedSelector {
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const requirement = parseRequirement(part.trim());
    if (typeof requirement === 'string') return { ok: false, error: `unable to parse requirement: ${requirement}` };
    requirements.push(requirement);
  }
  return { ok: true, requirements };
}

/** The selector object in the query form (for `?labelSelector=`), e.g. a Deployment's `spec.selector`. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Commas inside `( )` belong to a value list. */
function splitTopLevel(text: string): string[] {
  if (text.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const KEY = String.raw`(?:[a-z0-9A-Z](?:[-a-z0-9A-Z_.]*[a-z0-9A-Z])?/)?[a-z0-9A-Z](?:[-a-z0-9A-Z_.]*[a-z0-9A-Z])?`;
const VALUE = String.raw`(?:[a-z0-9A-Z](?:[-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?`;
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^()]*)\)$`);
const EQUALITY = new RegExp(String.raw`^(${KEY})\s*(==|=|!=|>|<)\s*(${VALUE})$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);
const VALUE_ONLY = new RegExp(`^${VALUE}$`);

function parseRequirement(part: string): Requirement | string {
  const set = SET.exec(part);
  if (set) {
    const values = set[3]!.split(',').map((v) => v.trim());
    if (values.some((v) => !VALUE_ONLY.test(v))) return `invalid value in "${part}"`;
    return { key: set[1]!, operator: set[2] as 'in' | 'notin', values };
  }
  const equality = EQUALITY.exec(part);
  if (equality) {
    const op = equality[2]!;
    if ((op === '>' || op === '<') && !/^-?\d+$/.test(equality[3]!))
      return `for 'Gt', 'Lt' operators, the value must be an integer in "${part}"`;
    const operator = op === '==' || op === '=' ? '=' : op === '!=' ? '!=' : op === '>' ? 'gt' : 'lt';
    return { key: equality[1]!, operator, values: [equality[3]!] };
  }
  const exists = EXISTS.exec(part);
  if (exists) return { key: exists[2]!, operator: exists[1] ? '!' : 'exists', values: [] };
  return `"${part}" is not a label requirement`;
}
