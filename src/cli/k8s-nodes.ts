/**
 * `gmsa-doctor k8s --nodes`: the node checks, the only command that creates anything in a cluster. It says what it
 * will create, asks (unless --yes; without a terminal and without --yes it refuses), runs one HostProcess Job per
 * Windows node (src/probes/k8s/node-jobs.ts), judges every node's facts with the checks of `analyze`
 * (src/plan/node-checks.ts) and reports them together; every Job it made is removed, also on errors and Ctrl+C.
 *
 * The `k8s` command hooks it in with addNodeCheckOptions (the flags) and, when --nodes is given, runNodeChecks.
 */
import { createInterface } from 'node:readline/promises';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Finding } from '../engine/finding.js';
import { judgeNodeRun, listed } from '../plan/node-checks.js';
import { K8sClient } from '../probes/k8s/client.js';
import { loadClusterTarget } from '../probes/k8s/config.js';
import type { ClusterTarget } from '../probes/k8s/config.js';
import type { FleetRun, WindowsNode } from '../probes/k8s/node-jobs.js';
import { listWindowsNodes, newRunId, runNodeChecks as runJobs } from '../probes/k8s/node-jobs.js';
import { NODE_CHECKS } from '../protocol/k8s/node-job.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { LikelyCause, Report } from '../report/model.js';
import { NODE_CHECK_RULE, toFinding } from '../k8s/index.js';
import { repeatable } from './options.js';
import { emit, UsageError } from './output.js';
import type { OutputOptions } from './output.js';

export interface NodeCheckFlags {
  nodes?: boolean;
  yes?: boolean;
  image?: string;
  jobNamespace: string;
  node: string[];
  nodeTimeout: string;
  nodeConcurrency: string;
}

/** What the `k8s` command gives: which cluster. */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

/** How the command talks to the person running it (tests replace it). */
export interface NodeCheckIo {
  /** A person can answer (standard input and error are terminals). */
  interactive: boolean;
  confirm(question: string): Promise<boolean>;
  say(text: string): void;
  /** A progress line (terminals only). */
  progress?(text: string): void;
  /** Ctrl+C: calls `stop` once, returns the function that stops listening. */
  onInterrupt(stop: () => void): () => void;
}

export function processIo(): NodeCheckIo {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    interactive,
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim());
      } finally {
        rl.close();
      }
    },
    say: (text) => process.stderr.write(`${text}\n`),
    ...(process.stderr.isTTY && !process.env.CI
      ? { progress: (text: string) => process.stderr.write(`\r\x1b[2K${text}`) }
      : {}),
    onInterrupt(stop) {
      const handler = (): void => stop();
      process.once('SIGINT', handler);
      return () => process.removeListener('SIGINT', handler);
    },
  };
}

/** The flags of the node checks, added to the `k8s` command. */
export function addNodeCheckOptions(command: Command): Command {
  return command
    .option(
      '--nodes',
      'check every Windows node through a HostProcess Job on it (creates Jobs in the cluster, after asking; removes them)',
    )
    .option('--yes', 'with --nodes: create the Jobs without asking')
    .option('--image <image>', 'with --nodes: the HostProcess image built from deploy/Dockerfile')
    .option('--node <name>', 'with --nodes: only this node (repeatable)', repeatable, [])
    .option(
      '--job-namespace <namespace>',
      'with --nodes: where the Jobs run (deploy/namespace.yaml)',
      NODE_CHECKS.namespace,
    )
    .addOption(
      new Option('--node-timeout <seconds>', 'with --nodes: deadline of each node, from its Job to its result').default(
        '300',
      ),
    )
    .addOption(new Option('--node-concurrency <n>', 'with --nodes: Jobs at once').default('10'));
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${value}: not a positive number`);
  return n;
}

function connect(cluster: ClusterFlags): ClusterTarget {
  const target = loadClusterTarget({
    ...(cluster.kubeconfig ? { kubeconfig: cluster.kubeconfig } : {}),
    ...(cluster.context ? { context: cluster.context } : {}),
  });
  if (!target.ok) throw new UsageError(target.error.message);
  return target.value;
}

/** The nodes to check: every Windows node, or those named with --node (each must be one). */
async function chooseNodes(client: K8sClient, only: readonly string[]): Promise<WindowsNode[]> {
  const listed = await listWindowsNodes(client);
  if (!listed.ok) throw new UsageError(`cannot list the Windows nodes: ${listed.error.message}`);
  if (only.length === 0) return listed.nodes;
  const unknown = only.filter((name) => !listed.nodes.some((n) => n.name === name));
  if (unknown.length > 0)
    throw new UsageError(
      `--node ${unknown.join(', ')}: not a Windows node of this cluster (Windows nodes: ${listed.nodes.map((n) => n.name).join(', ') || 'none'})`,
    );
  return listed.nodes.filter((n) => only.includes(n.name));
}

/** What the command is about to create, said before it does. */
function announcement(
  target: ClusterTarget,
  nodes: readonly WindowsNode[],
  flags: NodeCheckFlags,
  image: string,
): string {
  return [
    `gmsa-doctor k8s --nodes creates resources in cluster ${target.server} (${target.source}):`,
    `  ${nodes.length} Job${nodes.length === 1 ? '' : 's'} in namespace ${flags.jobNamespace}, one per Windows node (${listed(nodes.map((n) => n.name))}),`,
    `  each a HostProcess pod running ${image} as NT AUTHORITY\\SYSTEM on the node's network, at most ${flags.nodeConcurrency} at a time;`,
    `  each Job is deleted with its pod once its result is read (after ${NODE_CHECKS.ttlSecondsAfterFinished} s the cluster removes any left behind).`,
  ].join('\n');
}

