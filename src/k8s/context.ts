/**
 * Indexes over a ClusterModel that several rules share, built once and on first use: credspecs by name, workloads
 * (with the pods a controller owns folded into it), namespaces, nodes, the RBAC authorizer, access decisions, and
 * the windows-gmsa webhook's configurations. Pure.
 */
import { aggregateClusterRoles, RbacAuthorizer, serviceAccountUser } from '../protocol/k8s/rbac.js';
import type { RbacBinding, RbacRole } from '../protocol/k8s/rbac.js';
import type { AccessDecision } from './admission.js';
import { WEBHOOK_NAME } from './admission.js';
import type { ClusterModel, Collection, K8sObject, ManifestObject, ResourceKey } from './model.js';
import { accessReviewKey, RESOURCE_KEYS } from './model.js';
import type { Workload } from './workloads.js';
import { workloadOf } from './workloads.js';

/** One entry of a webhook configuration's `webhooks[]`, as far as the rules read it. */
export interface WebhookEntry {
  name?: unknown;
  failurePolicy?: unknown;
  timeoutSeconds?: unknown;
  namespaceSelector?: unknown;
  objectSelector?: unknown;
  rules?: unknown;
  clientConfig?: {
    caBundle?: unknown;
    url?: unknown;
    service?: { name?: unknown; namespace?: unknown; port?: unknown; path?: unknown };
  };
}

export interface GmsaWebhook {
  type: 'mutating' | 'validating';
  config: ManifestObject;
  /** The entry of `webhooks[]` (windows-gmsa's has one) and its index, for field paths. */
  entry: WebhookEntry;
  index: number;
  /** `namespace/name` of clientConfig.service, when it calls a service. */
  service?: { namespace: string; name: string; port: number; path?: string };
}

const RBAC_USE = { verb: 'use', group: 'windows.k8s.io', resource: 'gmsacredentialspecs' } as const;

export class RuleContext {
  private readonly cache = new Map<string, unknown>();

  constructor(readonly model: ClusterModel) {}

  get mode(): 'cluster' | 'lint' {
    return this.model.mode;
  }

  collection(key: ResourceKey): Collection | undefined {
    return this.model.resources[key];
  }

  items(key: ResourceKey): ManifestObject[] {
    const c = this.model.resources[key];
    return c && c.state !== 'unavailable' ? c.items : [];
  }

  /** The whole cluster's objects of this resource were read (so a missing one does not exist). */
  complete(key: ResourceKey): boolean {
    return this.model.resources[key]?.state === 'complete';
  }

  available(key: ResourceKey): boolean {
    const c = this.model.resources[key];
    return c !== undefined && c.state !== 'unavailable';
  }

  allObjects(): ManifestObject[] {
    return RESOURCE_KEYS.flatMap((key) => this.items(key));
  }

