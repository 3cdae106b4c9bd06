/**
 * What `gmsa-doctor k8s` reads from a cluster, in which order, and what it keeps: the ClusterModel the Kubernetes
 * rules (src/k8s) judge. Read-only: lists and gets, the webhook's own LocalSubjectAccessReviews (which the API server
 * answers and does not store), and one `GET /info` of the webhook.
 *
 * Memory follows the gMSA pods, not the cluster: lists are read page by page, and of the pods and workloads only
 * those that use a gMSA are kept (and the webhook's own, in its namespace); Services and Endpoints only in the
 * webhook's namespace; the CRD by name; managed fields, node images and pod status (but the phase) are dropped.
 */
import type { ClusterModel, Collection, K8sObject, ManifestObject, ResourceKey } from '../k8s/index.js';
import {
  accessQuestions,
  accessReviewKey,
  collectionFromList,
  podMatters,
  webhookTargets,
  workloadMatters,
} from '../k8s/index.js';
import type { WebhookTarget } from '../k8s/index.js';
import type { K8sClient } from '../probes/k8s/client.js';
import type { ResourceName } from '../probes/k8s/resources.js';
import { probeWebhookEndpoint, versionOf } from '../probes/k8s/webhook-endpoint.js';
import type { WebhookAddress, WebhookEndpointFacts } from '../probes/k8s/webhook-endpoint.js';
import { serviceAccountUser } from '../protocol/k8s/rbac.js';

export type ScanProgress =
  | { stage: 'list'; resource: string; read: number; kept: number; done: boolean }
  | { stage: 'access reviews'; asked: number; total: number }
  | { stage: 'webhook'; target: string };

export interface ScanOptions {
  /** `-n NAMESPACE`: namespaced resources in it only (and the webhook's namespace); absent: all namespaces. */
  namespace?: string;
  now?: Date;
  /** Running in a pod: the webhook's Service name resolves, so it is tried first. */
  inCluster?: boolean;
  /** Deadline of the direct connection to the webhook (it is often unreachable from outside the cluster). */
  webhookTimeoutMs?: number;
  onProgress?: (event: ScanProgress) => void;
}

export interface ClusterScan {
  model: ClusterModel;
  /** Objects read and kept, per resource. */
  counts: Partial<Record<ResourceKey, { read: number; kept: number }>>;
}

const GMSA_CRD = 'gmsacredentialspecs.windows.k8s.io';
const WORKLOADS = ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs'] as const;
const DEFAULT_WEBHOOK_TIMEOUT_MS = 2000;
/** Endpoints of one webhook tried at once. */
const MAX_ENDPOINTS_TRIED = 3;

type Keep = (object: K8sObject) => boolean;

export async function scanCluster(client: K8sClient, options: ScanOptions = {}): Promise<ClusterScan> {
  const counts: ClusterScan['counts'] = {};
  const read = (key: ResourceKey & ResourceName, namespaces: readonly (string | undefined)[], keep?: Keep) =>
    readCollection(client, key, key, namespaces, keep, counts, options.onProgress);
  const scoped = [options.namespace];

  // The webhook's configurations first: they say which namespace holds its Service, Endpoints and Deployment.
  const [mutatingwebhookconfigurations, validatingwebhookconfigurations] = await Promise.all([
    read('mutatingwebhookconfigurations', [undefined]),
    read('validatingwebhookconfigurations', [undefined]),
  ]);
  const hooks: ClusterModel = {
    mode: 'cluster',
    now: options.now ?? new Date(),
    resources: { mutatingwebhookconfigurations, validatingwebhookconfigurations },
  };
  const webhookNamespaces = [...new Set(webhookTargets(hooks).map((t) => t.namespace))];
  const inWebhookNamespace: Keep = (o) => webhookNamespaces.includes(o.metadata?.namespace ?? '');
  const workloadScope = options.namespace
    ? [options.namespace, ...webhookNamespaces.filter((n) => n !== options.namespace)]
    : [undefined];

  const entries = await Promise.all(
    [
      ['customresourcedefinitions', readCrd(client, counts)] as const,
      ['gmsacredentialspecs', readCredspecs(client, counts, options.onProgress)] as const,
      ['nodes', read('nodes', [undefined])] as const,
      ['namespaces', read('namespaces', [undefined])] as const,
      ['runtimeclasses', read('runtimeclasses', [undefined])] as const,
      ['clusterroles', read('clusterroles', [undefined])] as const,
      ['clusterrolebindings', read('clusterrolebindings', [undefined])] as const,
      ['roles', read('roles', scoped)] as const,
      ['rolebindings', read('rolebindings', scoped)] as const,
      ['serviceaccounts', read('serviceaccounts', scoped)] as const,
      ['pods', read('pods', scoped, podMatters)] as const,
      ...WORKLOADS.map(
        (key) => [key, read(key, workloadScope, (o) => workloadMatters(o) || inWebhookNamespace(o))] as const,
      ),
      ['services', read('services', webhookNamespaces)] as const,
      ['endpoints', read('endpoints', webhookNamespaces)] as const,
      ['endpointslices', read('endpointslices', webhookNamespaces)] as const,
    ].map(async ([key, collection]) => [key, await collection] as const),
  );

  const model: ClusterModel = {
    ...hooks,
    resources: { ...hooks.resources, ...Object.fromEntries(entries) },
  };
  const [accessReviews, webhooks] = await Promise.all([
    askAccessQuestions(client, model, options.onProgress),
    Promise.all(webhookTargets(model).map((target) => readWebhook(client, target, options))),
  ]);
  return {
    model: {
      ...model,
      accessReviews,
      servingCertificates: new Map(webhooks.map(([key, facts]) => [key, facts.serving])),
      webhookInfo: new Map(webhooks.map(([key, facts]) => [key, facts.info])),
    },
    counts,
  };
}

