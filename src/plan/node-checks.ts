/**
 * The judgement of `gmsa-doctor k8s --nodes`: each Windows node's facts file (as its Job printed it to the pod's
 * log) validated as `analyze` validates a saved file and judged by the same checks, each finding placed on its node;
 * the nodes that gave no facts, and the Jobs that could not be removed, as `k8s/node-check` findings. No I/O: the
 * outcomes come from src/probes/k8s/node-jobs.ts, the report is the CLI's (src/cli/k8s-nodes.ts).
 */
import type { NotChecked } from '../engine/check.js';
import { FactStore } from '../engine/facts.js';
import type { Finding } from '../engine/finding.js';
import { run } from '../engine/runner.js';
import { FactsFileError, readFactsFile } from '../facts/file.js';
import { NODE_CHECK_RULE, toFinding } from '../k8s/index.js';
import type { RuleDraft } from '../k8s/rule.js';
import type { CleanupResult, NodeOutcome } from '../probes/k8s/node-jobs.js';
import { NODE_CHECKS } from '../protocol/k8s/node-job.js';
import { listed } from '../k8s/listed.js';
import { idleNotChecked, planSaved } from './plan.js';

export interface NodeRunSummary {
  outcomes: readonly NodeOutcome[];
  cleanup: CleanupResult;
  namespace: string;
  image: string;
}

/** A part of a node's facts file that could not be read (the report's input errors: exit code 2). */
export interface NodeInputError {
  file: string;
  field?: string;
  reason: string;
}

/** One node's judgement: its findings (subjects prefixed `Node/NAME`), what its facts did not allow, bad input. */
export interface NodeJudgement {
  node: string;
  /** Its facts came back and were judged (false: the log held no facts file, or one that could not be read). */
  judged: boolean;
  findings: Finding[];
  notChecked: NotChecked[];
  inputErrors: NodeInputError[];
}

export interface NodeRunJudgement {
  nodes: NodeJudgement[];
  /** k8s/node-check findings: nodes without facts, nodes skipped, Jobs left behind. */
  runFindings: Finding[];
  notChecked: NotChecked[];
}

const FACTS_LINE = /^\s*\{\s*"format"\s*:\s*"gmsa-doctor-facts"/;

/**
 * The facts file in a pod's log: the line `collect -o -` printed it on (the log may also hold what the exe
 * wrote to standard error), else the whole log as one JSON text.
 */
export function factsFromLog(log: string): { json: unknown } | { reason: string } {
  const lines = log.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!FACTS_LINE.test(lines[i]!)) continue;
    try {
      return { json: JSON.parse(lines[i]!) as unknown };
    } catch (error) {
      return { reason: `the facts file in the log is not whole JSON (${(error as Error).message})` };
    }
  }
  try {
    return { json: JSON.parse(log) as unknown };
  } catch {
    return { reason: 'the log holds no gmsa-doctor facts file' };
  }
}

const logName = (node: string): string => `Node/${node} (pod log)`;

/** The last lines of a log, bounded, for a finding's evidence. */
function tail(log: string): string[] {
  return log
    .trimEnd()
    .split(/\r?\n/)
    .slice(-5)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
}

function nodeFinding(draft: RuleDraft): Finding {
  return toFinding(NODE_CHECK_RULE, draft);
}

