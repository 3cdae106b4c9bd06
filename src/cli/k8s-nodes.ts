/**
 * `gmsa-doctor k8s --nodes`: the checks of each Windows node (host, containers, CCG events), judged where they run,
 * through one HostProcess Job per node (deploy/) that runs `gmsa-doctor collect -o -`, its facts read back
 * through the pod log and judged as `analyze` judges them (src/plan/node-checks.ts). The only command that creates
 * anything in a cluster: it says what it will create, asks (unless --yes; without a terminal and without --yes it
 * refuses), and removes every Job it made, also on errors and Ctrl+C (src/probes/k8s/node-jobs.ts).
 *
 * The `k8s` command calls prepareNodeChecks before the scan reads anything (so that bad flags, or no way to ask,
 * stop it first) and the runner it returns with the scan's Windows nodes afterwards; the runner's findings, what it
 * could not check and its input errors join the scan's report.
 */
import { createInterface } from 'node:readline/promises';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { NotChecked } from '../engine/check.js';
import type { Finding } from '../engine/finding.js';
import type { K8sObject } from '../k8s/index.js';
import type { K8sClient } from '../probes/k8s/client.js';
import type { FleetRun, WindowsNode } from '../probes/k8s/node-jobs.js';
import { newRunId, runNodeChecks } from '../probes/k8s/node-jobs.js';
import { NODE_CHECKS } from '../protocol/k8s/node-job.js';
import { listed } from '../k8s/listed.js';
import type { InputError, LikelyCause } from '../report/model.js';
import { positiveNumber, repeatable } from './options.js';
import { UsageError } from './output.js';

export interface NodeCheckFlags {
  nodes?: boolean;
  yes?: boolean;
  image?: string;
  jobNamespace: string;
  node: string[];
  nodeTimeout: string;
  nodeConcurrency: string;
}

export interface NodeChecksRequest {
  client: K8sClient;
  /** The Windows nodes the scan read (Ready or not), as the API returned them. */
  nodes: readonly K8sObject[];
  /** Why the scan could not list the nodes (then there is nothing to run on). */
  nodesUnreadable?: string;
  /** The cluster, as the announcement names it. */
  cluster: string;
}

