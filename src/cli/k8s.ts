/**
 * `gmsa-doctor k8s`: a read-only scan of a cluster's gMSA setup through the kubeconfig's current context (also the
 * kubectl plugin `kubectl gmsa-doctor`); `gmsa-doctor k8s lint PATH...`: the same judgement of manifests, offline.
 * The Kubernetes client (about 1 s and 70 MB to load) is imported only when a scan runs.
 */
import type { Command } from 'commander';
import { KUBERNETES_CHAIN, KUBERNETES_NODE_CHAIN } from '../engine/chain.js';
import type { Finding } from '../engine/finding.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { InputError, Report } from '../report/model.js';
import type { NodeCheckFlags, NodeCheckIo } from './k8s-nodes.js';
import { addNodeCheckOptions, NODE_CHECKS_HOW, onNodes, prepareNodeChecks } from './k8s-nodes.js';
import { k8sProgress } from './k8s-progress.js';
import type { ScanProgressSink } from './k8s-progress.js';
import { positiveNumber } from './options.js';
import { emit, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions, SarifCatalogue } from './output.js';

const FORMATS = ['text', 'json', 'sarif', 'ci', 'html'] as const;

export interface ScanFlags extends OutputOptions, NodeCheckFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  insecureSkipTlsVerify?: boolean;
  timeout: string;
  concurrency: string;
}

export interface ScanEnvironment {
  env: NodeJS.ProcessEnv;
  progress?: ScanProgressSink;
  /** How `--nodes` asks and speaks (default: the terminal). */
  io?: NodeCheckIo;
}

/** The rules of the Kubernetes judgement describe SARIF's rules. */
const k8sCatalogue: SarifCatalogue = async () => {
  const { K8S_RULES, ruleDocs } = await import('../k8s/index.js');
  return K8S_RULES.map((rule) => ({ meta: { ...rule.meta, docs: ruleDocs(rule.meta) } }));
};

/** With --nodes, also the checks that judged each node (those of the credential spec are K8s rules already). */
const k8sNodesCatalogue: SarifCatalogue = async () => {
  const rules = await k8sCatalogue();
  const { ALL_CHECKS } = await import('../checks/index.js');
  const ids = new Set(rules.map((r) => r.meta.id));
  return [...rules, ...ALL_CHECKS.filter((c) => !ids.has(c.meta.id))];
};

function findingsReport(
  command: string,
  verdict: { findings: Finding[]; ignored: Finding[] },
  rest: Omit<Report, 'command' | 'findings' | 'ignored' | 'mostLikelyCause' | 'chain'>,
  /** With --nodes: how many Windows nodes were judged (the chain then runs through each node's host and AD). */
  nodesJudged?: number,
): Report {
  const chain = nodesJudged === undefined ? KUBERNETES_CHAIN : KUBERNETES_NODE_CHAIN;
  const cause = mostLikelyCause(verdict.findings, chain, { nameSubject: true });
  return {
    command,
    findings: verdict.findings,
    ignored: verdict.ignored,
    mostLikelyCause: nodesJudged === undefined ? cause : onNodes(cause, verdict.findings, nodesJudged),
    chain,
    ...rest,
  };
}