/** Pages of one resource in each namespace given (undefined: cluster-wide, or all namespaces), the kept ones slimmed. */
async function readCollection(
  client: K8sClient,
  key: ResourceKey,
  ref: ResourceName,
  namespaces: readonly (string | undefined)[],
  keep: Keep | undefined,
  counts: ClusterScan['counts'],
  onProgress: ScanOptions['onProgress'],
): Promise<Collection> {
  const items: ManifestObject[] = [];
  const count = (counts[key] = { read: 0, kept: 0 });
  for (const namespace of namespaces) {
    for await (const page of client.pages(ref, namespace ? { namespace } : {})) {
      if (!page.ok) return collectionFromList(key, page);
      for (const object of page.value.items) {
        count.read++;
        if (keep && !keep(object)) continue;
        count.kept++;
        items.push({ object: slim(object) });
      }
      onProgress?.({ stage: 'list', resource: key, read: count.read, kept: count.kept, done: false });
    }
  }
  onProgress?.({ stage: 'list', resource: key, read: count.read, kept: count.kept, done: true });
  return { state: 'complete', items };
}

/** The CRD by name: one small get instead of every CRD of the cluster (their schemas can be megabytes). */
async function readCrd(client: K8sClient, counts: ClusterScan['counts']): Promise<Collection> {
  const crd = await client.get('customresourcedefinitions', GMSA_CRD);
  counts.customresourcedefinitions = { read: crd.ok ? 1 : 0, kept: crd.ok ? 1 : 0 };
  if (crd.ok) return { state: 'complete', items: [{ object: slim(crd.value) }] };
  if (crd.error.kind === 'not-found') return { state: 'complete', items: [] };
  return collectionFromList('customresourcedefinitions', crd);
}

/** At v1; a CRD older than Sept 2021 serves only v1alpha1. */
async function readCredspecs(
  client: K8sClient,
  counts: ClusterScan['counts'],
  onProgress: ScanOptions['onProgress'],
): Promise<Collection> {
  const v1 = await readCollection(
    client,
    'gmsacredentialspecs',
    'gmsacredentialspecs',
    [undefined],
    undefined,
    counts,
    onProgress,
  );
  if (v1.state !== 'unavailable' || !v1.notFound) return v1;
  return readCollection(
    client,
    'gmsacredentialspecs',
    'gmsacredentialspecsV1alpha1',
    [undefined],
    undefined,
    counts,
    onProgress,
  );
}

/** What no rule reads and can be large: managed fields, a node's image list, a pod's status beyond its phase. */
function slim(object: K8sObject): K8sObject {
  const { managedFields: _managed, ...metadata } = object.metadata ?? {};
  const status = (object.status ?? undefined) as Record<string, unknown> | undefined;
  const out: K8sObject = { ...object, metadata };
  if (status && object.kind === 'Pod') out.status = { phase: status.phase };
  if (status && object.kind === 'Node')
    out.status = { conditions: status.conditions, nodeInfo: status.nodeInfo, addresses: status.addresses };
  return out;
}

/** The windows-gmsa webhook's question for each (namespace, service account, credspec), asked as it asks it. */
async function askAccessQuestions(
  client: K8sClient,
  model: ClusterModel,
  onProgress: ScanOptions['onProgress'],
): Promise<NonNullable<ClusterModel['accessReviews']>> {
  const questions = accessQuestions(model);
  let asked = 0;
  const answers = await Promise.all(
    questions.map(async (q) => {
      const user = serviceAccountUser(q.namespace, q.serviceAccount);
      const answer = await client.reviewAccess({
        namespace: q.namespace,
        user: user.name,
        groups: user.groups,
        verb: 'use',
        group: 'windows.k8s.io',
        resource: 'gmsacredentialspecs',
        name: q.credspec,
      });
      onProgress?.({ stage: 'access reviews', asked: ++asked, total: questions.length });
      return [
        accessReviewKey(q.namespace, q.serviceAccount, q.credspec),
        answer.ok ? answer.value : { unavailable: answer.error.message },
      ] as const;
    }),
  );
  return new Map(answers);
}

/**
 * The serving certificate and `/info` from the webhook itself (its Service name in a pod, else its endpoints);
 * `/info` through the API server's service proxy when the webhook cannot be reached directly.
 */
async function readWebhook(
  client: K8sClient,
  target: WebhookTarget,
  options: ScanOptions,
): Promise<readonly [string, WebhookEndpointFacts]> {
  options.onProgress?.({ stage: 'webhook', target: target.key });
  const addresses: WebhookAddress[] = [
    ...(options.inCluster
      ? [
          {
            host: target.dnsName,
            port: target.port,
            servername: target.dnsName,
            label: `${target.dnsName}:${target.port}`,
          },
        ]
      : []),
    ...target.endpoints.slice(0, MAX_ENDPOINTS_TRIED).map((e) => ({
      host: e.ip,
      port: e.port,
      servername: target.dnsName,
      label: `${e.ip}:${e.port} (endpoint of ${target.key})`,
    })),
  ];
  const direct = await probeWebhookEndpoint(addresses, options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS);
  if (!('unavailable' in direct.info)) return [target.key, direct];
  const proxied = await client.serviceProxyGet(target.namespace, { name: target.service, port: target.port }, '/info');
  const info = proxied.ok
    ? versionOf(proxied.value)
    : { unavailable: `${direct.info.unavailable}; through the API server: ${proxied.error.message}` };
  return [target.key, { serving: direct.serving, info }];
}