/** Merged into the scan's report: findings about each node (subject `Node/NAME`), what could not be checked. */
export interface NodeChecksResult {
  findings: Finding[];
  notChecked: NotChecked[];
  inputErrors: InputError[];
  /** Windows nodes whose facts came back and were judged. */
  judged: number;
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

/** What runs a node's checks when --nodes does not: the "how" of the scan's Not checked here part. */
export const NODE_CHECKS_HOW =
  'on each Windows node: `gmsa-doctor k8s --nodes --image IMAGE` (deploy/), or `gmsa-doctor check` there';

export function processIo(): NodeCheckIo {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    interactive,
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const abort = new AbortController();
      // Ctrl+C at the question answers no (readline would otherwise only pause).
      rl.once('SIGINT', () => abort.abort());
      try {
        return /^y(es)?$/i.test((await rl.question(question, { signal: abort.signal })).trim());
      } catch {
        return false;
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
      'also check every Windows node through a HostProcess Job on it (creates Jobs, after asking; removes them)',
    )
    .option('--yes', 'with --nodes: create the Jobs without asking')
    .option('--image <image>', 'with --nodes: the HostProcess image built from deploy/Dockerfile')
    .option('--node <name>', 'with --nodes: only this Windows node (repeatable)', repeatable, [])
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

/** The nodes to check: every Windows node, or those named with --node (each must be one). */
function chooseNodes(all: readonly K8sObject[], only: readonly string[]): WindowsNode[] {
  const nodes = all.map((object) => ({ name: object.metadata?.name ?? '', object })).filter((n) => n.name);
  if (only.length === 0) return nodes;
  const unknown = only.filter((name) => !nodes.some((n) => n.name === name));
  if (unknown.length > 0)
    throw new UsageError(
      `--node ${unknown.join(', ')}: not a Windows node of this cluster (Windows nodes: ${listed(nodes.map((n) => n.name)) || 'none'})`,
    );
  return nodes.filter((n) => only.includes(n.name));
}

/** What the command is about to create, said before it does. */
function announcement(cluster: string, nodes: readonly WindowsNode[], flags: NodeCheckFlags, image: string): string {
  const jobs = `${nodes.length} Job${nodes.length === 1 ? '' : 's'}`;
  return [
    `gmsa-doctor k8s --nodes creates resources in cluster ${cluster}:`,
    `  ${jobs} in namespace ${flags.jobNamespace}, one per Windows node (${listed(nodes.map((n) => n.name))}),`,
    `  each a HostProcess pod running ${image} as NT AUTHORITY\\SYSTEM on the node's network, at most ${flags.nodeConcurrency} at a time;`,
    `  each Job is deleted with its pod once its result is read (the cluster removes any left behind ${NODE_CHECKS.ttlSecondsAfterFinished} s after it ends).`,
  ].join('\n');
}

/** The node checks' part of the report when none ran: one finding saying why, the checks under Not checked here. */
async function nothingRun(message: string): Promise<NodeChecksResult> {
  // The judgement's modules are the scan's: loaded by then, and not at all for `k8s lint` or --help.
  const { NODE_CHECK_RULE, toFinding } = await import('../k8s/index.js');
  const { nodeCheckCatalogue } = await import('../plan/k8s.js');
  const { notChecked } = await import('../engine/check.js');
  return {
    findings: [toFinding(NODE_CHECK_RULE, { severity: 'skipped', subject: 'cluster', message })],
    notChecked: nodeCheckCatalogue().map((c) => notChecked(c, NODE_CHECKS_HOW)),
    inputErrors: [],
    judged: 0,
  };
}

function interruptedError(run: FleetRun): InputError[] {
  if (!run.interrupted) return [];
  const checked = run.outcomes.filter((o) => o.kind === 'collected').length;
  return [
    {
      file: 'k8s --nodes',
      reason: `interrupted: ${checked} of ${run.outcomes.length} nodes checked; ${run.cleanup.deleted.length} Job(s) it made removed`,
    },
  ];
}

/**
 * Checks the flags and whether the command may create anything (before the scan reads the cluster), and returns
 * what runs the node checks on the scan's Windows nodes.
 */
export function prepareNodeChecks(
  flags: NodeCheckFlags,
  io: NodeCheckIo = processIo(),
): (request: NodeChecksRequest) => Promise<NodeChecksResult> {
  const image = flags.image;
  if (!image)
    throw new UsageError(
      '--nodes needs --image IMAGE: the HostProcess image built from deploy/Dockerfile (see README)',
    );
  if (!flags.yes && !io.interactive)
    throw new UsageError(
      '--nodes creates one Job per Windows node and there is no terminal to ask on: pass --yes to create them',
    );
  const nodeTimeoutMs = positiveNumber('--node-timeout', flags.nodeTimeout) * 1000;
  const concurrency = Math.floor(positiveNumber('--node-concurrency', flags.nodeConcurrency));

  return async ({ client, nodes: windows, nodesUnreadable, cluster }) => {
    if (nodesUnreadable)
      return nothingRun(`the node checks did not run: the nodes could not be listed (${nodesUnreadable})`);
    const nodes = chooseNodes(windows, flags.node);
    if (nodes.length === 0)
      return nothingRun(
        'the node checks did not run: the cluster has no Windows node (label kubernetes.io/os=windows)',
      );
    io.say(announcement(cluster, nodes, flags, image));
    if (!flags.yes && !(await io.confirm('Create them? [y/N] '))) {
      io.say('Nothing was created.');
      return nothingRun('the node checks did not run: the Jobs were not agreed to, nothing was created');
    }
    const abort = new AbortController();
    const stopListening = io.onInterrupt(() => {
      io.say('\ninterrupted: removing the Jobs this run made (Ctrl+C again leaves them to their TTL)...');
      abort.abort();
    });
    let run: FleetRun;
    try {
      run = await runNodeChecks(client, nodes, {
        image,
        namespace: flags.jobNamespace,
        concurrency,
        nodeTimeoutMs,
        signal: abort.signal,
        runId: newRunId(),
        onProgress: ({ done, total, running }) =>
          io.progress?.(`node checks: ${done}/${total} done, ${running} running`),
      });
    } finally {
      stopListening();
      io.progress?.('');
    }
    const { judgeNodeRun } = await import('../plan/node-checks.js');
    const judged = await judgeNodeRun({ ...run, image });
    return {
      findings: [...judged.runFindings, ...judged.nodes.flatMap((n) => n.findings)],
      notChecked: judged.notChecked,
      inputErrors: [...judged.nodes.flatMap((n) => n.inputErrors), ...interruptedError(run)],
      judged: judged.nodes.filter((n) => n.judged).length,
    };
  };
}

/**
 * When the cause is a node's finding, the fleet's picture: on how many of the judged nodes the same check failed,
 * and which (a cause on one node of 500 reads differently from one on all of them).
 */
export function onNodes(
  cause: LikelyCause | undefined,
  findings: readonly Finding[],
  judged: number,
): LikelyCause | undefined {
  if (!cause) return cause;
  const nodes = new Set<string>();
  for (const f of findings)
    if (f.id === cause.findingId && f.severity === 'error' && f.subject?.startsWith('Node/'))
      nodes.add(f.subject.split(' ')[0]!.slice('Node/'.length));
  if (nodes.size === 0) return cause;
  const names = listed([...nodes].sort());
  return {
    ...cause,
    summary: `${cause.summary} On ${nodes.size} of ${judged} Windows node${judged === 1 ? '' : 's'} checked: ${names}.`,
  };
}
