/**
 * The Job `gmsa-doctor k8s --nodes` runs on one Windows node (deploy/job.yaml is this manifest with placeholders, a
 * test keeps the two equal), and how to read the state of the pod it made. Pure, no I/O.
 */

/** Where the node checks run, and who they run as (deploy/namespace.yaml, deploy/rbac.yaml). */
export const NODE_CHECKS = {
  namespace: 'gmsa-doctor',
  serviceAccount: 'gmsa-doctor-node',
  container: 'collect',
  generateName: 'gmsa-doctor-node-',
  /** Groups the Jobs of one run, so an interrupted run can find the ones whose create had no answer yet. */
  runLabel: 'gmsa-doctor.io/run',
  /** The node a Job checks (an annotation: node names may be longer than a label value may be). */
  nodeAnnotation: 'gmsa-doctor.io/node',
  /** The Job controller's label on its pods (both spellings exist since Kubernetes 1.27; `job-name` in all). */
  jobNameLabel: 'job-name',
  /** After this, the API server's TTL controller removes a finished Job the runner could not delete. */
  ttlSecondsAfterFinished: 600,
  /** Log bytes read back; a facts file with a large CCG log is a few hundred KB. */
  maxLogBytes: 16 * 1024 * 1024,
} as const;

export interface NodeJobSettings {
  node: string;
  image: string;
  runId: string;
  namespace?: string;
  /** The Job's activeDeadlineSeconds: Kubernetes ends the pod past it, whatever the runner does. */
  deadlineSeconds: number;
}

const LABELS = { 'app.kubernetes.io/name': 'gmsa-doctor', 'app.kubernetes.io/component': 'node-check' };

/**
 * One HostProcess Job on one node: pinned by nodeName, tolerating every taint (it must run on the node it names,
 * whatever keeps other pods off it), as SYSTEM on the host network (the CCG registry key, the CCG event logs and the
 * host's own Kerberos identity need it), without an API token, printing the facts file to its log.
 */
export function nodeJob(settings: NodeJobSettings): Record<string, unknown> {
  const labels = { ...LABELS, [NODE_CHECKS.runLabel]: settings.runId };
  const annotations = { [NODE_CHECKS.nodeAnnotation]: settings.node };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      generateName: NODE_CHECKS.generateName,
      namespace: settings.namespace ?? NODE_CHECKS.namespace,
      labels,
      annotations,
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: settings.deadlineSeconds,
      ttlSecondsAfterFinished: NODE_CHECKS.ttlSecondsAfterFinished,
      template: {
        metadata: { labels, annotations },
        spec: {
          nodeName: settings.node,
          nodeSelector: { 'kubernetes.io/os': 'windows' },
          tolerations: [{ operator: 'Exists' }],
          restartPolicy: 'Never',
          serviceAccountName: NODE_CHECKS.serviceAccount,
          automountServiceAccountToken: false,
          hostNetwork: true,
          securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' } },
          containers: [
            {
              name: NODE_CHECKS.container,
              image: settings.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['%CONTAINER_SANDBOX_MOUNT_POINT%\\gmsa-doctor.exe', 'collect', '-o', '-'],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
            },
          ],
        },
      },
    },
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const list = (v: unknown): Json[] =>
  Array.isArray(v)
    ? v.flatMap((x): Json[] => {
        const o = obj(x);
        return o ? [o] : [];
      })
    : [];
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Why a node's check could not give a result, by the stage it stopped at. */
export type NodeFailureStage = 'create' | 'schedule' | 'pull' | 'start' | 'run' | 'timeout' | 'log';

export type PodProgress =
  /** Still on its way; `state` says where (for the progress line and for a timeout's message). */
  | { kind: 'waiting'; state: string }
  /** The container ended: its log holds the result (or why there is none). */
  | { kind: 'finished'; exitCode: number; reason?: string }
  /** It will not get further by waiting. */
  | { kind: 'failed'; stage: NodeFailureStage; reason: string; message: string };

/**
 * Waiting reasons reported at once. The kubelet retries a failed pull or create with a back-off whatever the
 * restartPolicy, but what it names here (a missing or refused image, a bad mount or command) rarely fixes itself
 * before the node's deadline, and a one-shot check gains nothing by waiting for it.
 */
const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const START_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** Where the Job's pod is, from the pod (as the API returns it) and, when there is no pod yet, the Job's status. */
export function podProgress(pod: unknown, job?: unknown): PodProgress {
  const p = obj(pod);
  if (!p) {
    const failedJob = list(obj(obj(job)?.status)?.conditions).find((c) => c.type === 'Failed' && c.status === 'True');
    if (failedJob)
      return {
        kind: 'failed',
        stage: 'create',
        reason: text(failedJob.reason) ?? 'Failed',
        message: text(failedJob.message) ?? 'the Job failed before it made a pod',
      };
    return { kind: 'waiting', state: 'no pod yet' };
  }
  const status = obj(p.status) ?? {};
  const container = list(status.containerStatuses)[0];
  const state = obj(container?.state) ?? {};
  const terminated = obj(state.terminated);
  if (terminated)
    return {
      kind: 'finished',
      exitCode: Number(terminated.exitCode ?? 0),
      ...(text(terminated.reason) ? { reason: text(terminated.reason) } : {}),
    };
  const waiting = obj(state.waiting);
  const waitingReason = text(waiting?.reason);
  if (waitingReason && PULL_FAILURES.has(waitingReason))
    return { kind: 'failed', stage: 'pull', reason: waitingReason, message: text(waiting?.message) ?? waitingReason };
  if (waitingReason && START_FAILURES.has(waitingReason))
    return { kind: 'failed', stage: 'start', reason: waitingReason, message: text(waiting?.message) ?? waitingReason };
  const phase = text(status.phase) ?? 'Pending';
  if (phase === 'Failed' || phase === 'Succeeded')
    // Rejected by the node's kubelet before any container ran (NodeAffinity, OutOfmemory...), or evicted.
    return {
      kind: 'failed',
      stage: 'schedule',
      reason: text(status.reason) ?? phase,
      message: text(status.message) ?? `the pod ended ${phase} without running its container`,
    };
  const unscheduled = list(status.conditions).find(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );
  if (unscheduled) return { kind: 'waiting', state: `Pending, unschedulable: ${text(unscheduled.message) ?? ''}` };
  if (obj(state.running)) return { kind: 'waiting', state: 'Running' };
  return { kind: 'waiting', state: waitingReason ? `${phase}: ${waitingReason}` : phase };
}

/** A node the node checks can run on: Ready (a NotReady node's kubelet would never start the pod). */
export function nodeReadiness(node: unknown): { ready: boolean; reason?: string } {
  const ready = list(obj(obj(node)?.status)?.conditions).find((c) => c.type === 'Ready');
  if (!ready) return { ready: false, reason: 'the node reports no Ready condition' };
  if (ready.status === 'True') return { ready: true };
  return {
    ready: false,
    reason: `Ready is ${String(ready.status)}${text(ready.reason) ? ` (${text(ready.reason)})` : ''}${text(ready.message) ? `: ${text(ready.message)}` : ''}`,
  };
}
