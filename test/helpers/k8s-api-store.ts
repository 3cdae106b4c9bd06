/**
 * The state behind the test API server: the types it serves (built-in ones and those of loaded CRDs), the stored
 * objects with the fields the API server and its controllers add, and the computed views (Endpoints and
 * EndpointSlices from Services and ready Pods; aggregated ClusterRoles). Writes go through `add`, which applies
 * what kube-apiserver applies on create: defaults, name validation, and for custom resources the structural-schema
 * pruning and validation of their CRD version.
 */
import { randomUUID } from 'node:crypto';
import { matchesLabelSelector } from '../../src/protocol/k8s/label-selector.js';
import type { RbacRole } from '../../src/protocol/k8s/rbac.js';
import { aggregateClusterRoles, aggregateMessage, RbacAuthorizer } from '../../src/protocol/k8s/rbac.js';
import type { FieldError, JSONSchemaProps } from '../../src/protocol/k8s/structural-schema.js';
import {
  formatFieldError,
  pruneCustomResource,
  validateAgainstSchema,
} from '../../src/protocol/k8s/structural-schema.js';

export type Json = Record<string, any>;

/** The API's Status object for an error. */
export interface ApiStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Json;
  status: 'Failure';
  message: string;
  reason: string;
  details?: Json;
  code: number;
}

/** An error the API server answers with a Status object (thrown by `add`, sent by the HTTP layer). */
export class ApiStatusError extends Error {
  constructor(readonly status: ApiStatus) {
    super(status.message);
  }
}

