/**
 * Pods and the pod templates of workload controllers, and the gMSA settings in them: the pod's and each
 * container's `securityContext.windowsOptions` (`gmsaCredentialSpecName`, `gmsaCredentialSpec`), and the alpha
 * annotations that came before them. Also where such a pod may be scheduled. Pure.
 */
import { matchesLabelSelector } from '../protocol/k8s/label-selector.js';
import type { K8sObject, ManifestObject, ObjectMeta } from './model.js';
import { subjectOf } from './model.js';
import { isTemplated } from './templates.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObject = (v: unknown): Json => (isObject(v) ? v : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Where each kind keeps its pod template. */
const POD_PATHS: Record<string, { spec: string; metadata: string }> = {
  Pod: { spec: 'spec', metadata: 'metadata' },
  Deployment: { spec: 'spec.template.spec', metadata: 'spec.template.metadata' },
  StatefulSet: { spec: 'spec.template.spec', metadata: 'spec.template.metadata' },
  DaemonSet: { spec: 'spec.template.spec', metadata: 'spec.template.metadata' },
  ReplicaSet: { spec: 'spec.template.spec', metadata: 'spec.template.metadata' },
  ReplicationController: { spec: 'spec.template.spec', metadata: 'spec.template.metadata' },
  Job: { spec: 'spec.template.spec', metadata: 'spec.template.metadata' },
  CronJob: { spec: 'spec.jobTemplate.spec.template.spec', metadata: 'spec.jobTemplate.spec.template.metadata' },
};

/** The annotations of the alpha gMSA support (Kubernetes 1.14 and before), as windows-gmsa's old tests set them. */
const ALPHA_POD_NAME_ANNOTATION = 'pod.alpha.windows.kubernetes.io/gmsa-credential-spec-name';
const ALPHA_POD_CONTENTS_ANNOTATION = 'pod.alpha.windows.kubernetes.io/gmsa-credential-spec';
const ALPHA_CONTAINER = /^(.+)\.container\.alpha\.windows\.kubernetes\.io\/gmsa-credential-spec(-name)?$/;

export interface GmsaUsage {
  /** As the webhook names it: pod, container, initContainer. */
  level: 'pod' | 'container' | 'initContainer';
  containerName?: string;
  containerIndex?: number;
  /** Field path of the windowsOptions object in the workload. */
  field: string;
  /** gmsaCredentialSpecName, when set (a string; other types are reported by schema validation). */
  name?: string;
  /** gmsaCredentialSpec (inline JSON), when set. */
  contents?: string;
}

export interface LegacyAnnotation {
  key: string;
  field: string;
}

export interface Workload {
  item: ManifestObject;
  object: K8sObject;
  kind: string;
  namespace: string;
  name: string;
  subject: string;
  isPod: boolean;
  podSpecPath: string;
  podSpec: Json;
  podMetadataPath: string;
  podMetadata: ObjectMeta;
  /** Pods it keeps running at once; undefined when a template hides it; DaemonSet: one per matching node. */
  replicas: number | 'per-node' | undefined;
  usages: GmsaUsage[];
  legacyAnnotations: LegacyAnnotation[];
  /** The controller that owns this object (ownerReferences with controller: true). */
  controller?: { kind: string; name: string };
}

export function get(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const key of (path.includes('[') ? path.replace(/\[(\d+)\]/g, '.$1') : path).split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[key];
  }
  return current;
}

export function workloadOf(item: ManifestObject): Workload | undefined {
  const { object } = item;
  const paths = POD_PATHS[object.kind ?? ''];
  if (!paths) return undefined;
  const podSpec = asObject(get(object, paths.spec));
  const podMetadata = asObject(get(object, paths.metadata)) as ObjectMeta;
  const controllerRef = (object.metadata?.ownerReferences ?? []).find((o) => o.controller);
  return {
    item,
    object,
    kind: object.kind!,
    namespace: object.metadata?.namespace ?? 'default',
    name: object.metadata?.name ?? object.metadata?.generateName ?? '',
    subject: subjectOf(object),
    isPod: object.kind === 'Pod',
    podSpecPath: paths.spec,
    podSpec,
    podMetadataPath: paths.metadata,
    podMetadata,
    replicas: replicasOf(object),
    usages: gmsaUsages(podSpec, paths.spec),
    legacyAnnotations: legacyAnnotations(podMetadata, paths.metadata),
    ...(controllerRef?.kind && controllerRef.name
      ? { controller: { kind: controllerRef.kind, name: controllerRef.name } }
      : {}),
  };
}

function replicasOf(object: K8sObject): Workload['replicas'] {
  const spec = asObject(object.spec);
  const count = (value: unknown): number | undefined =>
    value === undefined || value === null ? 1 : typeof value === 'number' ? value : undefined;
  switch (object.kind) {
    case 'Pod':
      return 1;
    case 'DaemonSet':
      return 'per-node';
    case 'Job':
      return count(spec.parallelism);
    case 'CronJob':
      return count(get(spec, 'jobTemplate.spec.parallelism'));
    default:
      return count(spec.replicas);
  }
}

