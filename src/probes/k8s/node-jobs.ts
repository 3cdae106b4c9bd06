/**
 * `gmsa-doctor k8s --nodes` on the cluster: one HostProcess Job per Windows node (src/protocol/k8s/node-job.ts),
 * a bounded number at a time, each watched under its own deadline, its result read back through the pod's log, and
 * every Job this run made deleted again: after its result is read, and on errors and interruption (then also the
 * Jobs of this run whose create had not answered yet, found by the run's label). The only code that writes to a
 * cluster, through K8sClient.createJob and deleteJob.
 */
import { randomBytes } from 'node:crypto';
import type { NodeFailureStage, PodProgress } from '../../protocol/k8s/node-job.js';
import { NODE_CHECKS, nodeJob, nodeReadiness, podProgress } from '../../protocol/k8s/node-job.js';
import type { K8sClient, K8sObject } from './client.js';
import type { K8sError } from './errors.js';

export interface NodeRunOptions {
  /** The HostProcess image (deploy/Dockerfile). */
  image: string;
  namespace?: string;
  /** Jobs at once (default 10). */
  concurrency?: number;
  /** From a Job's creation to its result, per node (default 300 s); also the Job's activeDeadlineSeconds. */
  nodeTimeoutMs?: number;
  /** The longest wait between two looks at a pod (default 2 s; the first looks come sooner). */
  pollMs?: number;
  /** Only these nodes (default every Windows node). */
  nodes?: readonly string[];
  /** Aborting stops starting and waiting; what was made is still removed. */
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; running: number }) => void;
  runId?: string;
}

export interface WindowsNode {
  name: string;
  object: K8sObject;
}

export type NodeOutcome =
  /** The container ended and this is its log (the facts file, if collect could write it). */
  | { node: string; kind: 'collected'; job: string; pod: string; log: string; exitCode: number; truncated: boolean }
  /** No result: where it stopped and why, in the API's words. */
  | {
      node: string;
      kind: 'failed';
      stage: NodeFailureStage;
      reason: string;
      message: string;
      job?: string;
      pod?: string;
      /** The permission the runner lacked, when the API said forbidden. */
      permission?: K8sError['permission'];
    }
  /** Not tried: the node cannot run it (NotReady), or the run was interrupted first. */
  | { node: string; kind: 'skipped'; reason: string };

export interface CleanupResult {
  /** Jobs this run made, deleted (or already gone). */
  deleted: string[];
  /** Jobs it could not delete, with the reason: the report names them and the command that removes them. */
  failed: { job: string; reason: string }[];
}

export interface FleetRun {
  runId: string;
  namespace: string;
  outcomes: NodeOutcome[];
  cleanup: CleanupResult;
  interrupted: boolean;
}

/** Create errors that no other node's create would escape: stop trying. */
const BLOCKING = new Set<K8sError['kind']>(['forbidden', 'unauthorized', 'not-found', 'config', 'tls', 'unreachable']);

const DEFAULTS: { concurrency: number; nodeTimeoutMs: number; pollMs: number; namespace: string } = {
  concurrency: 10,
  nodeTimeoutMs: 300_000,
  pollMs: 2000,
  namespace: NODE_CHECKS.namespace,
};

/** The Windows nodes (label kubernetes.io/os=windows), or the API's error. */
export async function listWindowsNodes(
  client: K8sClient,
): Promise<{ ok: true; nodes: WindowsNode[] } | { ok: false; error: K8sError }> {
  const listed = await client.list('nodes', { labelSelector: 'kubernetes.io/os=windows' });
  if (!listed.ok) return listed;
  return {
    ok: true,
    nodes: listed.value.items.map((object) => ({ name: object.metadata?.name ?? '', object })).filter((n) => n.name),
  };
}

