/**
 * Kubernetes manifests from text: multi-document YAML (kubectl, Kustomize and Helm output, with Helm's
 * `# Source:` comments), JSON (`kubectl get -o json`), `kind: List` and typed lists (`PodList`), resources glued
 * without `---`, unrendered Helm templates; every object with its file, line and column. Bounded: file and document
 * size, alias expansion and nesting depth are capped, each refusal with its reason. Pure: text in, objects out.
 */
import { decodeText, DecodeError } from '../credspec/decode.js';
import type { Position } from '../facts/credspec.js';
import { LimitProblem, parseJson, SyntaxProblem } from '../credspec/parse-json.js';
import { DEFAULT_YAML_LIMITS, parseYaml } from '../credspec/parse-yaml.js';
import type { YamlLimits } from '../credspec/parse-yaml.js';
import type { K8sObject, ManifestObject, Origin } from './model.js';
import { hasShellPlaceholders, hasTemplateActions, maskTemplates, unmaskTemplates } from './templates.js';

export interface LoadLimits {
  maxFileBytes: number;
  /** kube-apiserver refuses request bodies over 3 MiB, so no single object can be larger. */
  maxDocumentBytes: number;
  yaml: YamlLimits;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxFileBytes: 32 * 1024 * 1024,
  maxDocumentBytes: 3 * 1024 * 1024,
  // `kubectl get -A -o yaml` of a large cluster: a pod is some 200 keys and values.
  yaml: { ...DEFAULT_YAML_LIMITS, maxValues: 1_000_000 },
};

export interface LoadProblem {
  file: string;
  /** syntax: not YAML/JSON; limit: past a bound; encoding: not text. */
  kind: 'syntax' | 'limit' | 'encoding';
  reason: string;
  position?: Position;
}

export interface LoadedFile {
  file: string;
  objects: ManifestObject[];
  problems: LoadProblem[];
  /** Why nothing in the file is judged (a Helm partial, YAML that holds no Kubernetes object). */
  skipped?: string;
  /** The file holds unrendered Go/Helm template actions or shell-template placeholders. */
  templated: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadManifests(
  input: Uint8Array | string,
  file: string,
  limits: LoadLimits = DEFAULT_LOAD_LIMITS,
): LoadedFile {
  const none = (extra: Partial<LoadedFile>): LoadedFile => ({
    file,
    objects: [],
    problems: [],
    templated: false,
    ...extra,
  });
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > limits.maxFileBytes)
    return none({
      problems: [
        { file, kind: 'limit', reason: `the file is ${size} bytes, over the ${limits.maxFileBytes}-byte bound` },
      ],
    });
  let text: string;
  try {
    text = typeof input === 'string' ? input.replace(/^\ufeff/, '') : decodeText(input).text;
  } catch (error) {
    if (error instanceof DecodeError)
      return none({
        problems: [
          { file, kind: 'encoding', reason: 'not text: neither UTF-8 nor UTF-16 (a manifest is YAML or JSON text)' },
        ],
      });
    throw error;
  }
  if (/(^|[\\/])_[^\\/]*\.tpl$/.test(file))
    return none({ skipped: 'a Helm partial (_*.tpl): it defines named templates and renders no object' });
  const actions = hasTemplateActions(text);
  const templated = actions || hasShellPlaceholders(text);
  const masked = actions ? maskTemplates(text) : undefined;
  let documents: RawDocument[];
  try {
    documents = parseDocuments(masked?.text ?? text, file, limits.yaml);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    const kind = error instanceof LimitProblem ? 'limit' : 'syntax';
    const reason =
      templated && kind === 'syntax'
        ? `${error.message} (in an unrendered template: render it with \`helm template\` and lint the output)`
        : error.message;
    return none({ templated, problems: [{ file, kind, reason, position: error.position }] });
  }
  const objects: ManifestObject[] = [];
  const problems: LoadProblem[] = [];
  for (const doc of documents) {
    const value = masked ? unmaskDeep(doc.value, masked.actions) : doc.value;
    const positions = masked ? unmaskKeys(doc.positions, masked.actions) : doc.positions;
    if (!isResource(value)) continue;
    if (doc.sizeBytes > limits.maxDocumentBytes) {
      problems.push({
        file,
        kind: 'limit',
        reason: `the ${describe(value)} is ${doc.sizeBytes} bytes, over the ${limits.maxDocumentBytes}-byte bound of one object`,
        position: doc.position,
      });
      continue;
    }
    const origin: Origin = {
      file,
      document: doc.document,
      position: doc.position,
      positions,
      ...(doc.helmSource ? { helmSource: doc.helmSource } : {}),
      templated,
      notes: doc.notes,
      sizeBytes: doc.sizeBytes,
    };
    if (isList(value)) objects.push(...listItems(value, origin));
    else objects.push({ object: value, origin });
  }
  const skipped =
    objects.length === 0 && problems.length === 0
      ? 'no Kubernetes object (a mapping with apiVersion and kind) in this file'
      : undefined;
  return { file, objects, problems, templated, ...(skipped ? { skipped } : {}) };
}

