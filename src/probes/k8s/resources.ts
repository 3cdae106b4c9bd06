/** The API resources a gMSA scan reads, and the REST paths they live at. */

export interface ResourceType {
  /** "" for the core group (`/api/v1`). */
  group: string;
  version: string;
  /** The plural, as in the URL and in RBAC rules. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

const core = (resource: string, kind: string, namespaced = true): ResourceType => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced,
});
const apps = (resource: string, kind: string): ResourceType => ({
  group: 'apps',
  version: 'v1',
  resource,
  kind,
  namespaced: true,
});
const rbac = (resource: string, kind: string, namespaced: boolean): ResourceType => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource,
  kind,
  namespaced,
});
const gmsa = (version: string): ResourceType => ({
  group: 'windows.k8s.io',
  version,
  resource: 'gmsacredentialspecs',
  kind: 'GMSACredentialSpec',
  namespaced: false,
});

export const RESOURCES = {
  pods: core('pods', 'Pod'),
  namespaces: core('namespaces', 'Namespace', false),
  nodes: core('nodes', 'Node', false),
  serviceaccounts: core('serviceaccounts', 'ServiceAccount'),
  services: core('services', 'Service'),
  endpoints: core('endpoints', 'Endpoints'),
  endpointslices: {
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
  },
  deployments: apps('deployments', 'Deployment'),
  statefulsets: apps('statefulsets', 'StatefulSet'),
  daemonsets: apps('daemonsets', 'DaemonSet'),
  replicasets: apps('replicasets', 'ReplicaSet'),
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  roles: rbac('roles', 'Role', true),
  rolebindings: rbac('rolebindings', 'RoleBinding', true),
  clusterroles: rbac('clusterroles', 'ClusterRole', false),
  clusterrolebindings: rbac('clusterrolebindings', 'ClusterRoleBinding', false),
  customresourcedefinitions: {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
  /** The CRD's storage version since windows-gmsa 0.4. */
  gmsacredentialspecs: gmsa('v1'),
  /** Served (deprecated) by current CRDs; the only version of CRDs older than Sept 2021. */
  gmsacredentialspecsV1alpha1: gmsa('v1alpha1'),
  runtimeclasses: {
    group: 'node.k8s.io',
    version: 'v1',
    resource: 'runtimeclasses',
    kind: 'RuntimeClass',
    namespaced: false,
  },
  mutatingwebhookconfigurations: {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
  },
  validatingwebhookconfigurations: {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingwebhookconfigurations',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
  },
} as const satisfies Record<string, ResourceType>;

export type ResourceName = keyof typeof RESOURCES;

export function resourceType(ref: ResourceName | ResourceType): ResourceType {
  return typeof ref === 'string' ? RESOURCES[ref] : ref;
}

/** `apps/v1`, or `v1` for the core group. */
export function groupVersion(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** `/apis/apps/v1/namespaces/web/deployments/site`; without a namespace a namespaced type lists across all. */
export function resourcePath(type: ResourceType, namespace?: string, name?: string, subresource?: string): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${scope}/${type.resource}${object}${subresource ? `/${subresource}` : ''}`;
}

/** How RBAC names a resource in a message: `windows.k8s.io/gmsacredentialspecs`, `core/pods/log`. */
export function permissionName(group: string, resource: string): string {
  return `${group === '' ? 'core' : group}/${resource}`;
}