/** Every windowsOptions with gMSA settings, in the webhook's order: the pod's, containers', init containers'. */
export function gmsaUsages(podSpec: Json, specPath: string): GmsaUsage[] {
  const usages: GmsaUsage[] = [];
  const add = (options: unknown, base: Omit<GmsaUsage, 'name' | 'contents'>): void => {
    if (!isObject(options)) return;
    const name = options.gmsaCredentialSpecName;
    const contents = options.gmsaCredentialSpec;
    if (name === undefined && contents === undefined) return;
    usages.push({
      ...base,
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof contents === 'string' ? { contents } : {}),
    });
  };
  add(get(podSpec, 'securityContext.windowsOptions'), {
    level: 'pod',
    field: `${specPath}.securityContext.windowsOptions`,
  });
  for (const [list, level] of [
    ['containers', 'container'],
    ['initContainers', 'initContainer'],
  ] as const) {
    asArray(podSpec[list]).forEach((container, i) => {
      const c = asObject(container);
      add(get(c, 'securityContext.windowsOptions'), {
        level,
        containerName: typeof c.name === 'string' ? c.name : `#${i}`,
        containerIndex: i,
        field: `${specPath}.${list}[${i}].securityContext.windowsOptions`,
      });
    });
  }
  return usages;
}

function legacyAnnotations(metadata: ObjectMeta, metadataPath: string): LegacyAnnotation[] {
  return Object.keys(asObject(metadata.annotations))
    .filter(
      (key) => key === ALPHA_POD_NAME_ANNOTATION || key === ALPHA_POD_CONTENTS_ANNOTATION || ALPHA_CONTAINER.test(key),
    )
    .map((key) => ({ key, field: `${metadataPath}.annotations.${key}` }));
}

/** The pod's service account as the ServiceAccount admission plugin sets it (the webhook reads it after that). */
export function serviceAccountOf(workload: Workload): string {
  const spec = workload.podSpec;
  const name = spec.serviceAccountName ?? spec.serviceAccount;
  return typeof name === 'string' && name !== '' ? name : 'default';
}

/** The webhook's name of where a usage sits: `pod "web-1"`, `container "iis"`. */
export function usageResource(workload: Workload, usage: GmsaUsage): string {
  if (usage.level !== 'pod') return `${usage.level} ${JSON.stringify(usage.containerName ?? '')}`;
  return `pod ${JSON.stringify(workload.isPod ? workload.name : `<name of each pod ${workload.kind} ${workload.name} creates>`)}`;
}

// ---- scheduling ----------------------------------------------------------------------------------------------