interface RawDocument {
  value: unknown;
  positions: Record<string, Position>;
  notes: Origin['notes'];
  document: number;
  position: Position;
  sizeBytes: number;
  helmSource?: string;
}

function parseDocuments(text: string, file: string, limits: YamlLimits): RawDocument[] {
  const trimmed = text.trimStart();
  if (/\.json$/i.test(file) || ((trimmed.startsWith('{') || trimmed.startsWith('[')) && !/\.ya?ml$/i.test(file))) {
    const parsed = parseJson(text, limits.maxDepth, limits.maxValues);
    return [
      {
        value: parsed.value,
        positions: parsed.positions,
        notes: parsed.notes,
        document: 0,
        position: parsed.positions[''] ?? { line: 1, column: 1 },
        sizeBytes: Buffer.byteLength(text, 'utf8'),
      },
    ];
  }
  return parseYaml(text, limits).map((r) => {
    const helmSource = /^\s*Source:\s*(\S.*)$/m.exec(r.commentBefore ?? '')?.[1]?.trim();
    const first = Object.keys(r.positions).find((p) => p !== '');
    return {
      value: r.value,
      positions: r.positions,
      notes: r.notes,
      document: r.document,
      position: (first ? r.positions[first] : r.positions['']) ?? { line: 1, column: 1 },
      sizeBytes: r.sizeBytes,
      ...(helmSource ? { helmSource } : {}),
    };
  });
}

function isResource(value: unknown): value is K8sObject {
  return isObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/** `kind: List` (kubectl's) and the API's typed lists (`PodList`, `GMSACredentialSpecList`). */
function isList(value: K8sObject): boolean {
  return Array.isArray(value.items) && (value.kind === 'List' || /List$/.test(value.kind ?? ''));
}

function listItems(list: K8sObject, origin: Origin): ManifestObject[] {
  const itemKind = list.kind === 'List' ? undefined : list.kind!.replace(/List$/, '');
  return (list.items as unknown[]).flatMap((item, i): ManifestObject[] => {
    if (!isObject(item)) return [];
    const prefix = `items[${i}]`;
    const positions: Record<string, Position> = {};
    for (const [path, position] of Object.entries(origin.positions)) {
      if (path === prefix) positions[''] = position;
      else if (path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))
        positions[path.slice(prefix.length).replace(/^\./, '')] = position;
    }
    // The API leaves apiVersion and kind out of a typed list's items; the list's own name them.
    const object = { ...(itemKind ? { apiVersion: list.apiVersion, kind: itemKind } : {}), ...item } as K8sObject;
    return [{ object, origin: { ...origin, itemPath: prefix, position: positions[''] ?? origin.position, positions } }];
  });
}

function describe(value: K8sObject): string {
  return `${value.kind ?? 'object'} ${JSON.stringify(value.metadata?.name ?? '')}`;
}

function unmaskDeep(value: unknown, actions: readonly string[]): unknown {
  if (typeof value === 'string') return unmaskTemplates(value, actions);
  if (Array.isArray(value)) return value.map((v) => unmaskDeep(v, actions));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [unmaskTemplates(k, actions), unmaskDeep(v, actions)]),
    );
  return value;
}

function unmaskKeys(positions: Record<string, Position>, actions: readonly string[]): Record<string, Position> {
  return Object.fromEntries(Object.entries(positions).map(([k, v]) => [unmaskTemplates(k, actions), v]));
}
