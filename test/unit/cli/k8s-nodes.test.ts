// `gmsa-doctor k8s --nodes` as a user runs it, through the real Kubernetes client against the test API server, whose
// Job controller and kubelets (test/helpers/k8s-job-controller.ts) run each node's Job and serve, as its pod's log,
// what `gmsa-doctor collect -o -` really prints on a containerd node (the crictl transcripts of
// test/fixtures/containerd). The only command that creates anything in a cluster: it says so, asks or refuses, makes
// one Job per Windows node, removes them all (also when interrupted), and judges every node in one report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScanFlags } from '../../../src/cli/k8s.js';
import { k8sScanReport } from '../../../src/cli/k8s.js';
import type { NodeCheckIo } from '../../../src/cli/k8s-nodes.js';
import type { Finding } from '../../../src/engine/finding.js';
import { exitCodeOf } from '../../../src/report/model.js';
import type { Report } from '../../../src/report/model.js';
import { cli } from '../../helpers/cli.js';
import { collectLogOfNode } from '../../helpers/crictl-node.js';
import type { K8sApiServer, NodeBehaviour } from '../../helpers/k8s-api-server.js';
import type { KeyPair } from '../../helpers/k8s-tls.js';
import { healthyCluster, startWebhook, WebhookPki } from '../kubernetes/clusters.js';
import { windowsNode } from '../kubernetes/helpers.js';

const IMAGE = 'contoso.azurecr.io/gmsa-doctor-node:0.1.0';
const deploy = (file: string): string => fileURLToPath(new URL(`../../../deploy/${file}`, import.meta.url));
const PRUNED_IIS = 'web/webapp-pruned-6f7d9c4b8-m8zrt/iis';

let dir: string;
let webhookPki: WebhookPki;
let serving: KeyPair;
let nodeLog: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gmsa-k8s-nodes-'));
  webhookPki = new WebhookPki(dir);
  serving = webhookPki.serving();
  nodeLog = await collectLogOfNode();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: K8sApiServer | undefined;
let webhook: { port: number; close(): Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  await webhook?.close();
  server = webhook = undefined;
});

/**
 * The healthy cluster of the scan's tests with Windows nodes akswin000000.. (each behaving as `behaviours` says;
 * default: runs collect and prints its facts), deploy/'s namespace and RBAC applied unless `deployed` is false.
 */
async function fleet(
  behaviours: NodeBehaviour[],
  options: { deployed?: boolean; rbac?: boolean } = {},
): Promise<{ server: K8sApiServer; kubeconfig: string }> {
  webhook = await startWebhook(serving);
  const s = await healthyCluster({ webhookPki, serving, webhookPort: webhook.port });
  server = s;
  behaviours.forEach((behaviour, i) => {
    const name = `akswin00000${i}`;
    if (i > 0) s.add(windowsNode(name, '10.0.20348.2527'));
    s.jobs.node(name, behaviour);
  });
  if (options.deployed !== false) for (const file of ['namespace.yaml', 'rbac.yaml']) s.loadFile(deploy(file));
  return { server: s, kubeconfig: s.writeKubeconfig() };
}

const runs = (): NodeBehaviour => ({ run: { log: nodeLog } });

/** What is left in the Jobs' namespace: Jobs and pods. */
function leftovers(s: K8sApiServer): string[] {
  const of = (resource: string, group = '') =>
    s.store
      .stored(s.store.typeFor(group, 'v1', resource)!, 'gmsa-doctor')
      .map((o) => `${resource}/${o.object.metadata.name as string}`);
  return [...of('jobs', 'batch'), ...of('pods')];
}

/**
 * What is left once the garbage collector has acted on the deletes (it removes a Job's pods after the Job, as in a
 * cluster): polled for up to 5 s, so pods orphaned by a delete without propagation stay and fail the test.
 */