/** A read-only scan of the cluster the kubeconfig (or the pod's service account) names. */
export async function k8sScanReport(
  flags: ScanFlags,
  environment: ScanEnvironment = { env: process.env, progress: k8sProgress() },
): Promise<Report> {
  const started = performance.now();
  if (flags.namespace && flags.allNamespaces)
    throw new UsageError('-n and -A are exclusive: pick one namespace, or all');
  const timeoutMs = positiveNumber('--timeout', flags.timeout) * 1000;
  const concurrency = Math.floor(positiveNumber('--concurrency', flags.concurrency));
  const nodeChecks = flags.nodes ? prepareNodeChecks(flags, environment.io) : undefined;
  const { loadClusterTarget } = await import('../probes/k8s/config.js');
  const { K8sClient } = await import('../probes/k8s/client.js');
  const target = loadClusterTarget({
    env: environment.env,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
  });
  if (!target.ok) throw new UsageError(target.error.message);
  const client = new K8sClient(target.value, { timeoutMs, concurrency });
  const scope = flags.namespace ? `namespace ${flags.namespace}` : 'all namespaces';
  const where = `${target.value.server} (${target.value.source})`;
  const tls = target.value.tlsVerify ? '' : ', TLS verification off';
  // One cheap request first: a cluster that cannot be reached at all is one input error, not 25 skipped rules.
  const version = await client.serverVersion();
  if (!version.ok && version.error.kind !== 'forbidden') {
    const inputErrors: InputError[] = [{ file: `cluster ${target.value.server}`, reason: version.error.message }];
    return findingsReport(
      'k8s',
      { findings: [], ignored: [] },
      { inputErrors, durationMs: performance.now() - started, vantagePoint: `${where}${tls}` },
    );
  }
  const { scanCluster } = await import('../plan/k8s-scan.js');
  const { judgeScan } = await import('../plan/k8s.js');
  const scan = await scanCluster(client, {
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    inCluster: environment.env.KUBERNETES_SERVICE_HOST !== undefined,
    ...(environment.progress ? { onProgress: (event) => environment.progress!.update(event) } : {}),
  });
  environment.progress?.end();
  const verdict = judgeScan(scan.model, nodeChecks ? undefined : NODE_CHECKS_HOW);
  const inputErrors: InputError[] = [];
  let nodesJudged: number | undefined;
  if (nodeChecks) {
    const nodes = scan.model.resources.nodes;
    const windows = (nodes?.state === 'complete' ? nodes.items : [])
      .map((n) => n.object)
      .filter((n) => n.metadata?.labels?.['kubernetes.io/os'] === 'windows');
    const result = await nodeChecks({
      client,
      nodes: windows,
      cluster: where,
      ...(nodes?.state === 'unavailable' ? { nodesUnreadable: nodes.reason } : {}),
    });
    verdict.findings.push(...result.findings);
    verdict.notChecked.push(...result.notChecked);
    inputErrors.push(...result.inputErrors);
    nodesJudged = result.judged;
  }
  return findingsReport(
    'k8s',
    verdict,
    {
      inputErrors,
      notChecked: verdict.notChecked,
      durationMs: performance.now() - started,
      vantagePoint: `${where}${version.ok ? `, Kubernetes ${version.value.gitVersion}` : ''}, ${scope}${tls}${nodesJudged ? `; ${nodesJudged} Windows node${nodesJudged === 1 ? '' : 's'} through a HostProcess Job each` : ''}`,
    },
    nodesJudged,
  );
}

/** `k8s lint`: manifests in files, folders or standard input, judged offline. */
export async function k8sLintReport(paths: readonly string[]): Promise<Report> {
  const started = performance.now();
  if (paths.length === 0) throw new UsageError('k8s lint needs at least one PATH (a file, a folder, or - for stdin)');
  const { lintManifestPaths } = await import('../plan/k8s.js');
  const verdict = await lintManifestPaths(paths);
  return findingsReport('k8s lint', verdict, {
    inputErrors: verdict.inputErrors,
    notChecked: verdict.notChecked,
    durationMs: performance.now() - started,
  });
}

function registerLint(k8s: Command): void {
  const lint = k8s
    .command('lint')
    .argument(
      '<paths...>',
      'manifest files or folders (multi-document YAML, Helm or Kustomize output, JSON); - for stdin',
    )
    .description(
      'judge manifests offline, before they reach a cluster: credspecs, pods and workloads, RBAC, the CRD, the webhook',
    );
  withOutputOptions(lint, FORMATS).action(async (paths: string[], flags: OutputOptions) => {
    await emit(await k8sLintReport(paths), flags, k8sCatalogue);
  });
}

/**
 * `name` is `k8s`, or `gmsa-doctor` when run as the kubectl plugin (the program is then `kubectl`). Only the
 * subcommand named in argv gets its options: `k8s` and `k8s lint` share option names (--format).
 */
export function registerK8s(program: Command, argv: readonly string[] = [], name = 'k8s'): Command {
  const k8s = program
    .command(name)
    .description(
      "scan a cluster's gMSA setup, read-only: CRD, GMSACredentialSpecs, pods and workloads, RBAC, webhook, Windows nodes",
    );
  if (argv[argv.indexOf(name) + 1] === 'lint') {
    registerLint(k8s);
    return k8s;
  }
  k8s
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, or the pod service account)')
    .option('--context <name>', "kubeconfig context (default: the kubeconfig's current context)")
    .option('-n, --namespace <namespace>', "only this namespace's pods and workloads (default: all namespaces)")
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .option('--insecure-skip-tls-verify', "do not verify the API server's certificate (not recommended)")
    .option('--timeout <seconds>', 'deadline of each request to the API server', '15')
    .option('--concurrency <n>', 'requests in flight at once', '8');
  addNodeCheckOptions(k8s);
  withOutputOptions(k8s, FORMATS).action(async (flags: ScanFlags) => {
    await emit(await k8sScanReport(flags), flags, flags.nodes ? k8sNodesCatalogue : k8sCatalogue);
  });
  registerLint(k8s);
  return k8s;
}