/** The cause found on the most nodes, said with how many and which. */
function fleetCause(byNode: readonly { node: string; findings: Finding[] }[], total: number): LikelyCause | undefined {
  const groups = new Map<string, { cause: LikelyCause; nodes: string[] }>();
  for (const { node, findings } of byNode) {
    const cause = mostLikelyCause(findings);
    if (!cause) continue;
    const group = groups.get(cause.findingId) ?? { cause, nodes: [] };
    group.nodes.push(node);
    groups.set(cause.findingId, group);
  }
  const [top] = [...groups.values()].sort((a, b) => b.nodes.length - a.nodes.length);
  if (!top) return undefined;
  return {
    ...top.cause,
    summary: `${top.cause.summary} On ${top.nodes.length} of ${total} node${total === 1 ? '' : 's'}: ${listed(top.nodes)}.`,
  };
}

/** The whole run as one report. */
export async function nodeRunReport(
  run: FleetRun,
  context: { image: string; cluster: string; durationMs: number },
): Promise<Report> {
  const judged = await judgeNodeRun({ ...run, image: context.image });
  const total = run.outcomes.length;
  const noNodes: Finding[] =
    total === 0
      ? [
          toFinding(NODE_CHECK_RULE, {
            severity: 'skipped',
            subject: 'cluster',
            message: 'not checked: the cluster has no Windows node (label kubernetes.io/os=windows)',
          }),
        ]
      : [];
  const checked = run.outcomes.filter((o) => o.kind === 'collected').length;
  return {
    command: 'k8s --nodes',
    findings: [...noNodes, ...judged.runFindings, ...judged.nodes.flatMap((n) => n.findings)],
    inputErrors: [
      ...judged.nodes.flatMap((n) => n.inputErrors),
      ...(run.interrupted
        ? [
            {
              file: 'k8s --nodes',
              reason: `interrupted: ${checked} of ${total} nodes checked; ${run.cleanup.deleted.length} Job(s) it made removed`,
            },
          ]
        : []),
    ],
    durationMs: context.durationMs,
    vantagePoint: `${total} Windows node${total === 1 ? '' : 's'} of ${context.cluster}, each through a HostProcess Job in namespace ${run.namespace}`,
    ...((cause) => (cause ? { mostLikelyCause: cause } : {}))(fleetCause(judged.nodes, total)),
    notChecked: judged.notChecked,
  };
}

/** `k8s --nodes`: announce, confirm, run, report. */
export async function runNodeChecks(
  flags: NodeCheckFlags & ClusterFlags & OutputOptions,
  io: NodeCheckIo = processIo(),
): Promise<void> {
  const started = performance.now();
  if (!flags.image)
    throw new UsageError(
      '--nodes needs --image IMAGE: the HostProcess image built from deploy/Dockerfile (see README)',
    );
  const nodeTimeoutMs = positive('--node-timeout', flags.nodeTimeout) * 1000;
  const concurrency = Math.floor(positive('--node-concurrency', flags.nodeConcurrency));
  const target = connect(flags);
  const client = new K8sClient(target);
  const nodes = await chooseNodes(client, flags.node);
  if (nodes.length > 0) {
    io.say(announcement(target, nodes, flags, flags.image));
    if (!flags.yes) {
      if (!io.interactive)
        throw new UsageError(
          'refusing to create Jobs without confirmation: there is no terminal to ask on; pass --yes to create them',
        );
      if (!(await io.confirm('Create them? [y/N] '))) throw new UsageError('cancelled: nothing was created');
    }
  }
  const abort = new AbortController();
  const stopListening = io.onInterrupt(() => {
    io.say('\ninterrupted: removing the Jobs this run made...');
    abort.abort();
  });
  let run: FleetRun;
  try {
    run = await runJobs(client, nodes, {
      image: flags.image,
      namespace: flags.jobNamespace,
      concurrency,
      nodeTimeoutMs,
      signal: abort.signal,
      runId: newRunId(),
      onProgress: ({ done, total, running }) => io.progress?.(`node checks: ${done}/${total} done, ${running} running`),
    });
  } finally {
    stopListening();
    io.progress?.('');
  }
  await emit(
    await nodeRunReport(run, {
      image: flags.image,
      cluster: `${target.server} (context ${target.context})`,
      durationMs: performance.now() - started,
    }),
    flags,
  );
}
