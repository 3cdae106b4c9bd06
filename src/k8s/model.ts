/**
 * What a gMSA judgement of a cluster or of manifests works on: Kubernetes objects as the API returns them (or as
 * manifests write them), each with where it came from, grouped by resource, each group complete (a whole cluster's
 * list), partial (only what some files hold) or unavailable (with the reason, e.g. the permission the scan lacks).
 * Pure data, no I/O.
 */
import type { ParseNote, Position } from '../facts/credspec.js';
import type { LoadedFile } from './load.js';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
  [field: string]: unknown;
}

/** An object as the API returned it or a manifest wrote it: nothing about its shape is trusted. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** Where an object was read from a file: every field's line and column, for findings and SARIF. */
export interface Origin {
  file: string;
  /** 0-based `---` document; a `kind: List` item also has its path in the list (`items[2]`). */
  document: number;
  itemPath?: string;
  /** Position of the object's first key. */
  position: Position;
  /** Field path (`spec.template.spec.containers[0].image`) -> position of its value. */
  positions: Record<string, Position>;
  /** Helm's `# Source: chart/templates/deployment.yaml` above the document, when rendered by Helm. */
  helmSource?: string;
  /** The object came from an unrendered template: values holding `{{ }}` or `${}` are unknown, not wrong. */
  templated: boolean;
  notes: ParseNote[];
  sizeBytes: number;
}

export interface ManifestObject {
  object: K8sObject;
  /** Absent for objects read from a cluster. */
  origin?: Origin;
}

/** The resources a gMSA judgement reads, named as the API (and src/probes/k8s RESOURCES) names them. */
export const RESOURCE_KEYS = [
  'gmsacredentialspecs',
  'customresourcedefinitions',
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'serviceaccounts',
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'services',
  'endpoints',
  'endpointslices',
  'nodes',
  'namespaces',
  'runtimeclasses',
] as const;

export type ResourceKey = (typeof RESOURCE_KEYS)[number];

/** The permission a list needed, as RBAC names it. */
export interface Permission {
  verb: string;
  group: string;
  resource: string;
  /** Absent: cluster-wide. */
  namespace?: string;
}

export type Collection =
  /** Every object of the resource in the cluster (or namespace) the scan read. */
  | { state: 'complete'; items: ManifestObject[] }
  /** Only the objects some files hold: an object missing here may exist elsewhere. */
  | { state: 'partial'; items: ManifestObject[] }
  | { state: 'unavailable'; reason: string; permission?: Permission; notFound?: boolean };

/** The answer to the windows-gmsa webhook's question, asked of the API server (LocalSubjectAccessReview). */
export interface AccessReviewAnswer {
  allowed: boolean;
  denied?: boolean;
  reason: string;
}

export type Unavailable = { unavailable: string };

/** The webhook's serving certificate chain as a TLS handshake (or its Secret's tls.crt) showed it, PEM. */
export interface ServingCertificate {
  pem: string;
  /** Where it was read: `TLS handshake with gmsa-webhook.gmsa-webhook.svc:443`, `secret gmsa-webhook/gmsa-server-cert`. */
  source: string;
}

export interface ClusterModel {
  /** `cluster`: objects from the API server; `lint`: objects from manifest files. */
  mode: 'cluster' | 'lint';
  /** For certificate expiry. */
  now: Date;
  resources: Partial<Record<ResourceKey, Collection>>;
  /** Answers of LocalSubjectAccessReviews, by accessReviewKey; without one the loaded RBAC objects decide. */
  accessReviews?: ReadonlyMap<string, AccessReviewAnswer | Unavailable>;
  /** By `namespace/service` of a webhook's clientConfig. */
  servingCertificates?: ReadonlyMap<string, ServingCertificate | Unavailable>;
  /** The webhook's `GET /info` answer, by `namespace/service`. */
  webhookInfo?: ReadonlyMap<string, { version: string } | Unavailable>;
  /** `lint`: the files read, with what could not be read in them. */
  files?: readonly LoadedFile[];
}

export function accessReviewKey(namespace: string, serviceAccount: string, credspec: string): string {
  return `${namespace}/${serviceAccount}/${credspec}`;
}

/** The kind each resource holds, for objects of a list (the API leaves kind out of list items). */
export const RESOURCE_KIND: Record<ResourceKey, string> = {
  gmsacredentialspecs: 'GMSACredentialSpec',
  customresourcedefinitions: 'CustomResourceDefinition',
  pods: 'Pod',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  serviceaccounts: 'ServiceAccount',
  roles: 'Role',
  rolebindings: 'RoleBinding',
  clusterroles: 'ClusterRole',
  clusterrolebindings: 'ClusterRoleBinding',
  mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
  validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
  services: 'Service',
  endpoints: 'Endpoints',
  endpointslices: 'EndpointSlice',
  nodes: 'Node',
  namespaces: 'Namespace',
  runtimeclasses: 'RuntimeClass',
};

const KIND_RESOURCE = new Map(Object.entries(RESOURCE_KIND).map(([resource, kind]) => [kind, resource as ResourceKey]));

export function resourceOfKind(kind: unknown): ResourceKey | undefined {
  return typeof kind === 'string' ? KIND_RESOURCE.get(kind) : undefined;
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'GMSACredentialSpec',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'RuntimeClass',
  'PersistentVolume',
  'StorageClass',
]);

/** `web/Deployment/webapp` (a manifest without a namespace lands in `default`), or `GMSACredentialSpec/gmsa-webapp1`. */
export function subjectOf(object: K8sObject): string {
  const name = object.metadata?.name ?? object.metadata?.generateName ?? '?';
  const kind = object.kind ?? '?';
  if (CLUSTER_SCOPED.has(kind)) return `${kind}/${name}`;
  return `${object.metadata?.namespace ?? 'default'}/${kind}/${name}`;
}

/** A lint model: every resource partial, holding what the files hold. */
export function lintModel(files: readonly LoadedFile[], now = new Date()): ClusterModel {
  const resources: Partial<Record<ResourceKey, Collection>> = {};
  for (const key of RESOURCE_KEYS) resources[key] = { state: 'partial', items: [] };
  for (const item of files.flatMap((f) => f.objects)) {
    const key = resourceOfKind(item.object.kind);
    if (key) (resources[key] as { items: ManifestObject[] }).items.push(item);
  }
  return { mode: 'lint', now, resources, files };
}

/** The shape of a list result (src/probes/k8s K8sResult<K8sList>), without depending on the client. */
export type ListResult =
  | { ok: true; value: { items: K8sObject[] } }
  | { ok: false; error: { kind: string; message: string; permission?: Permission } };

/** A cluster collection from a list result: complete, or unavailable with the reason and missing permission. */
export function collectionFromList(key: ResourceKey, result: ListResult): Collection {
  if (result.ok)
    return {
      state: 'complete',
      items: result.value.items.map((object) => ({ object: { ...object, kind: object.kind ?? RESOURCE_KIND[key] } })),
    };
  const { error } = result;
  return {
    state: 'unavailable',
    reason: error.message,
    ...(error.permission ? { permission: error.permission } : {}),
    ...(error.kind === 'not-found' ? { notFound: true } : {}),
  };
}
