/**
 * What the windows-gmsa admission webhook does to a pod on CREATE, and the exact text it answers with
 * (kubernetes-sigs/windows-gmsa admission-webhook/webhook.go and kube_client.go): the mutating pass fills in each
 * named credspec's contents, the validating pass asks whether the pod's service account may `use` each named
 * credspec, compares contents set in the pod with the resource's, and refuses contents without a name. Pure.
 */
import type { Workload } from './workloads.js';
import { serviceAccountOf, usageResource } from './workloads.js';

export const WEBHOOK_NAME = 'admission-webhook.windows-gmsa.sigs.k8s.io';

export interface CredspecLookup {
  /** The credspec resource's `credspec` value, exactly as the API returns it; undefined when it does not exist. */
  (name: string): { exists: false } | { exists: true; credspec: unknown };
}

export type AccessDecision = { known: true; allowed: boolean; reason: string } | { known: false; reason: string };

export interface Denial {
  /** The webhook's own message. */
  message: string;
  /** The HTTP code it sets (403, 404, 417, 422). */
  code: number;
  /** Which check refused: for the finding's id. */
  cause: 'not-found' | 'no-credspec-key' | 'not-authorized' | 'contents-differ' | 'no-name';
  /** The usage (index into workload.usages) refused. */
  usage: number;
}

/** What kube-apiserver shows the client (kubectl, or the ReplicaSet's FailedCreate event). */
export function apiServerText(denial: Denial): string {
  return `admission webhook ${JSON.stringify(WEBHOOK_NAME)} denied the request: ${denial.message}`;
}

/** Go's json.Marshal of the unstructured credspec: map keys sorted, no spaces. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** compareCredSpecContents: equal strings, or equal once both are parsed as JSON objects. */
export function sameContents(inline: string, fromResource: string): { equal: boolean; parseError?: string } {
  if (inline === fromResource) return { equal: true };
  let a: unknown;
  try {
    a = JSON.parse(inline);
  } catch {
    return { equal: false, parseError: 'unable to parse the inline contents as a JSON object' };
  }
  if (!a || typeof a !== 'object' || Array.isArray(a))
    return { equal: false, parseError: 'unable to parse the inline contents as a JSON object' };
  return { equal: deepEqual(a, JSON.parse(fromResource)) };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/** The top-level fields that differ between two credspecs (paths only: values may hold a PluginInput). */
export function differingFields(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 20) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      differingFields(a[key], b[key], path ? `${path}.${key}` : key, out);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => differingFields(v, b[i], `${path}[${i}]`, out));
    return out;
  }
  if (!deepEqual(a, b)) out.push(path || '(whole)');
  return out;
}

function retrieve(lookup: CredspecLookup, name: string, usage: number): { contents: string } | Denial {
  const found = lookup(name);
  if (!found.exists) return { message: `cred spec ${name} does not exist`, code: 404, cause: 'not-found', usage };
  if (found.credspec === undefined || found.credspec === '')
    return { message: `cred spec ${name} does not have a credspec key`, code: 417, cause: 'no-credspec-key', usage };
  return { contents: goJson(found.credspec) };
}

/**
 * The first refusal the webhook would answer a CREATE of this pod (or of each pod a controller makes from this
 * template) with; undefined when it admits it. `access` answers its LocalSubjectAccessReview; an unknown answer is
 * passed over (the caller reports it as not checked).
 */
export function admissionDenial(
  workload: Workload,
  lookup: CredspecLookup,
  access: (serviceAccount: string, credspec: string) => AccessDecision,
): Denial | undefined {
  const contents = workload.usages.map((u) => u.contents);
  // Mutating pass: contents filled in for every name without them.
  for (const [i, usage] of workload.usages.entries()) {
    if (usage.name === undefined || usage.contents !== undefined) continue;
    const got = retrieve(lookup, usage.name, i);
    if ('message' in got) return got;
    contents[i] = got.contents;
  }
  // Validating pass, on the mutated pod.
  const serviceAccount = serviceAccountOf(workload);
  for (const [i, usage] of workload.usages.entries()) {
    const resource = usageResource(workload, usage);
    if (usage.name !== undefined) {
      const decision = access(serviceAccount, usage.name);
      if (decision.known && !decision.allowed) {
        const reason = decision.reason ? `, reason: ${JSON.stringify(decision.reason)}` : '';
        return {
          message: `service account ${JSON.stringify(serviceAccount)} is not authorized to \`use\` GMSA cred spec ${JSON.stringify(usage.name)}${reason}`,
          code: 403,
          cause: 'not-authorized',
          usage: i,
        };
      }
      const inline = contents[i];
      if (inline !== undefined) {
        const expected = retrieve(lookup, usage.name, i);
        if ('message' in expected) return expected;
        const compared = sameContents(inline, expected.contents);
        if (!compared.equal) {
          const detail = compared.parseError ? `: ${compared.parseError}` : '';
          return {
            message: `the GMSA cred spec contents for ${resource} does not match the contents of GMSA resource ${JSON.stringify(usage.name)}${detail}`,
            code: 422,
            cause: 'contents-differ',
            usage: i,
          };
        }
      }
    } else if (usage.contents !== undefined) {
      return {
        message: `${resource} has a GMSA cred spec set, but does not define the name of the corresponding resource`,
        code: 422,
        cause: 'no-name',
        usage: i,
      };
    }
  }
  return undefined;
}