export const OS_LABEL = 'kubernetes.io/os';
const BETA_OS_LABEL = 'beta.kubernetes.io/os';
export const WINDOWS_BUILD_LABEL = 'node.kubernetes.io/windows-build';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** What keeps a pod on Windows nodes, read from its spec (and its RuntimeClass's scheduling). */
export interface WindowsPlacement {
  /** Every node the pod may be scheduled on is a Windows node, by label. */
  windowsOnly: boolean;
  /** The pod is pinned to Linux (nodeSelector or affinity). */
  linuxOnly: boolean;
  /** What does it, for the finding: `nodeSelector kubernetes.io/os: windows`. */
  by?: string;
  /** It tolerates Windows nodes' taints but selects nothing: tolerations only let it onto tainted nodes. */
  tolerationsOnly: boolean;
  /** The values decide are templated: unknown. */
  templated: boolean;
}

export function nodeSelectorOf(podSpec: Json, runtimeClass?: K8sObject): Record<string, string> {
  const own = asObject(podSpec.nodeSelector) as Record<string, string>;
  const fromClass = asObject(get(runtimeClass, 'scheduling.nodeSelector')) as Record<string, string>;
  return { ...fromClass, ...own };
}

export function requiredNodeTerms(
  podSpec: Json,
): { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }[] | undefined {
  const terms = get(podSpec, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms');
  return Array.isArray(terms) ? (terms as { matchExpressions?: NodeSelectorRequirement[] }[]) : undefined;
}

export function tolerationsOf(podSpec: Json, runtimeClass?: K8sObject): Toleration[] {
  return [...asArray(get(runtimeClass, 'scheduling.tolerations')), ...asArray(podSpec.tolerations)].filter(isObject);
}

export function windowsPlacement(podSpec: Json, runtimeClass?: K8sObject): WindowsPlacement {
  const selector = nodeSelectorOf(podSpec, runtimeClass);
  const terms = requiredNodeTerms(podSpec);
  const tolerations = tolerationsOf(podSpec, runtimeClass);
  const templated = [selector[OS_LABEL], selector[BETA_OS_LABEL]].some(isTemplated);
  const from =
    runtimeClass && get(runtimeClass, `scheduling.nodeSelector`)
      ? ` (from RuntimeClass ${runtimeClass.metadata?.name ?? ''})`
      : '';
  const os = selector[OS_LABEL] ?? selector[BETA_OS_LABEL];
  const osKey = selector[OS_LABEL] !== undefined ? OS_LABEL : BETA_OS_LABEL;
  const base = { tolerationsOnly: false, templated };
  if (os === 'windows')
    return { ...base, windowsOnly: true, linuxOnly: false, by: `nodeSelector ${osKey}: windows${from}` };
  if (os === 'linux')
    return { ...base, windowsOnly: false, linuxOnly: true, by: `nodeSelector ${osKey}: linux${from}` };
  if (selector[WINDOWS_BUILD_LABEL] !== undefined)
    return {
      ...base,
      windowsOnly: true,
      linuxOnly: false,
      by: `nodeSelector ${WINDOWS_BUILD_LABEL}: ${selector[WINDOWS_BUILD_LABEL]}`,
    };
  if (terms && terms.length > 0) {
    const osOf = (term: (typeof terms)[number]): 'windows' | 'linux' | undefined => {
      for (const e of term.matchExpressions ?? []) {
        const values = e.values ?? [];
        if ((e.key === OS_LABEL || e.key === BETA_OS_LABEL) && e.operator === 'In' && values.length > 0) {
          if (values.every((v) => v === 'windows')) return 'windows';
          if (values.every((v) => v === 'linux')) return 'linux';
        }
        if (e.key === WINDOWS_BUILD_LABEL && (e.operator === 'In' || e.operator === 'Exists')) return 'windows';
      }
      return undefined;
    };
    const oses = terms.map(osOf);
    if (oses.every((o) => o === 'windows'))
      return { ...base, windowsOnly: true, linuxOnly: false, by: `required node affinity ${OS_LABEL} In [windows]` };
    if (oses.every((o) => o === 'linux'))
      return { ...base, windowsOnly: false, linuxOnly: true, by: `required node affinity ${OS_LABEL} In [linux]` };
  }
  const windowsToleration = tolerations.some((t) => /windows|\bos\b/i.test(`${t.key ?? ''} ${t.value ?? ''}`));
  return { ...base, windowsOnly: false, linuxOnly: false, tolerationsOnly: windowsToleration };
}

/** Would the scheduler place the pod on this node, by labels, taints and schedulability (not resources)? */
export function nodeAccepts(node: K8sObject, podSpec: Json, runtimeClass?: K8sObject): boolean {
  const labels = node.metadata?.labels ?? {};
  const spec = asObject(node.spec);
  if (spec.unschedulable === true) return false;
  if (typeof podSpec.nodeName === 'string' && podSpec.nodeName !== '') return podSpec.nodeName === node.metadata?.name;
  const selector = nodeSelectorOf(podSpec, runtimeClass);
  if (!matchesLabelSelector({ matchLabels: selector }, labels)) return false;
  const terms = requiredNodeTerms(podSpec);
  if (terms && terms.length > 0 && !terms.some((t) => nodeTermMatches(t, labels, node))) return false;
  const tolerations = tolerationsOf(podSpec, runtimeClass);
  const taints = asArray(spec.taints).filter(isObject) as unknown as Taint[];
  return taints
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .every((taint) => tolerations.some((t) => tolerates(t, taint)));
}

function nodeTermMatches(
  term: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] },
  labels: Record<string, string>,
  node: K8sObject,
): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const numeric = expressions.filter((e) => e.operator === 'Gt' || e.operator === 'Lt');
  const others = expressions.filter((e) => e.operator !== 'Gt' && e.operator !== 'Lt');
  if (
    !matchesLabelSelector(
      { matchExpressions: others.map((e) => ({ key: e.key, operator: e.operator, values: e.values ?? [] })) },
      labels,
    )
  )
    return false;
  for (const e of numeric) {
    const value = labels[e.key];
    if (value === undefined || !/^-?\d+$/.test(value)) return false;
    const bound = Number(e.values?.[0]);
    if (e.operator === 'Gt' ? !(Number(value) > bound) : !(Number(value) < bound)) return false;
  }
  return fields.every(
    (f) =>
      f.key === 'metadata.name' &&
      (f.operator === 'In'
        ? (f.values ?? []).includes(node.metadata?.name ?? '')
        : !(f.values ?? []).includes(node.metadata?.name ?? '')),
  );
}

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (!toleration.key) return toleration.operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  return toleration.operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
}

export function nodeOs(node: K8sObject): string | undefined {
  const labels = node.metadata?.labels ?? {};
  return (
    labels[OS_LABEL] ?? labels[BETA_OS_LABEL] ?? (get(node, 'status.nodeInfo.operatingSystem') as string | undefined)
  );
}

export function isNodeReady(node: K8sObject): boolean {
  return asArray(get(node, 'status.conditions')).some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}

/**
 * Whether a pod from a list page matters to the judgement: only pods that use a gMSA (or carry its alpha
 * annotations) do, so a scan can drop the others page by page and hold memory in the number of gMSA pods.
 */
export function podMatters(pod: K8sObject): boolean {
  return workloadMatters(pod, 'Pod');
}

/** The same for a workload of a list page (`kind`: the list's, as the API leaves it out of the items). */
export function workloadMatters(object: K8sObject, kind = object.kind): boolean {
  const workload = workloadOf({ object: { ...object, kind } });
  return workload !== undefined && (workload.usages.length > 0 || workload.legacyAnnotations.length > 0);
}