/** A node whose facts came back: judged as analyze judges a saved file, each finding placed on its node. */
async function judgeCollected(
  outcome: Extract<NodeOutcome, { kind: 'collected' }>,
  ns: string,
): Promise<NodeJudgement> {
  const node = outcome.node;
  const empty = { node, judged: false, findings: [], notChecked: [], inputErrors: [] };
  const found = factsFromLog(outcome.log);
  if ('reason' in found)
    return {
      ...empty,
      findings: [
        nodeFinding({
          severity: 'skipped',
          subject: `Node/${node}`,
          message: `not checked: pod ${outcome.pod} ended (exit code ${outcome.exitCode}) but ${found.reason}${outcome.truncated ? ` (the log was cut at ${NODE_CHECKS.maxLogBytes} bytes)` : ''}`,
          evidence: { job: outcome.job, pod: outcome.pod, exitCode: outcome.exitCode, logTail: tail(outcome.log) },
          remediation: {
            text: 'Read the whole log; the image must hold gmsa-doctor.exe of this release (deploy/Dockerfile).',
            commands: [`kubectl -n ${ns} logs ${outcome.pod}`],
          },
        }),
      ],
    };
  let read: ReturnType<typeof readFactsFile>;
  try {
    read = readFactsFile(found.json);
  } catch (error) {
    if (!(error instanceof FactsFileError)) throw error;
    return { ...empty, inputErrors: [{ file: logName(node), reason: error.message }] };
  }
  const facts = new FactStore(read.snapshot);
  const plan = planSaved(facts);
  const result = await run({ checks: plan.checks, facts });
  // A finding's place (its subject, and a file's path, which reports show instead) is on that node.
  const findings = result.findings.map((f) => ({
    ...f,
    subject: f.subject ? `Node/${node} ${f.subject}` : `Node/${node}`,
    ...(f.location ? { location: { ...f.location, file: `Node/${node} ${f.location.file}` } } : {}),
  }));
  return {
    node,
    judged: true,
    findings,
    notChecked: [...plan.notChecked, ...idleNotChecked(result.idle)],
    inputErrors: read.problems.map((p) => ({ file: logName(node), field: p.field, reason: p.reason })),
  };
}

const STAGE_FIX: Record<
  string,
  (o: Extract<NodeOutcome, { kind: 'failed' }>, image: string, ns: string) => RuleDraft['remediation']
> = {
  create: (o, _image, ns) => ({
    text: o.permission
      ? `The runner may not ${o.permission.verb} ${o.permission.resource}: apply deploy/rbac.yaml and bind its roles to the identity running gmsa-doctor.`
      : 'Apply the namespace and RBAC of deploy/ first.',
    commands: ['kubectl apply -k deploy/', ...(o.job ? [`kubectl -n ${ns} describe job ${o.job}`] : [])],
  }),
  pull: (o, image, ns) => ({
    text: `Push the image built from deploy/Dockerfile to a registry the node can pull from, and pass it with --image (AKS: attach the registry to the cluster).`,
    commands: [
      `docker buildx build --platform windows/amd64 -f deploy/Dockerfile -t ${image} --push .`,
      `kubectl -n ${ns} describe pod ${o.pod ?? ''}`.trim(),
    ],
  }),
  start: (o, _image, ns) => ({
    text: 'HostProcess containers need containerd 1.6 or later (1.7 recommended) and Kubernetes 1.26 or later on the node (see k8s/node-container-runtime).',
    commands: [`kubectl -n ${ns} describe pod ${o.pod ?? ''}`.trim()],
  }),
  schedule: (o, _image, ns) => ({
    text: "The node's kubelet refused the pod: read its reason.",
    commands: [`kubectl -n ${ns} describe pod ${o.pod ?? ''}`.trim()],
  }),
  timeout: (o, _image, ns) => ({
    text: o.pod
      ? 'See where the pod stopped (image pull, a NotReady node, a slow collect); --node-timeout gives it longer.'
      : 'The Job controller made no pod: its events say why (Pod Security, an admission webhook, a quota).',
    commands: [
      o.pod ? `kubectl -n ${ns} describe pod ${o.pod}` : `kubectl -n ${ns} describe job ${o.job ?? ''}`.trim(),
    ],
  }),
  log: (o, _image, ns) => ({
    text: o.permission
      ? 'The runner may not read pod logs in the namespace: apply deploy/rbac.yaml (pods/log get).'
      : 'Read the log by hand.',
    commands: [`kubectl -n ${ns} logs ${o.pod ?? ''}`.trim()],
  }),
  run: () => ({
    text: 'The runner could not follow the Job: see the message.',
    commands: ['kubectl apply -k deploy/'],
  }),
};