async function leftAfterGc(s: K8sApiServer): Promise<string[]> {
  for (let waited = 0; leftovers(s).length > 0 && waited < 5000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return leftovers(s);
}

/** A person at a terminal: answers `answer`, and can press Ctrl+C through `interrupt`. */
function terminal(answer: boolean): NodeCheckIo & { said: string[]; asked: string[]; interrupt: () => void } {
  let stop: (() => void) | undefined;
  const io = {
    interactive: true,
    said: [] as string[],
    asked: [] as string[],
    confirm: (question: string) => (io.asked.push(question), Promise.resolve(answer)),
    say: (text: string) => void io.said.push(text),
    onInterrupt: (s: () => void) => ((stop = s), () => (stop = undefined)),
    interrupt: () => stop?.(),
  };
  return io;
}

function flags(kubeconfig: string, extra: Partial<ScanFlags> = {}): ScanFlags {
  return {
    kubeconfig,
    timeout: '15',
    concurrency: '8',
    nodes: true,
    image: IMAGE,
    jobNamespace: 'gmsa-doctor',
    node: [],
    nodeTimeout: '30',
    nodeConcurrency: '10',
    format: 'json',
    color: false,
    ...extra,
  };
}

const nodeFindings = (report: Report, node: string): Finding[] =>
  report.findings.filter((f) => f.subject === `Node/${node}` || f.subject?.startsWith(`Node/${node} `));

describe('gmsa-doctor k8s --nodes', () => {
  it('--yes: one Job per Windows node from deploy/, every node judged in one report, nothing left behind', async () => {
    const { server: s, kubeconfig } = await fleet([runs(), runs()]);
    const { code, out, err } = await cli(
      'k8s',
      '--kubeconfig',
      kubeconfig,
      '--nodes',
      '--yes',
      '--image',
      IMAGE,
      '--format',
      'json',
    );
    expect(code).toBe(1);
    expect(err).toMatch(
      /^gmsa-doctor k8s --nodes creates resources in cluster https:\/\/127\.0\.0\.1:\d+ \(kubeconfig /m,
    );
    expect(err).toContain('  2 Jobs in namespace gmsa-doctor, one per Windows node (akswin000000, akswin000001),');
    const report = JSON.parse(out) as Report;

    // The Jobs: unique names from generateName, pinned to their node, tolerating every taint, removed by the API's TTL
    // if the runner could not.
    const jobs = s.jobs.created;
    expect(jobs.map((j) => j.spec.template.spec.nodeName as string).sort()).toEqual(['akswin000000', 'akswin000001']);
    expect(new Set(jobs.map((j) => j.metadata.name as string)).size).toBe(2);
    for (const job of jobs) {
      expect(job.metadata.name).toMatch(/^gmsa-doctor-node-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(job.spec).toMatchObject({ ttlSecondsAfterFinished: 600, activeDeadlineSeconds: 300, backoffLimit: 0 });
      expect(job.spec.template.spec).toMatchObject({
        tolerations: [{ operator: 'Exists' }],
        securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' } },
        containers: [
          { image: IMAGE, command: ['%CONTAINER_SANDBOX_MOUNT_POINT%\\gmsa-doctor.exe', 'collect', '-o', '-'] },
        ],
      });
    }
    expect(await leftAfterGc(s)).toEqual([]);

    // Each node's containers, judged by the container checks of `check`, under the node's name.
    for (const node of ['akswin000000', 'akswin000001']) {
      const mine = nodeFindings(report, node);
      expect(
        mine.find((f) => f.id === 'container/credspec-resolves' && f.subject === `Node/${node} ${PRUNED_IIS}`),
      ).toMatchObject({
        severity: 'error',
        message: expect.stringMatching(/names no gMSA \(\{\}\).*windows-gmsa#31/) as unknown,
      });
      expect(
        mine.find(
          (f) => f.id === 'container/credspec-applied' && f.subject === `Node/${node} web/webapp-7c9f6d8b5-x2kqp/iis`,
        ),
      ).toMatchObject({ severity: 'pass' });
    }
    // A place a report shows instead of the subject (the event log read) is on its node too.
    const located = report.findings.filter((f) => f.id === 'events/log-readable');
    expect(located.map((f) => f.location?.file).sort()).toEqual([
      'Node/akswin000000 live: wevtutil qe',
      'Node/akswin000001 live: wevtutil qe',
    ]);
    // The scan's own findings stay beside them.
    expect(report.findings.some((f) => f.id === 'k8s/credspec-exists')).toBe(true);
    expect(report.mostLikelyCause?.summary).toMatch(/On 2 of 2 Windows nodes checked: akswin000000, akswin000001\.$/);
    expect(report.vantagePoint).toMatch(/; 2 Windows nodes through a HostProcess Job each$/);
  });

  it('sarif: every node finding points at a rule the run describes', async () => {
    const { kubeconfig } = await fleet([runs()]);
    const { out } = await cli(
      'k8s',
      '--kubeconfig',
      kubeconfig,
      '--nodes',
      '--yes',
      '--image',
      IMAGE,
      '--format',
      'sarif',
    );
    const run = (
      JSON.parse(out) as {
        runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }[];
      }
    ).runs[0]!;
    const resolves = run.results.find((r) => r.ruleId === 'container/credspec-resolves');
    expect(resolves && run.tool.driver.rules[resolves.ruleIndex]?.id).toBe('container/credspec-resolves');
    expect(run.results.every((r) => run.tool.driver.rules[r.ruleIndex]?.id === r.ruleId)).toBe(true);
  });

  it('without a terminal and without --yes: refuses before reading the cluster, names the flag, exit 2', async () => {
    const { server: s, kubeconfig } = await fleet([runs()]);
    const { code, out, err } = await cli('k8s', '--kubeconfig', kubeconfig, '--nodes', '--image', IMAGE);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('there is no terminal to ask on: pass --yes to create them');
    expect(s.requests).toEqual([]);
  });

  it('--nodes without --image: says which image and where it comes from, exit 2', async () => {
    const { kubeconfig } = await fleet([runs()]);
    const { code, err } = await cli('k8s', '--kubeconfig', kubeconfig, '--nodes', '--yes');
    expect(code).toBe(2);
    expect(err).toContain('--nodes needs --image IMAGE: the HostProcess image built from deploy/Dockerfile');
  });

  it('at a terminal: asks once after saying what it creates; no creates nothing and reports the scan', async () => {
    const { server: s, kubeconfig } = await fleet([runs()]);
    const io = terminal(false);
    const report = await k8sScanReport(flags(kubeconfig), { env: {}, io });
    expect(io.said[0]).toMatch(
      /creates resources in cluster .*\n {2}1 Job in namespace gmsa-doctor, one per Windows node \(akswin000000\),/,
    );
    expect(io.asked).toEqual(['Create them? [y/N] ']);
    expect(s.requests.filter((r) => r.method !== 'GET' && r.resource !== 'localsubjectaccessreviews')).toEqual([]);
    expect(report.findings.find((f) => f.id === 'k8s/node-check')).toMatchObject({
      severity: 'skipped',
      message: 'the node checks did not run: the Jobs were not agreed to, nothing was created',
    });
    expect(report.notChecked?.find((n) => n.id === 'container/credspec-resolves')?.how).toMatch(
      /k8s --nodes --image IMAGE/,
    );
    expect(exitCodeOf(report)).toBe(0);
  });

  it('a node whose Job failed or ran out of time is "not checked" with the reason; the others are judged', async () => {
    const { server: s, kubeconfig } = await fleet([
      runs(),
      {
        waiting: {
          reason: 'ErrImagePull',
          message: `failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": ${IMAGE}: not found`,
        },
      },
      'never-starts',
      {
        rejected: {
          reason: 'NodeAffinity',
          message: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
        },
      },
      {
        run: { log: 'Error: The specified executable is not a valid application for this OS platform.\n', exitCode: 1 },
      },
    ]);
    const report = await k8sScanReport(flags(kubeconfig, { nodeTimeout: '1', yes: true }), {
      env: {},
      io: terminal(true),
    });
    const notChecked = (node: string) => nodeFindings(report, node).find((f) => f.id === 'k8s/node-check');
    expect(nodeFindings(report, 'akswin000000').some((f) => f.id === 'container/credspec-resolves')).toBe(true);
    expect(notChecked('akswin000000')).toBeUndefined();
    expect(notChecked('akswin000001')).toMatchObject({
      severity: 'skipped',
      message: expect.stringMatching(
        /^not checked: its pod could not pull the image \(ErrImagePull: failed to pull/,
      ) as unknown,
      remediation: {
        commands: [
          expect.stringContaining('docker buildx build --platform windows/amd64 -f deploy/Dockerfile') as unknown,
          expect.stringMatching(/^kubectl -n gmsa-doctor describe pod gmsa-doctor-node-/) as unknown,
        ],
      },
    });
    expect(notChecked('akswin000002')).toMatchObject({
      message: expect.stringMatching(
        /^not checked: it gave no result in time \(DeadlineExceeded: no result within 1 s: pod gmsa-doctor-node-\w+-\w+ was still Pending\)$/,
      ) as unknown,
    });
    expect(notChecked('akswin000003')?.message).toMatch(
      /^not checked: its pod was refused \(NodeAffinity: Pod was rejected/,
    );
    expect(notChecked('akswin000004')?.message).toMatch(
      /^not checked: pod \S+ ended \(exit code 1\) but the log holds no gmsa-doctor facts file$/,
    );
    expect(notChecked('akswin000004')?.evidence?.logTail).toEqual([
      'Error: The specified executable is not a valid application for this OS platform.',
    ]);
    expect(await leftAfterGc(s)).toEqual([]);
    // The cause counts the nodes that were judged, not those that gave nothing.
    expect(report.mostLikelyCause?.summary).toMatch(/On 1 of 1 Windows node checked: akswin000000\.$/);
  });

  it('no namespace (deploy/ not applied): the first create fails, the other nodes are not tried, exit 0 with the reason', async () => {
    const { server: s, kubeconfig } = await fleet([runs(), runs(), runs()], { deployed: false });
    const report = await k8sScanReport(flags(kubeconfig, { nodeConcurrency: '1', yes: true }), {
      env: {},
      io: terminal(true),
    });
    const mine = report.findings.filter((f) => f.id === 'k8s/node-check');
    expect(mine[0]).toMatchObject({
      subject: 'Node/akswin000000',
      message:
        'not checked: its Job could not be created (not found: create batch/jobs in namespace "gmsa-doctor" (namespaces "gmsa-doctor" not found))',
      remediation: { commands: ['kubectl apply -k deploy/'] },
    });
    expect(mine[1]).toMatchObject({
      subject: '2 nodes',
      message: expect.stringMatching(
        /^not checked: not tried: a Job could not be created .* \(akswin000001, akswin000002\)$/,
      ) as unknown,
    });
    expect(s.requests.filter((r) => r.method === 'POST' && r.resource === 'jobs')).toHaveLength(1);
    expect(exitCodeOf(report)).toBe(0);
  });

  it('Ctrl+C while the pods start: every Job made is removed, the report says how far it got, exit 2', async () => {
    const { server: s, kubeconfig } = await fleet(['never-starts', 'never-starts', 'never-starts']);
    const io = terminal(true);
    const pending = k8sScanReport(flags(kubeconfig, { nodeConcurrency: '2', yes: true }), { env: {}, io });
    while (s.jobs.created.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    io.interrupt();
    const report = await pending;
    expect(io.said.at(-1)).toContain('interrupted: removing the Jobs this run made');
    expect(await leftAfterGc(s)).toEqual([]);
    expect(s.jobs.created).toHaveLength(2);
    expect(report.inputErrors).toEqual([
      { file: 'k8s --nodes', reason: 'interrupted: 0 of 3 nodes checked; 2 Job(s) it made removed' },
    ]);
    expect(report.findings.filter((f) => f.id === 'k8s/node-check').map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^not checked: it gave no result in time \(Interrupted: interrupted (while pod \S+ was Pending|before the Job controller made its pod)\)$/,
      ),
      expect.stringMatching(/^not checked: it gave no result in time \(Interrupted: /),
      'not checked: the run was interrupted before it started',
    ]);
    expect(exitCodeOf(report)).toBe(2);
  });

  it('bounded: never more Jobs at once than --node-concurrency', async () => {
    const slow = (): NodeBehaviour => ({ run: { log: nodeLog, afterMs: 60 } });
    const { server: s, kubeconfig } = await fleet([slow(), slow(), slow(), slow(), slow()]);
    const report = await k8sScanReport(flags(kubeconfig, { nodeConcurrency: '2', yes: true }), {
      env: {},
      io: terminal(true),
    });
    expect(s.jobs.created).toHaveLength(5);
    expect(s.jobs.mostAtOnce).toBe(2);
    expect(report.mostLikelyCause?.summary).toMatch(/On 5 of 5 Windows nodes checked/);
  });

  it("deploy/rbac.yaml's runner role is all the node checks need", async () => {
    const { server: s } = await fleet([runs()]);
    s.addToken('runner-token', {
      name: 'system:serviceaccount:gmsa-doctor:gmsa-doctor-runner',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:gmsa-doctor', 'system:authenticated'],
    });
    s.authorization = 'rbac';
    const runner = s.writeKubeconfig('runner', { token: 'runner-token' });
    const report = await k8sScanReport(flags(runner, { yes: true }), { env: {}, io: terminal(true) });
    // The scan's own cluster-wide reads are refused (it says so under Not checked here); the node checks' are not.
    const nodeChecks = s.requests.filter((r) => r.path.includes('/namespaces/gmsa-doctor/') || r.resource === 'nodes');
    expect(nodeChecks.map((r) => `${r.verb} ${r.resource}`)).toEqual(
      expect.arrayContaining(['create jobs', 'delete jobs']),
    );
    expect(nodeChecks.filter((r) => r.status >= 400)).toEqual([]);
    expect(nodeFindings(report, 'akswin000000').some((f) => f.id === 'container/credspec-resolves')).toBe(true);
    expect(await leftAfterGc(s)).toEqual([]);
  });
});