  /** A value computed once per judgement (rules share indexes through it). */
  memo<T>(key: string, build: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, build());
    return this.cache.get(key) as T;
  }

  credspecsByName(): Map<string, ManifestObject> {
    return this.memo(
      'credspecs',
      () => new Map(this.items('gmsacredentialspecs').map((c) => [c.object.metadata?.name ?? '', c])),
    );
  }

  /** Lower-cased name -> the names that differ only by case, for "did you mean". */
  credspecsByLowerName(): Map<string, string[]> {
    return this.memo('credspecs-lower', () => {
      const map = new Map<string, string[]>();
      for (const name of this.credspecsByName().keys())
        map.set(name.toLowerCase(), [...(map.get(name.toLowerCase()) ?? []), name]);
      return map;
    });
  }

  /** Every pod and workload, each once. */
  workloads(): Workload[] {
    return this.memo('workloads', () =>
      (['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs'] as const).flatMap(
        (key) => this.items(key).flatMap((item) => workloadOf(item) ?? []),
      ),
    );
  }

  /** Workloads whose controller is not in the model: the ones to judge (a Deployment, not its ReplicaSets and pods). */
  topWorkloads(): Workload[] {
    return this.memo('top-workloads', () => {
      const present = new Set(this.workloads().map((w) => `${w.namespace}/${w.kind}/${w.name}`));
      return this.workloads().filter(
        (w) => !w.controller || !present.has(`${w.namespace}/${w.controller.kind}/${w.controller.name}`),
      );
    });
  }

  /** The top-level workload a pod or ReplicaSet belongs to (itself when it has no controller in the model). */
  ownerOf(workload: Workload): Workload {
    const byKey = this.memo(
      'workloads-by-key',
      () => new Map(this.workloads().map((w) => [`${w.namespace}/${w.kind}/${w.name}`, w])),
    );
    let current = workload;
    for (let hop = 0; hop < 4 && current.controller; hop++) {
      const parent = byKey.get(`${current.namespace}/${current.controller.kind}/${current.controller.name}`);
      if (!parent) break;
      current = parent;
    }
    return current;
  }

  gmsaWorkloads(): Workload[] {
    return this.memo('gmsa-workloads', () => this.topWorkloads().filter((w) => w.usages.length > 0));
  }

  namespaceLabels(name: string): Record<string, string> {
    const byName = this.memo(
      'namespaces',
      () => new Map(this.items('namespaces').map((n) => [n.object.metadata?.name ?? '', n.object])),
    );
    // kube-apiserver sets kubernetes.io/metadata.name on every namespace (since 1.21).
    return { ...(byName.get(name)?.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name };
  }

  namespaceNames(): string[] {
    return this.items('namespaces').map((n) => n.object.metadata?.name ?? '');
  }

  nodes(): K8sObject[] {
    return this.items('nodes').map((n) => n.object);
  }

  runtimeClass(name: unknown): K8sObject | undefined {
    if (typeof name !== 'string') return undefined;
    return this.memo(
      'runtimeclasses',
      () => new Map(this.items('runtimeclasses').map((r) => [r.object.metadata?.name ?? '', r.object])),
    ).get(name);
  }

  find(key: ResourceKey, namespace: string | undefined, name: string): ManifestObject | undefined {
    const index = this.memo(
      `index-${key}`,
      () =>
        new Map(
          this.items(key).map((i) => [`${i.object.metadata?.namespace ?? ''}/${i.object.metadata?.name ?? ''}`, i]),
        ),
    );
    return index.get(`${namespace ?? ''}/${name}`);
  }

  /** All four RBAC resources could be read. */
  hasRbac(): boolean {
    return (['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] as const).every((k) => this.available(k));
  }

  /** RBAC as loaded, with ClusterRole aggregation applied as its controller would. */
  authorizer(): RbacAuthorizer {
    return this.memo('authorizer', () => {
      const objects = (key: ResourceKey) => this.items(key).map((i) => i.object as RbacRole & RbacBinding);
      return new RbacAuthorizer({
        roles: objects('roles'),
        roleBindings: objects('rolebindings'),
        clusterRoles: aggregateClusterRoles(objects('clusterroles')),
        clusterRoleBindings: objects('clusterrolebindings'),
      });
    });
  }

  /** Does any loaded role grant something on gmsacredentialspecs? (In lint mode, whether the files manage gMSA RBAC at all.) */
  rbacMentionsCredspecs(): boolean {
    return this.memo('rbac-mentions', () =>
      [...this.items('roles'), ...this.items('clusterroles')].some((r) =>
        ((r.object.rules ?? []) as { resources?: string[] }[]).some((rule) =>
          (rule.resources ?? []).some((res) => res === 'gmsacredentialspecs' || res === '*'),
        ),
      ),
    );
  }

  /** The webhook's question for (namespace, service account, credspec): the API server's answer, else loaded RBAC. */
  access(
    namespace: string,
    serviceAccount: string,
    credspec: string,
  ): AccessDecision & { grantedBy?: string; source: 'access review' | 'rbac' | 'none' } {
    return this.memo(`access/${accessReviewKey(namespace, serviceAccount, credspec)}`, () => {
      const review = this.model.accessReviews?.get(accessReviewKey(namespace, serviceAccount, credspec));
      if (review && !('unavailable' in review))
        return {
          known: true,
          allowed: review.allowed && !review.denied,
          reason: review.reason,
          source: 'access review' as const,
        };
      if (!this.hasRbac() || (this.mode === 'lint' && !this.rbacMentionsCredspecs())) {
        const why =
          review && 'unavailable' in review
            ? review.unavailable
            : this.mode === 'lint'
              ? 'no Role or ClusterRole among the linted files grants anything on gmsacredentialspecs'
              : 'RBAC objects could not be read';
        return { known: false, reason: why, source: 'none' as const };
      }
      const user = serviceAccountUser(namespace, serviceAccount);
      const decision = this.authorizer().authorize(user, { ...RBAC_USE, namespace, name: credspec });
      // The webhook prints the review's reason only when there is one; an RBAC denial has none.
      return {
        known: true,
        allowed: decision.allowed,
        reason: decision.allowed ? decision.reason : '',
        ...(decision.allowed ? { grantedBy: decision.reason } : {}),
        source: 'rbac' as const,
      };
    });
  }

  /** The windows-gmsa webhook entries of both configuration kinds. */
  gmsaWebhooks(): GmsaWebhook[] {
    return this.memo('webhooks', () => {
      const out: GmsaWebhook[] = [];
      for (const [key, type] of [
        ['mutatingwebhookconfigurations', 'mutating'],
        ['validatingwebhookconfigurations', 'validating'],
      ] as const) {
        for (const config of this.items(key)) {
          const entries = Array.isArray(config.object.webhooks) ? (config.object.webhooks as WebhookEntry[]) : [];
          entries.forEach((entry, index) => {
            if (!entry || typeof entry !== 'object' || !isGmsaWebhook(entry)) return;
            const svc = entry.clientConfig?.service;
            const service =
              svc && typeof svc.name === 'string'
                ? {
                    namespace: typeof svc.namespace === 'string' ? svc.namespace : 'default',
                    name: svc.name,
                    port: typeof svc.port === 'number' ? svc.port : 443,
                    ...(typeof svc.path === 'string' ? { path: svc.path } : {}),
                  }
                : undefined;
            out.push({ type, config, entry, index, ...(service ? { service } : {}) });
          });
        }
      }
      return out;
    });
  }
}

function isGmsaWebhook(entry: WebhookEntry): boolean {
  if (entry.name === WEBHOOK_NAME) return true;
  return (
    typeof entry.name === 'string' && /gmsa/i.test(entry.name) && JSON.stringify(entry.rules ?? []).includes('"pods"')
  );
}
