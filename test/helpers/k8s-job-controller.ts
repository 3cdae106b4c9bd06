/**
 * What the control plane and the kubelets of a cluster do with a Job, for the test API server: the Job controller
 * makes one pod per Job (named `<job>-<suffix>`, owned by the Job, labelled `job-name` and
 * `batch.kubernetes.io/job-name`, with the Job's selector labels), the node's kubelet takes it from Pending to its
 * end as the test says that node behaves, and the garbage collector deletes a Job's pods only when the Job was
 * deleted with propagationPolicy Background or Foreground (batch/v1 Jobs default to orphaning them). The status
 * fields and texts are the kubelet's and the controllers' own.
 */
import { randomUUID } from 'node:crypto';
import type { ApiStore, Json } from './k8s-api-store.js';
import { randomSuffix } from './k8s-api-store.js';

/** How a node's kubelet and runtime treat the pod of a node-check Job. */
export type NodeBehaviour =
  /** Pulls, runs and ends: `log` is what the container printed. */
  | { run: { log: string; exitCode?: number; afterMs?: number } }
  /** The container stays waiting with this reason (ErrImagePull, CreateContainerError...). */
  | { waiting: { reason: string; message: string } }
  /** The kubelet refuses the pod at admission (phase Failed, e.g. NodeAffinity). */
  | { rejected: { reason: string; message: string } }
  /** The kubelet never picks the pod up (a NotReady node): Pending, no container status, forever. */
  | 'never-starts'
  /** The Job controller cannot create the pod (an admission webhook or Pod Security refuses it). */
  | 'no-pod';

const STEP_MS = 5;