export function newRunId(): string {
  return `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

class FleetRunner {
  readonly runId: string;
  readonly namespace: string;
  private readonly settings: typeof DEFAULTS;
  /** Jobs made and not yet deleted. */
  private readonly live = new Set<string>();
  private readonly deleted: string[] = [];
  private readonly deleteFailures: { job: string; reason: string }[] = [];
  /** A create refused for a reason every other node would meet too (RBAC, no namespace, credentials). */
  private blocked?: string;

  constructor(
    private readonly client: K8sClient,
    private readonly options: NodeRunOptions,
  ) {
    this.settings = {
      concurrency: Math.max(1, options.concurrency ?? DEFAULTS.concurrency),
      nodeTimeoutMs: options.nodeTimeoutMs ?? DEFAULTS.nodeTimeoutMs,
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
      namespace: options.namespace ?? DEFAULTS.namespace,
    };
    this.runId = options.runId ?? newRunId();
    this.namespace = this.settings.namespace;
  }

  get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  async run(nodes: readonly WindowsNode[]): Promise<NodeOutcome[]> {
    const outcomes: NodeOutcome[] = new Array<NodeOutcome>(nodes.length);
    let next = 0;
    let done = 0;
    let running = 0;
    const report = (): void => this.options.onProgress?.({ done, total: nodes.length, running });
    const worker = async (): Promise<void> => {
      while (next < nodes.length) {
        const index = next++;
        const node = nodes[index]!;
        if (this.aborted || this.blocked) {
          outcomes[index] = {
            node: node.name,
            kind: 'skipped',
            reason: this.blocked ?? 'the run was interrupted before it started',
          };
          continue;
        }
        running++;
        report();
        outcomes[index] = await this.checkNode(node);
        running--;
        done++;
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, nodes.length) }, worker));
    return outcomes;
  }

  private async checkNode(node: WindowsNode): Promise<NodeOutcome> {
    const readiness = nodeReadiness(node.object);
    if (!readiness.ready) return { node: node.name, kind: 'skipped', reason: `node ${node.name}: ${readiness.reason}` };
    const manifest = nodeJob({
      node: node.name,
      image: this.options.image,
      runId: this.runId,
      namespace: this.namespace,
      deadlineSeconds: Math.ceil(this.settings.nodeTimeoutMs / 1000),
    });
    const created = await this.client.createJob(this.namespace, manifest);
    if (!created.ok && BLOCKING.has(created.error.kind))
      this.blocked = `not tried: a Job could not be created (${created.error.message})`;
    if (!created.ok)
      return {
        node: node.name,
        kind: 'failed',
        stage: 'create',
        reason: created.error.kind,
        message: created.error.message,
        ...(created.error.permission ? { permission: created.error.permission } : {}),
      };
    const job = created.value.metadata?.name ?? '';
    this.live.add(job);
    try {
      return await this.follow(node.name, job);
    } finally {
      await this.remove(job);
    }
  }

  /** Watches the Job's pod until it ends, fails for good, or the node's deadline passes; then reads its log. */
  private async follow(node: string, job: string): Promise<NodeOutcome> {
    const deadline = Date.now() + this.settings.nodeTimeoutMs;
    let last: PodProgress;
    let pod: string | undefined;
    for (let look = 0; ; look++) {
      const seen = await this.look(job);
      if ('error' in seen) return this.failure(node, job, pod, 'run', seen.error);
      pod = seen.pod?.metadata?.name ?? pod;
      last = podProgress(seen.pod, seen.job);
      if (last.kind === 'failed')
        return {
          node,
          kind: 'failed',
          stage: last.stage,
          reason: last.reason,
          message: last.message,
          job,
          ...(pod ? { pod } : {}),
        };
      if (last.kind === 'finished') break;
      if (this.aborted)
        return {
          node,
          kind: 'failed',
          stage: 'timeout',
          reason: 'Interrupted',
          message: pod
            ? `interrupted while pod ${pod} was ${last.state}`
            : 'interrupted before the Job controller made its pod',
          job,
          ...(pod ? { pod } : {}),
        };
      const left = deadline - Date.now();
      if (left <= 0)
        return {
          node,
          kind: 'failed',
          stage: 'timeout',
          reason: 'DeadlineExceeded',
          message: `no result within ${Math.round(this.settings.nodeTimeoutMs / 1000)} s: ${pod ? `pod ${pod} was still ${last.state}` : 'the Job controller made no pod for it'}`,
          job,
          ...(pod ? { pod } : {}),
        };
      // 100 ms, 200 ms, 400 ms... up to pollMs: a quick node answers quickly, a slow one is not asked 150 times.
      await pause(Math.min(100 * 2 ** look, this.settings.pollMs, left), this.options.signal);
    }
    const log = await this.client.podLog(this.namespace, pod!, {
      container: NODE_CHECKS.container,
      limitBytes: NODE_CHECKS.maxLogBytes,
    });
    if (!log.ok) return this.failure(node, job, pod, 'log', log.error);
    return {
      node,
      kind: 'collected',
      job,
      pod: pod!,
      log: log.value,
      exitCode: last.exitCode,
      truncated: Buffer.byteLength(log.value) >= NODE_CHECKS.maxLogBytes,
    };
  }

  /** The Job's pod (the newest, by the Job controller's label) and, while there is none, the Job itself. */
  private async look(job: string): Promise<{ pod?: K8sObject; job?: K8sObject } | { error: K8sError }> {
    const pods = await this.client.list('pods', {
      namespace: this.namespace,
      labelSelector: `${NODE_CHECKS.jobNameLabel}=${job}`,
    });
    if (!pods.ok) return { error: pods.error };
    const pod = pods.value.items.at(-1);
    if (pod) return { pod };
    const got = await this.client.get('jobs', job, this.namespace);
    return got.ok ? { job: got.value } : { error: got.error };
  }

  private failure(
    node: string,
    job: string,
    pod: string | undefined,
    stage: NodeFailureStage,
    error: K8sError,
  ): NodeOutcome {
    return {
      node,
      kind: 'failed',
      stage,
      reason: error.kind,
      message: error.message,
      job,
      ...(pod ? { pod } : {}),
      ...(error.permission ? { permission: error.permission } : {}),
    };
  }

  private async remove(job: string): Promise<void> {
    const result = await this.client.deleteJob(this.namespace, job);
    this.live.delete(job);
    if (result.ok) this.deleted.push(job);
    else this.deleteFailures.push({ job, reason: result.error.message });
  }

  /** After the run (finished, failed or interrupted): the Jobs still standing, and those of creates in flight. */
  async cleanup(): Promise<CleanupResult> {
    for (const job of [...this.live]) await this.remove(job);
    const leftovers = await this.client.list('jobs', {
      namespace: this.namespace,
      labelSelector: `${NODE_CHECKS.runLabel}=${this.runId}`,
    });
    if (leftovers.ok)
      for (const job of leftovers.value.items) {
        const name = job.metadata?.name;
        if (name && !this.deleted.includes(name)) await this.remove(name);
      }
    else if (leftovers.error.kind !== 'not-found')
      this.deleteFailures.push({ job: `${NODE_CHECKS.runLabel}=${this.runId}`, reason: leftovers.error.message });
    return { deleted: [...this.deleted], failed: [...this.deleteFailures] };
  }
}

/**
 * Runs the node checks on `nodes` (listWindowsNodes, optionally narrowed) and removes every Job it made. Never
 * throws for what the cluster answers; every node ends in one outcome.
 */
export async function runNodeChecks(
  client: K8sClient,
  nodes: readonly WindowsNode[],
  options: NodeRunOptions,
): Promise<FleetRun> {
  const runner = new FleetRunner(client, options);
  let outcomes: NodeOutcome[];
  try {
    outcomes = await runner.run(nodes);
  } catch (error) {
    // A bug, not an answer of the cluster: still, nothing this run made stays behind.
    await runner.cleanup();
    throw error;
  }
  const cleanup = await runner.cleanup();
  return { runId: runner.runId, namespace: runner.namespace, outcomes, cleanup, interrupted: runner.aborted };
}