const STAGE_TEXT: Record<string, string> = {
  create: 'its Job could not be created',
  pull: 'its pod could not pull the image',
  start: 'its container could not start',
  schedule: 'its pod was refused',
  timeout: 'it gave no result in time',
  log: "its pod's log could not be read",
  run: 'its Job could not be followed',
};

function failedFinding(o: Extract<NodeOutcome, { kind: 'failed' }>, image: string, ns: string): Finding {
  return nodeFinding({
    severity: 'skipped',
    subject: `Node/${o.node}`,
    // A client error's message already starts with its kind (`not-found` -> `not found: ...`); the kubelet's and
    // the controllers' CamelCase reasons (ErrImagePull) go before their message.
    message: `not checked: ${STAGE_TEXT[o.stage] ?? o.stage} (${/^[a-z-]+$/.test(o.reason) ? o.message : `${o.reason}: ${o.message}`})`,
    evidence: {
      stage: o.stage,
      reason: o.reason,
      ...(o.job ? { job: o.job } : {}),
      ...(o.pod ? { pod: o.pod } : {}),
      ...(o.permission ? { permission: o.permission } : {}),
    },
    remediation: STAGE_FIX[o.stage]?.(o, image, ns),
  });
}

/** Nodes skipped for one reason are one finding (a fleet of NotReady nodes is one line, not 500). */
function skippedFindings(outcomes: readonly NodeOutcome[]): Finding[] {
  const byReason = new Map<string, string[]>();
  for (const o of outcomes)
    if (o.kind === 'skipped') byReason.set(o.reason, [...(byReason.get(o.reason) ?? []), o.node]);
  return [...byReason].map(([reason, nodes]) =>
    nodeFinding({
      severity: 'skipped',
      subject: nodes.length === 1 ? `Node/${nodes[0]!}` : `${nodes.length} nodes`,
      message: `not checked: ${reason}${nodes.length > 1 ? ` (${listed(nodes)})` : ''}`,
      evidence: { nodes },
    }),
  );
}

function cleanupFindings(cleanup: CleanupResult, ns: string): Finding[] {
  return cleanup.failed.map(({ job, reason }) =>
    nodeFinding({
      severity: 'error',
      subject: `${ns}/Job/${job}`,
      message: `could not remove Job ${job} (${reason}); its TTL (${NODE_CHECKS.ttlSecondsAfterFinished} s after it ends) removes it, or delete it now`,
      remediation: {
        text: 'Delete what this run left behind:',
        commands: [
          job.includes('=')
            ? `kubectl -n ${ns} delete jobs -l ${job} --cascade=background`
            : `kubectl -n ${ns} delete job ${job} --cascade=background`,
        ],
      },
    }),
  );
}

function uniqueNotChecked(lists: readonly NotChecked[][]): NotChecked[] {
  const seen = new Map<string, NotChecked>();
  for (const item of lists.flat())
    if (!seen.has(`${item.id}\u0000${item.how}`)) seen.set(`${item.id}\u0000${item.how}`, item);
  return [...seen.values()];
}

/** Every node's judgement, and the findings of the run itself. */
export async function judgeNodeRun(summary: NodeRunSummary): Promise<NodeRunJudgement> {
  const nodes: NodeJudgement[] = [];
  const failures: Finding[] = [];
  for (const outcome of summary.outcomes) {
    if (outcome.kind === 'collected') nodes.push(await judgeCollected(outcome, summary.namespace));
    else if (outcome.kind === 'failed') failures.push(failedFinding(outcome, summary.image, summary.namespace));
  }
  return {
    nodes,
    runFindings: [
      ...failures,
      ...skippedFindings(summary.outcomes),
      ...cleanupFindings(summary.cleanup, summary.namespace),
    ],
    notChecked: uniqueNotChecked(nodes.map((j) => j.notChecked)),
  };
}