export class JobController {
  private readonly behaviours = new Map<string, NodeBehaviour>();
  /** Every Job created, as stored at its creation (a test's view of what the runner asked for). */
  readonly created: Json[] = [];
  /** The most Jobs that existed at once. */
  mostAtOnce = 0;
  private live = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: ApiStore,
    /** Where the container's output goes: the server answers GET .../pods/NAME/log from it. */
    private readonly writeLog: (namespace: string, pod: string, container: string, text: string) => void,
  ) {}

  /** How `node` treats node-check pods; a node not set never starts them. */
  node(node: string, behaviour: NodeBehaviour): void {
    this.behaviours.set(node, behaviour);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** The Job controller's part of a create: the Job's selector and labels, then its pod. */
  jobCreated(job: Json): Json {
    const uid = job.metadata.uid as string;
    const name = job.metadata.name as string;
    const selector = { 'batch.kubernetes.io/controller-uid': uid };
    const podLabels = {
      ...(job.spec.template.metadata?.labels ?? {}),
      ...selector,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    job.spec = {
      parallelism: 1,
      completions: 1,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      manualSelector: false,
      ...job.spec,
      selector: { matchLabels: selector },
      template: { ...job.spec.template, metadata: { ...job.spec.template.metadata, labels: podLabels } },
    };
    const stored = this.store.add({ apiVersion: 'batch/v1', kind: 'Job', ...job }).object;
    this.created.push(structuredClone(stored));
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.live);
    const node = job.spec.template.spec.nodeName as string;
    const behaviour = this.behaviours.get(node) ?? 'never-starts';
    if (behaviour !== 'no-pod') this.later(() => this.createPod(stored, podLabels, behaviour));
    return stored;
  }

  /** DELETE of a Job: its pods go with it (Background, Foreground) or stay without an owner (the default, orphan). */
  jobDeleted(job: Json, propagationPolicy: string | undefined): void {
    this.live--;
    const pods = this.podsOf(job);
    for (const pod of pods) {
      if (propagationPolicy === 'Background' || propagationPolicy === 'Foreground')
        this.later(() => this.store.remove('', 'pods', pod.metadata.namespace as string, pod.metadata.name as string));
      else
        this.store.add({ apiVersion: 'v1', kind: 'Pod', ...pod, metadata: { ...pod.metadata, ownerReferences: [] } });
    }
  }

  private podsOf(job: Json): Json[] {
    const type = this.store.typeFor('', 'v1', 'pods')!;
    return this.store
      .stored(type, job.metadata.namespace as string)
      .map((s) => s.object)
      .filter((pod) => (pod.metadata.ownerReferences as Json[] | undefined)?.some((o) => o.uid === job.metadata.uid));
  }

  private later(work: () => void, ms = STEP_MS): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  private createPod(job: Json, labels: Json, behaviour: Exclude<NodeBehaviour, 'no-pod'>): void {
    const name = `${job.metadata.name as string}-${randomSuffix()}`;
    const namespace = job.metadata.namespace as string;
    const spec = structuredClone(job.spec.template.spec) as Json;
    const container = (spec.containers as Json[])[0]!;
    const pending = {
      phase: 'Pending',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: this.now() },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: this.now() },
        {
          type: 'Ready',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: this.now(),
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${container.name as string}]`,
        },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: this.now() },
      ],
      qosClass: 'Burstable',
    };
    const pod: Json = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${job.metadata.name as string}-`,
        namespace,
        labels,
        annotations: job.spec.template.metadata?.annotations ?? {},
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: job.metadata.name,
            uid: job.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        finalizers: ['batch.kubernetes.io/job-tracking'],
      },
      spec,
      status: behaviour === 'never-starts' ? { phase: 'Pending', qosClass: 'Burstable' } : pending,
    };
    this.store.add(pod);
    if (behaviour === 'never-starts') return;
    this.later(() => this.kubelet(job, namespace, name, container, behaviour));
  }

  /** The kubelet's status updates, as it writes them. */
  private kubelet(job: Json, namespace: string, name: string, container: Json, behaviour: Json): void {
    const pods = this.store.typeFor('', 'v1', 'pods')!;
    const current = this.store.stored(pods, namespace).find((s) => s.object.metadata.name === name)?.object;
    if (!current) return;
    const base = {
      name: container.name,
      lastState: {},
      ready: false,
      restartCount: 0,
      image: container.image,
      imageID: '',
      started: false,
    };
    const update = (status: Json): void => {
      this.store.add({ apiVersion: 'v1', kind: 'Pod', ...current, status: { ...current.status, ...status } });
    };
    if ('rejected' in behaviour) {
      const { reason, message } = behaviour.rejected as { reason: string; message: string };
      update({ phase: 'Failed', reason, message, conditions: [], startTime: this.now() });
      this.jobFinished(job, false);
      return;
    }
    if ('waiting' in behaviour) {
      update({
        hostIP: '10.224.0.97',
        startTime: this.now(),
        containerStatuses: [{ ...base, state: { waiting: behaviour.waiting } }],
      });
      return;
    }
    const {
      log,
      exitCode = 0,
      afterMs = STEP_MS,
    } = behaviour.run as { log: string; exitCode?: number; afterMs?: number };
    const containerID = `containerd://${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`;
    const started = this.now();
    update({
      phase: 'Running',
      hostIP: '10.224.0.97',
      podIP: '10.224.0.97',
      startTime: started,
      containerStatuses: [{ ...base, containerID, started: true, state: { running: { startedAt: started } } }],
    });
    this.later(() => {
      this.writeLog(namespace, name, container.name as string, log);
      const after = this.store.stored(pods, namespace).find((s) => s.object.metadata.name === name)?.object;
      if (!after) return;
      this.store.add({
        apiVersion: 'v1',
        kind: 'Pod',
        ...after,
        status: {
          ...after.status,
          phase: exitCode === 0 ? 'Succeeded' : 'Failed',
          containerStatuses: [
            {
              ...base,
              containerID,
              state: {
                terminated: {
                  exitCode,
                  reason: exitCode === 0 ? 'Completed' : 'Error',
                  startedAt: started,
                  finishedAt: this.now(),
                  containerID,
                },
              },
            },
          ],
        },
      });
      this.jobFinished(job, exitCode === 0);
    }, afterMs);
  }

  private jobFinished(job: Json, succeeded: boolean): void {
    const jobs = this.store.typeFor('batch', 'v1', 'jobs')!;
    const current = this.store
      .stored(jobs, job.metadata.namespace as string)
      .find((s) => s.object.metadata.name === job.metadata.name)?.object;
    if (!current) return;
    const at = this.now();
    const condition = (type: string, reason: string, message: string): Json => ({
      type,
      status: 'True',
      lastProbeTime: at,
      lastTransitionTime: at,
      reason,
      message,
    });
    const status = succeeded
      ? {
          succeeded: 1,
          completionTime: at,
          conditions: [
            condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
            condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
          ],
        }
      : {
          failed: 1,
          conditions: [
            condition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
            condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
          ],
        };
    this.store.add({
      apiVersion: 'batch/v1',
      kind: 'Job',
      ...current,
      status: { startTime: at, ready: 0, terminating: 0, uncountedTerminatedPods: {}, ...status },
    });
  }

  private now(): string {
    return this.store.timestamp();
  }
}