export function statusError(
  code: number,
  reason: string,
  message: string,
  details?: Json,
  metadata: Json = {},
): ApiStatusError {
  return new ApiStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

/** GroupResource.String(): `pods`, `gmsacredentialspecs.windows.k8s.io`. */
export function qualified(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(group: string, resource: string, name: string): ApiStatusError {
  return statusError(404, 'NotFound', `${qualified(group, resource)} ${JSON.stringify(name)} not found`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });
}

export interface ServedType {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { name: string; verbs: string[] }[];
  /** A custom resource: its CRD (schemas per version). */
  crd?: Json;
  nameRule: 'subdomain' | 'label' | 'dns1035' | 'path';
}

const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const CLUSTER_RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function builtin(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ServedType> = {},
): ServedType {
  return {
    group,
    versions: [version],
    resource,
    kind,
    listKind: `${kind}List`,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: READ_WRITE,
    nameRule: 'subdomain',
    ...extra,
  };
}

/** The built-in types a gMSA scan reads (plus ConfigMaps and Secrets, which real manifests carry). */
export const BUILTIN_TYPES: ServedType[] = [
  builtin('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'log', verbs: ['get'] },
      { name: 'status', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  builtin('', 'v1', 'namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    nameRule: 'label',
  }),
  builtin('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], verbs: CLUSTER_RW }),
  builtin('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  builtin('', 'v1', 'services', 'Service', true, {
    shortNames: ['svc'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [
      { name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
      { name: 'status', verbs: ['get', 'patch', 'update'] },
    ],
    nameRule: 'dns1035',
  }),
  builtin('', 'v1', 'endpoints', 'Endpoints', true, {
    shortNames: ['ep'],
    singular: 'endpoints',
    listKind: 'EndpointsList',
  }),
  builtin('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  builtin('', 'v1', 'secrets', 'Secret', true),
  builtin('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  builtin('apps', 'v1', 'deployments', 'Deployment', true, { shortNames: ['deploy'], categories: ['all'] }),
  builtin('apps', 'v1', 'statefulsets', 'StatefulSet', true, { shortNames: ['sts'], categories: ['all'] }),
  builtin('apps', 'v1', 'daemonsets', 'DaemonSet', true, { shortNames: ['ds'], categories: ['all'] }),
  builtin('apps', 'v1', 'replicasets', 'ReplicaSet', true, { shortNames: ['rs'], categories: ['all'] }),
  builtin('batch', 'v1', 'jobs', 'Job', true, { categories: ['all'] }),
  builtin('batch', 'v1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ['all'] }),
  builtin('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true, { nameRule: 'path' }),
  builtin('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true, { nameRule: 'path' }),
  builtin('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false, { nameRule: 'path' }),
  builtin('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false, { nameRule: 'path' }),
  builtin('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'],
  }),
  builtin('node.k8s.io', 'v1', 'runtimeclasses', 'RuntimeClass', false),
  builtin('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false),
  builtin(
    'admissionregistration.k8s.io',
    'v1',
    'validatingwebhookconfigurations',
    'ValidatingWebhookConfiguration',
    false,
  ),
  builtin('authorization.k8s.io', 'v1', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true, {
    verbs: ['create'],
  }),
];

/** Created with every cluster, as kube-apiserver's bootstrap policy and the namespace controller leave them. */
const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const BOOTSTRAP_RBAC: Json[] = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'cluster-admin',
      labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      name: 'cluster-admin',
      labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'system:discovery',
      labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    rules: [
      {
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
        verbs: ['get'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      name: 'system:discovery',
      labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:discovery' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
  },
];

interface Stored {
  key: string;
  /** As stored: built-ins without apiVersion/kind (added on a get), custom resources with them. */
  object: Json;
}

interface Bucket {
  type: ServedType;
  objects: Map<string, Stored>;
  sorted?: Stored[];
}

export interface AddResult {
  object: Json;
  /** `unknown field "credspec.HostAccountConfig"`: what the API server sends as Warning headers on a create. */
  warnings: string[];
}

export class ApiStore {
  resourceVersion = 1000;
  private readonly buckets = new Map<string, Bucket>();
  private authorizer?: RbacAuthorizer;
  private ipCounter = 0;
  private readonly derivedIds = new Map<string, { uid: string; suffix: string; creationTimestamp: string }>();

  constructor(
    private readonly now: () => Date,
    bootstrap: boolean,
  ) {
    for (const type of BUILTIN_TYPES)
      this.buckets.set(typeKey(type.group, type.resource), { type, objects: new Map() });
    if (!bootstrap) return;
    for (const name of BOOTSTRAP_NAMESPACES) this.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    for (const object of BOOTSTRAP_RBAC) this.add(object);
  }

  types(): ServedType[] {
    return [...this.buckets.values()].map((b) => b.type);
  }

  /** The served type for a URL's group/version/resource. */
  typeFor(group: string, version: string, resource: string): ServedType | undefined {
    const type = this.buckets.get(typeKey(group, resource))?.type;
    return type?.versions.includes(version) ? type : undefined;
  }

  /** The served type for a manifest's apiVersion/kind, or kubectl's "no matches for kind" error. */
  typeForManifest(apiVersion: string, kind: string): ServedType {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const type = [...this.buckets.values()].find(
      (b) => b.type.group === group && b.type.kind === kind && b.type.versions.includes(version!),
    )?.type;
    if (!type)
      throw statusError(
        404,
        'NotFound',
        `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`,
      );
    return type;
  }

  /** Create or update (like kubectl apply): defaults, validation, pruning, server-set metadata. */
  add(manifest: Json): AddResult {
    if (
      typeof manifest !== 'object' ||
      manifest === null ||
      typeof manifest.apiVersion !== 'string' ||
      typeof manifest.kind !== 'string'
    ) {
      throw statusError(400, 'BadRequest', "Object 'Kind' is missing in the manifest");
    }
    const type = this.typeForManifest(manifest.apiVersion, manifest.kind);
    if (!type.verbs.includes('get'))
      throw statusError(405, 'MethodNotAllowed', `${type.kind} is evaluated by the API server, not stored`);
    const version = manifest.apiVersion.split('/').at(-1)!;
    let object: Json = structuredClone(manifest);
    object.metadata = { ...(object.metadata ?? {}) };
    const warnings: string[] = [];
    if (type.crd) {
      const pruned = pruneCustomResource(object, versionSchema(type.crd, version));
      object = pruned.value;
      warnings.push(...pruned.unknownFields.map((field) => `unknown field ${JSON.stringify(field)}`));
    }
    const namespace = this.namespaceOf(type, object);
    this.validate(type, object, version);
    const bucket = this.buckets.get(typeKey(type.group, type.resource))!;
    const key = `${namespace}/${object.metadata.name as string}`;
    const previous = bucket.objects.get(key)?.object;
    this.setServerMetadata(type, object, namespace, previous);
    applyDefaults(type, object, this);
    if (!type.crd) {
      delete object.apiVersion;
      delete object.kind;
    }
    bucket.objects.set(key, { key, object });
    bucket.sorted = undefined;
    this.afterWrite(type, object);
    return { object: this.view(type, object, version, true), warnings };
  }

  remove(group: string, resource: string, namespace: string, name: string): boolean {
    const bucket = this.buckets.get(typeKey(group, resource));
    const removed = bucket?.objects.delete(`${namespace}/${name}`) ?? false;
    if (removed) {
      bucket!.sorted = undefined;
      this.resourceVersion++;
      if (group === 'rbac.authorization.k8s.io') this.authorizer = undefined;
    }
    return removed;
  }

  /** Objects of a type (one namespace, or all), as a list shows them at `version`, sorted by namespace/name. */
  list(type: ServedType, version: string, namespace: string | undefined): { key: string; object: Json }[] {
    if (type.group === '' && type.resource === 'endpoints')
      return this.withStored(type, namespace, this.computedEndpoints(namespace));
    if (type.group === 'discovery.k8s.io' && type.resource === 'endpointslices')
      return this.withStored(type, namespace, this.computedEndpointSlices(namespace));
    return this.stored(type, namespace).map((s) => ({ key: s.key, object: this.view(type, s.object, version, false) }));
  }

  get(type: ServedType, version: string, namespace: string, name: string): Json {
    const found = this.list(type, version, type.namespaced ? namespace : undefined).find(
      (entry) => entry.key === `${type.namespaced ? namespace : ''}/${name}`,
    );
    if (!found) throw notFound(type.group, type.resource, name);
    return withTypeMeta(type, version, found.object);
  }

  /** The raw stored object of a built-in or custom type (for assertions on what "etcd" holds). */
  stored(type: ServedType, namespace?: string): Stored[] {
    const bucket = this.buckets.get(typeKey(type.group, type.resource))!;
    bucket.sorted ??= [...bucket.objects.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return namespace === undefined ? bucket.sorted : bucket.sorted.filter((s) => s.key.startsWith(`${namespace}/`));
  }

  rbac(): RbacAuthorizer {
    const objects = (resource: string): Json[] =>
      this.stored(this.typeFor('rbac.authorization.k8s.io', 'v1', resource)!).map((s) => s.object);
    this.authorizer ??= new RbacAuthorizer({
      roles: objects('roles'),
      roleBindings: objects('rolebindings'),
      clusterRoles: objects('clusterroles'),
      clusterRoleBindings: objects('clusterrolebindings'),
    });
    return this.authorizer;
  }

  nodeInternalIp(name: string): string | undefined {
    const node = this.buckets.get(typeKey('', 'nodes'))!.objects.get(`/${name}`)?.object;
    return (node?.status?.addresses as Json[] | undefined)?.find((a) => a.type === 'InternalIP')?.address as
      string | undefined;
  }

  nextIp(prefix: string): string {
    const n = ++this.ipCounter;
    return `${prefix}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  private namespaceOf(type: ServedType, object: Json): string {
    if (!type.namespaced) {
      delete object.metadata.namespace;
      return '';
    }
    const namespace = (object.metadata.namespace as string | undefined) || 'default';
    object.metadata.namespace = namespace;
    if (!this.buckets.get(typeKey('', 'namespaces'))!.objects.has(`/${namespace}`))
      throw notFound('', 'namespaces', namespace);
    return namespace;
  }

  private validate(type: ServedType, object: Json, version: string): void {
    const name = object.metadata.name;
    const errors: FieldError[] = [];
    if (typeof name !== 'string' || name === '')
      errors.push({
        field: 'metadata.name',
        type: 'FieldValueRequired',
        detail: 'Required value: name or generateName is required',
      });
    else {
      const problem = nameProblem(type.nameRule, name);
      if (problem)
        errors.push({
          field: 'metadata.name',
          type: 'FieldValueInvalid',
          detail: `Invalid value: ${JSON.stringify(name)}: ${problem}`,
        });
    }
    if (type.crd) errors.push(...validateAgainstSchema(withoutMeta(object), versionSchema(type.crd, version)));
    if (type.resource === 'customresourcedefinitions') errors.push(...crdProblems(object));
    if (errors.length === 0) return;
    const kindName = type.group ? `${type.kind}.${type.group}` : type.kind;
    throw statusError(
      422,
      'Invalid',
      `${kindName} ${JSON.stringify(typeof name === 'string' ? name : '')} is invalid: ${aggregateMessage(errors.map(formatFieldError))}`,
      {
        ...(typeof name === 'string' ? { name } : {}),
        ...(type.group ? { group: type.group } : {}),
        kind: type.kind,
        causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
      },
    );
  }

  private setServerMetadata(type: ServedType, object: Json, namespace: string, previous: Json | undefined): void {
    const meta = object.metadata as Json;
    const rv = String(++this.resourceVersion);
    const generation = hasGeneration(type) ? (previous ? (previous.metadata.generation as number) + 1 : 1) : undefined;
    object.metadata = orderedMeta({
      ...meta,
      ...(namespace ? { namespace } : {}),
      uid: previous?.metadata.uid ?? randomUUID(),
      resourceVersion: rv,
      ...(generation ? { generation } : {}),
      creationTimestamp: previous?.metadata.creationTimestamp ?? this.timestamp(),
    });
  }

  private afterWrite(type: ServedType, object: Json): void {
    if (type.group === 'rbac.authorization.k8s.io') {
      if (type.resource === 'clusterroles') this.aggregateClusterRoles();
      this.authorizer = undefined;
    }
    if (type.resource === 'namespaces' && type.group === '') {
      const name = object.metadata.name as string;
      const accounts = this.buckets.get(typeKey('', 'serviceaccounts'))!;
      if (!accounts.objects.has(`${name}/default`))
        this.add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
    }
    if (type.resource === 'customresourcedefinitions') this.serveCrd(object);
  }

  /** What the ClusterRole aggregation controller writes into ClusterRoles with an aggregationRule. */
  private aggregateClusterRoles(): void {
    const bucket = this.buckets.get(typeKey('rbac.authorization.k8s.io', 'clusterroles'))!;
    const roles = [...bucket.objects.values()].map((s) => s.object as RbacRole);
    for (const [i, role] of aggregateClusterRoles(roles).entries())
      if (role !== roles[i]) (roles[i] as Json).rules = role.rules;
  }

  private serveCrd(crd: Json): void {
    const spec = crd.spec as Json;
    const versions = (spec.versions as Json[])
      .filter((v) => v.served)
      .map((v) => v.name as string)
      .sort(compareKubeVersions);
    const key = typeKey(spec.group as string, spec.names.plural as string);
    const existing = this.buckets.get(key);
    const names = spec.names as Json;
    const type: ServedType = {
      group: spec.group as string,
      versions,
      resource: names.plural as string,
      kind: names.kind as string,
      listKind: names.listKind as string,
      singular: names.singular as string,
      namespaced: spec.scope === 'Namespaced',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      ...(names.shortNames ? { shortNames: names.shortNames as string[] } : {}),
      ...(names.categories ? { categories: names.categories as string[] } : {}),
      crd,
      nameRule: 'subdomain',
    };
    this.buckets.set(key, { type, objects: existing?.objects ?? new Map() });
  }

  /** A stored object as the API shows it at `version`: custom resources are converted (strategy None) and pruned. */
  private view(type: ServedType, object: Json, version: string, withKind: boolean): Json {
    if (!type.crd) return withKind ? withTypeMeta(type, version, object) : object;
    const converted = { ...object, apiVersion: `${type.group}/${version}` };
    return sortKeysDeep(pruneCustomResource(converted, versionSchema(type.crd, version)).value);
  }

  private withStored(
    type: ServedType,
    namespace: string | undefined,
    computed: { key: string; object: Json }[],
  ): { key: string; object: Json }[] {
    const stored = this.stored(type, namespace).map((s) => ({ key: s.key, object: s.object }));
    const keys = new Set(stored.map((s) => s.key));
    return [...stored, ...computed.filter((c) => !keys.has(c.key))].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
  }

  /** The endpoints controller: one Endpoints per Service with a selector, from the pods it selects that have an IP. */
  private computedEndpoints(namespace: string | undefined): { key: string; object: Json }[] {
    return this.selectedPods(namespace).map(({ service, pods }) => {
      const ports = servicePorts(service);
      const ready = pods.filter(isPodReady);
      const notReady = pods.filter((p) => !isPodReady(p));
      const subset = {
        ...(ready.length ? { addresses: ready.map(endpointAddress) } : {}),
        ...(notReady.length ? { notReadyAddresses: notReady.map(endpointAddress) } : {}),
        ports,
      };
      const meta = this.derivedMeta(service, 'endpoints', service.metadata.name as string);
      return {
        key: `${service.metadata.namespace as string}/${service.metadata.name as string}`,
        object: {
          metadata: {
            ...meta,
            annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': meta.creationTimestamp },
          },
          ...(pods.length ? { subsets: [subset] } : {}),
        },
      };
    });
  }

  /** The EndpointSlice controller's slice per Service (`endpoints: null` when no pod is selected). */
  private computedEndpointSlices(namespace: string | undefined): { key: string; object: Json }[] {
    return this.selectedPods(namespace).map(({ service, pods }) => {
      const serviceName = service.metadata.name as string;
      const name = `${serviceName}-${this.derivedIdentity(service, 'slice').suffix}`;
      return {
        key: `${service.metadata.namespace as string}/${name}`,
        object: {
          metadata: {
            ...this.derivedMeta(service, 'slice', name),
            generateName: `${serviceName}-`,
            labels: {
              ...(service.metadata.labels ?? {}),
              'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
              'kubernetes.io/service-name': serviceName,
            },
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                name: serviceName,
                uid: service.metadata.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          addressType: 'IPv4',
          endpoints: pods.length
            ? pods.map((pod) => ({
                addresses: [pod.status.podIP],
                conditions: { ready: isPodReady(pod), serving: isPodReady(pod), terminating: false },
                ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
                targetRef: {
                  kind: 'Pod',
                  namespace: pod.metadata.namespace,
                  name: pod.metadata.name,
                  uid: pod.metadata.uid,
                },
              }))
            : null,
          ports: servicePorts(service).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })),
        },
      };
    });
  }

  private selectedPods(namespace: string | undefined): { service: Json; pods: Json[] }[] {
    const services = this.stored(this.typeFor('', 'v1', 'services')!, namespace).map((s) => s.object);
    const pods = this.stored(this.typeFor('', 'v1', 'pods')!, namespace).map((s) => s.object);
    return services
      .filter((service) => service.spec?.selector && Object.keys(service.spec.selector as object).length > 0)
      .map((service) => ({
        service,
        pods: pods.filter(
          (pod) =>
            pod.metadata.namespace === service.metadata.namespace &&
            pod.status?.podIP &&
            matchesLabelSelector({ matchLabels: service.spec.selector }, pod.metadata.labels as Record<string, string>),
        ),
      }));
  }

  /** A controller-made object keeps its uid, name suffix and creation time from one read to the next. */
  private derivedIdentity(service: Json, what: string): { uid: string; suffix: string; creationTimestamp: string } {
    const key = `${what}/${service.metadata.uid as string}`;
    let ids = this.derivedIds.get(key);
    if (!ids)
      this.derivedIds.set(
        key,
        (ids = { uid: randomUUID(), suffix: randomSuffix(), creationTimestamp: this.timestamp() }),
      );
    return ids;
  }

  private derivedMeta(service: Json, what: string, name: string): Json {
    const ids = this.derivedIdentity(service, what);
    return orderedMeta({
      name,
      namespace: service.metadata.namespace,
      uid: ids.uid,
      resourceVersion: String(this.resourceVersion),
      creationTimestamp: ids.creationTimestamp,
      ...(service.metadata.labels && what === 'endpoints' ? { labels: service.metadata.labels } : {}),
    });
  }
}

function typeKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}

function withTypeMeta(type: ServedType, version: string, object: Json): Json {
  if (type.crd) return object;
  return { kind: type.kind, apiVersion: type.group ? `${type.group}/${version}` : version, ...object };
}

function withoutMeta(object: Json): Json {
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object;
  return rest;
}

export function versionSchema(crd: Json, version: string): JSONSchemaProps | undefined {
  return ((crd.spec.versions as Json[]).find((v) => v.name === version)?.schema as Json | undefined)
    ?.openAPIV3Schema as JSONSchemaProps | undefined;
}

function hasGeneration(type: ServedType): boolean {
  return (
    Boolean(type.crd) || ['apps', 'batch', 'apiextensions.k8s.io', 'admissionregistration.k8s.io'].includes(type.group)
  );
}

/** ObjectMeta in the order Go's encoding/json writes it. */
const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

function orderedMeta(meta: Json): Json {
  const ordered: Json = {};
  for (const key of META_ORDER) if (meta[key] !== undefined) ordered[key] = meta[key];
  for (const key of Object.keys(meta)) if (!(key in ordered)) ordered[key] = meta[key];
  return ordered;
}

/** Unstructured objects (custom resources) are Go maps: encoding/json writes their keys sorted. */
function sortKeysDeep(value: unknown): any {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeysDeep((value as Json)[k])]),
  );
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first (v1 > v1beta2 > v1alpha1). */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2] || a.localeCompare(b);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** apimachinery's validation messages, word for word (the double space is theirs). */
function nameProblem(rule: ServedType['nameRule'], name: string): string | undefined {
  switch (rule) {
    case 'subdomain':
      if (name.length > 253) return 'must be no more than 253 characters';
      return DNS1123_SUBDOMAIN.test(name)
        ? undefined
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    case 'label':
      if (name.length > 63) return 'must be no more than 63 characters';
      return DNS1123_LABEL.test(name)
        ? undefined
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    case 'dns1035':
      if (name.length > 63) return 'must be no more than 63 characters';
      return DNS1035_LABEL.test(name)
        ? undefined
        : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    case 'path':
      if (name === '.' || name === '..') return `may not be '${name}'`;
      for (const c of ['/', '%']) if (name.includes(c)) return `may not contain '${c}'`;
      return undefined;
  }
}

function crdProblems(crd: Json): FieldError[] {
  const spec = (crd.spec ?? {}) as Json;
  const names = (spec.names ?? {}) as Json;
  const versions = (spec.versions ?? []) as Json[];
  const errors: FieldError[] = [];
  if (crd.metadata.name !== `${names.plural as string}.${spec.group as string}`) {
    errors.push({
      field: 'metadata.name',
      type: 'FieldValueInvalid',
      detail: `Invalid value: ${JSON.stringify(crd.metadata.name)}: must be spec.names.plural+"."+spec.group`,
    });
  }
  if (versions.filter((v) => v.storage).length !== 1)
    errors.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      detail: 'Invalid value: ...: must have exactly one version marked as storage version',
    });
  versions.forEach((v, i) => {
    if (!v.schema?.openAPIV3Schema)
      errors.push({
        field: `spec.versions[${i}].schema.openAPIV3Schema`,
        type: 'FieldValueRequired',
        detail: 'Required value: schemas are required',
      });
  });
  return errors;
}

/** Defaults of kube-apiserver (SetDefaults_*, admission plugins) and the controllers' status, where a scan reads them. */
function applyDefaults(type: ServedType, object: Json, store: ApiStore): void {
  const key = type.group ? `${type.group}/${type.resource}` : type.resource;
  switch (key) {
    case 'namespaces':
      object.metadata.labels = {
        ...(object.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      object.metadata = orderedMeta(object.metadata);
      object.spec = { finalizers: ['kubernetes'], ...(object.spec ?? {}) };
      object.status = { phase: 'Active', ...(object.status ?? {}) };
      break;
    case 'pods':
      defaultPod(object, store);
      break;
    case 'services':
      defaultService(object, store);
      break;
    case 'apps/deployments':
    case 'apps/statefulsets':
    case 'apps/daemonsets':
    case 'apps/replicasets':
    case 'batch/jobs':
      if (type.resource !== 'daemonsets' && type.resource !== 'jobs') object.spec.replicas ??= 1;
      if (object.spec?.template?.spec) defaultPodSpec(object.spec.template.spec as Json);
      break;
    case 'batch/cronjobs':
      if (object.spec?.jobTemplate?.spec?.template?.spec)
        defaultPodSpec(object.spec.jobTemplate.spec.template.spec as Json);
      break;
    case 'apiextensions.k8s.io/customresourcedefinitions':
      defaultCrd(object, store);
      break;
    case 'admissionregistration.k8s.io/mutatingwebhookconfigurations':
    case 'admissionregistration.k8s.io/validatingwebhookconfigurations':
      for (const webhook of (object.webhooks ?? []) as Json[])
        defaultWebhook(webhook, type.resource.startsWith('mutating'));
      break;
  }
}

/** SetDefaults_PodSpec and its containers' defaults (templates get these too). */
function defaultPodSpec(spec: Json): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const container of [...((spec.initContainers ?? []) as Json[]), ...((spec.containers ?? []) as Json[])]) {
    container.resources ??= {};
    container.terminationMessagePath ??= '/dev/termination-log';
    container.terminationMessagePolicy ??= 'File';
    const image = String(container.image ?? '');
    container.imagePullPolicy ??= /:[^/]+$/.test(image) && !image.endsWith(':latest') ? 'IfNotPresent' : 'Always';
  }
}

/** A pod as stored: spec defaults, the ServiceAccount admission's account, DefaultTolerationSeconds, and a status. */
function defaultPod(pod: Json, store: ApiStore): void {
  pod.spec ??= {};
  const spec = pod.spec as Json;
  defaultPodSpec(spec);
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount = spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const tolerations = (spec.tolerations ?? []) as Json[];
  for (const taint of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === taint))
      tolerations.push({ key: taint, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
  if (pod.status) return;
  const started = store.timestamp();
  const containers = (spec.containers ?? []) as Json[];
  if (!spec.nodeName) {
    pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
    return;
  }
  const hostIP = store.nodeInternalIp(spec.nodeName as string) ?? store.nextIp('10.240');
  const podIP = spec.hostNetwork ? hostIP : store.nextIp('10.244');
  const condition = (type: string): Json => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: started,
  });
  pod.status = {
    phase: 'Running',
    conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: started,
    containerStatuses: containers.map((c) => ({
      name: c.name,
      state: { running: { startedAt: started } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: c.image,
      imageID: '',
      containerID: `containerd://${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`,
      started: true,
    })),
    qosClass: 'BestEffort',
  };
}

function defaultService(service: Json, store: ApiStore): void {
  service.spec ??= {};
  const spec = service.spec as Json;
  for (const port of (spec.ports ?? []) as Json[]) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
  spec.type ??= 'ClusterIP';
  if (spec.clusterIP !== 'None') spec.clusterIP ??= store.nextIp('10.96');
  spec.clusterIPs ??= [spec.clusterIP];
  spec.sessionAffinity ??= 'None';
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  service.status ??= { loadBalancer: {} };
}

function defaultCrd(crd: Json, store: ApiStore): void {
  const spec = crd.spec as Json;
  const names = spec.names as Json;
  names.singular ??= String(names.kind).toLowerCase();
  names.listKind ??= `${names.kind as string}List`;
  spec.conversion ??= { strategy: 'None' };
  const storage = ((spec.versions ?? []) as Json[]).find((v) => v.storage)?.name as string;
  const previous = ((crd.status?.storedVersions ?? []) as string[]).filter((v) => v !== storage);
  const at = store.timestamp();
  crd.status = {
    acceptedNames: {
      kind: names.kind,
      listKind: names.listKind,
      plural: names.plural,
      singular: names.singular,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: at,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: at,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: [...previous, storage],
  };
}

/** admissionregistration/v1 defaults for each webhook. */
function defaultWebhook(webhook: Json, mutating: boolean): void {
  webhook.failurePolicy ??= 'Fail';
  webhook.matchPolicy ??= 'Equivalent';
  webhook.namespaceSelector ??= {};
  webhook.objectSelector ??= {};
  webhook.timeoutSeconds ??= 10;
  if (mutating) webhook.reinvocationPolicy ??= 'Never';
  if (webhook.clientConfig?.service) webhook.clientConfig.service.port ??= 443;
  for (const rule of (webhook.rules ?? []) as Json[]) rule.scope ??= '*';
}

function servicePorts(service: Json): Json[] {
  return ((service.spec?.ports ?? []) as Json[]).map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: p.protocol ?? 'TCP',
  }));
}

function isPodReady(pod: Json): boolean {
  return ((pod.status?.conditions ?? []) as Json[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

function endpointAddress(pod: Json): Json {
  return {
    ip: pod.status.podIP,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

/** The 5 characters apimachinery appends to a generateName (its alphabet: no vowels, no look-alikes). */
export function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}
