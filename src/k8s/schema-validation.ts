/**
 * Manifests validated against the Kubernetes OpenAPI schemas bundled by kubernetes-models 4.5.1 (types, required
 * fields, enums): `hostProcess: "yes"` is refused as "must be boolean" before kubectl refuses it. Only the kinds a
 * gMSA judgement reads are loaded (by loadManifestSchemas), so the rest of the package stays out of the bundle.
 */
import type { K8sObject } from './model.js';

interface Validatable {
  validate(): void;
}

type ModelClass = new (data: never) => Validatable;

let models: Map<string, ModelClass> | undefined;

/**
 * Loads the schemas, once, before `k8s lint` judges (about 0.3 s, which a cluster scan need not pay). Dynamic
 * imports of literal paths, so a bundler still includes them.
 */
export async function loadManifestSchemas(): Promise<void> {
  if (models) return;
  const entries: [string, Promise<ModelClass>][] = [
    ['v1/Pod', import('kubernetes-models/v1/Pod').then((m) => m.Pod as ModelClass)],
    ['v1/Service', import('kubernetes-models/v1/Service').then((m) => m.Service as ModelClass)],
    ['v1/ServiceAccount', import('kubernetes-models/v1/ServiceAccount').then((m) => m.ServiceAccount as ModelClass)],
    ['v1/Endpoints', import('kubernetes-models/v1/Endpoints').then((m) => m.Endpoints as ModelClass)],
    ['v1/Namespace', import('kubernetes-models/v1/Namespace').then((m) => m.Namespace as ModelClass)],
    ['v1/Node', import('kubernetes-models/v1/Node').then((m) => m.Node as ModelClass)],
    ['v1/ConfigMap', import('kubernetes-models/v1/ConfigMap').then((m) => m.ConfigMap as ModelClass)],
    ['v1/Secret', import('kubernetes-models/v1/Secret').then((m) => m.Secret as ModelClass)],
    ['apps/v1/Deployment', import('kubernetes-models/apps/v1/Deployment').then((m) => m.Deployment as ModelClass)],
    ['apps/v1/StatefulSet', import('kubernetes-models/apps/v1/StatefulSet').then((m) => m.StatefulSet as ModelClass)],
    ['apps/v1/DaemonSet', import('kubernetes-models/apps/v1/DaemonSet').then((m) => m.DaemonSet as ModelClass)],
    ['apps/v1/ReplicaSet', import('kubernetes-models/apps/v1/ReplicaSet').then((m) => m.ReplicaSet as ModelClass)],
    ['batch/v1/Job', import('kubernetes-models/batch/v1/Job').then((m) => m.Job as ModelClass)],
    ['batch/v1/CronJob', import('kubernetes-models/batch/v1/CronJob').then((m) => m.CronJob as ModelClass)],
    [
      'rbac.authorization.k8s.io/v1/Role',
      import('kubernetes-models/rbac.authorization.k8s.io/v1/Role').then((m) => m.Role as ModelClass),
    ],
    [
      'rbac.authorization.k8s.io/v1/ClusterRole',
      import('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole').then((m) => m.ClusterRole as ModelClass),
    ],
    [
      'rbac.authorization.k8s.io/v1/RoleBinding',
      import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding').then((m) => m.RoleBinding as ModelClass),
    ],
    [
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      import('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding').then(
        (m) => m.ClusterRoleBinding as ModelClass,
      ),
    ],
    [
      'apiextensions.k8s.io/v1/CustomResourceDefinition',
      import('kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition').then(
        (m) => m.CustomResourceDefinition as ModelClass,
      ),
    ],
    [
      'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
      import('kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration').then(
        (m) => m.MutatingWebhookConfiguration as ModelClass,
      ),
    ],
    [
      'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
      import('kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration').then(
        (m) => m.ValidatingWebhookConfiguration as ModelClass,
      ),
    ],
    [
      'node.k8s.io/v1/RuntimeClass',
      import('kubernetes-models/node.k8s.io/v1/RuntimeClass').then((m) => m.RuntimeClass as ModelClass),
    ],
  ];
  models = new Map(await Promise.all(entries.map(async ([key, model]) => [key, await model] as const)));
}

export function schemasLoaded(): boolean {
  return models !== undefined;
}

export interface SchemaError {
  /** Field path as the rest of gmsa-doctor writes it: `spec.containers[0].securityContext.windowsOptions.hostProcess`. */
  field: string;
  /** The schema's words: `must be boolean`, `must have required property 'containers'`. */
  message: string;
}

const SCHEMA_KEYS = new Set([
  'v1/Pod',
  'v1/Service',
  'v1/ServiceAccount',
  'v1/Endpoints',
  'v1/Namespace',
  'v1/Node',
  'v1/ConfigMap',
  'v1/Secret',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'apps/v1/ReplicaSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
  'node.k8s.io/v1/RuntimeClass',
]);

/** Whether a kind/apiVersion has a bundled schema. */
export function hasSchema(object: K8sObject): boolean {
  return SCHEMA_KEYS.has(`${object.apiVersion}/${object.kind}`);
}

/** Schema errors of an object; call loadManifestSchemas first. */
export function validateManifest(object: K8sObject): SchemaError[] {
  const Model = models?.get(`${object.apiVersion}/${object.kind}`);
  if (!Model) return [];
  try {
    new Model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    const errors = (
      error as { errors?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[] }
    ).errors;
    if (!Array.isArray(errors)) return [{ field: '', message: (error as Error).message }];
    return errors.slice(0, 20).map((e) => ({ field: fieldOf(e.instancePath ?? ''), message: messageOf(e) }));
  }
}

/** `/spec/containers/0/name` -> `spec.containers[0].name` (JSON pointer escapes undone). */
function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function messageOf(e: { message?: string; params?: Record<string, unknown> }): string {
  const allowed = e.params?.allowedValues;
  return `${e.message ?? 'is invalid'}${Array.isArray(allowed) ? ` (${allowed.join(', ')})` : ''}`;
}
