// What `gmsa-doctor k8s --nodes` costs once the Jobs have answered: judging N node results, each the pod log a
// node-check Job printed (`gmsa-doctor collect -o -` on a containerd node: its summary line and its facts file,
// made here by the real collect from the crictl transcripts of test/fixtures/containerd), every tenth node a Job
// whose image could not be pulled. Each log is parsed, validated as `analyze` validates a facts file, and judged by
// the catalogue's checks, findings placed on their node. Each size is a fresh node process (its peak RSS is the
// judgement's). Medians of 5 runs.
// Run: npm run build && node bench/k8s-nodes.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, table } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 5;
const fixture = (dir, name) => readFileSync(join(ROOT, 'test/fixtures', dir, name), 'utf8');

/** One node's pod log, as test/helpers/crictl-node.ts makes it for the tests. */
async function nodeLog() {
  const { collectFacts, factsOnStandardOutput } = await import(join(ROOT, 'dist/cli/collect.js'));
  const { ReplayRunner } = await import(join(ROOT, 'dist/probes/commands.js'));
  const iis = '6c6d8c7cc2ebe7a0aaadca138d1727b0dcbbeca6ca71d5731c89bcb54d781d97';
  const containers = [
    iis,
    '51d3682fe084d49a83551571255d32032575e16069730d10e93770ff6cf60da2',
    '1be817391e27c1482515be295819aff595b3a1eacf581cbcb3772d31f008a1e1',
  ];
  const sandboxes = [
    '75387bc260d7716eb1da7c47e6778f5749b8e7b4f7e6077517ddc833bd6ce6d5',
    'f6ea4dbccf0c765204848a77318dde1652b8c2459f0c8de7145aa3c925ccd2ca',
    '49718a97a04b9f7c3c97d748b6d0bc1c612dc7cad55ae499b5af3712e6974c67',
  ];
  const entry = (args, file) => ({ command: `crictl ${args}`, output: fixture('containerd', file) });
  const runner = new ReplayRunner([
    entry('pods -o json', 'crictl-pods.json'),
    entry('ps -a -o json', 'crictl-ps-a.json'),
    ...containers.map((id) => entry(`inspect -o json ${id}`, `crictl-inspect-${id.slice(0, 13)}.json`)),
    ...sandboxes.map((id) => entry(`inspectp -o json ${id}`, `crictl-inspectp-${id.slice(0, 13)}.json`)),
    ...ReplayRunner.execIn('crictl', iis, fixture('host', 'xiaoping8385-TKGi-GMSA__nltest-query-success.txt')),
  ]);
  process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
  const options = {
    gmsas: [],
    credspec: [],
    clientNames: [],
    inspect: [],
    events: [],
    containers: [],
    timeoutMs: 3000,
    ldap: { transport: 'ldaps', insecureTls: false, kerberos: false },
  };
  const saved = await collectFacts(options, { windows: true, docker: false, runner }, undefined);
  const { stderr, stdout } = factsOnStandardOutput(saved);
  return stderr + stdout;
}

if (process.argv[2] === '--judge') {
  const nodes = Number(process.argv[3]);
  const log = await nodeLog();
  const { judgeNodeRun } = await import(join(ROOT, 'dist/plan/node-checks.js'));
  const outcomes = Array.from({ length: nodes }, (_, i) => {
    const node = `akswin${String(i).padStart(6, '0')}`;
    if (i % 10 === 9)
      return {
        node,
        kind: 'failed',
        stage: 'pull',
        reason: 'ErrImagePull',
        message: 'failed to pull and unpack image "contoso.azurecr.io/gmsa-doctor-node:0.1.0": not found',
        job: `gmsa-doctor-node-${i}`,
        pod: `gmsa-doctor-node-${i}-x`,
      };
    return {
      node,
      kind: 'collected',
      job: `gmsa-doctor-node-${i}`,
      pod: `gmsa-doctor-node-${i}-x`,
      log,
      exitCode: 0,
      truncated: false,
    };
  });
  const t0 = performance.now();
  const judged = await judgeNodeRun({
    outcomes,
    cleanup: { deleted: outcomes.map((o) => o.job), failed: [] },
    namespace: 'gmsa-doctor',
    image: 'contoso.azurecr.io/gmsa-doctor-node:0.1.0',
  });
  const ms = performance.now() - t0;
  const findings = judged.runFindings.length + judged.nodes.reduce((n, j) => n + j.findings.length, 0);
  console.log(
    JSON.stringify({
      ms,
      rssMb: process.resourceUsage().maxRSS / 1024,
      findings,
      logBytes: Buffer.byteLength(log),
      judged: judged.nodes.filter((n) => n.judged).length,
    }),
  );
  process.exit(0);
}

const rows = [];
for (const nodes of [100, 500, 1000]) {
  const runs = Array.from({ length: RUNS }, () => {
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--judge', String(nodes)], {
      encoding: 'utf8',
    });
    if (out.status !== 0) throw new Error(out.stderr);
    return JSON.parse(out.stdout.trim().split('\n').at(-1));
  });
  const ms = median(runs.map((r) => r.ms));
  const last = runs.at(-1);
  rows.push([
    nodes,
    last.judged,
    `${ms.toFixed(0)} ms`,
    `${(ms / nodes).toFixed(2)} ms`,
    `${median(runs.map((r) => r.rssMb)).toFixed(0)} MB`,
    last.findings.toLocaleString('en'),
    `${(last.logBytes / 1024).toFixed(1)} KB`,
  ]);
}
console.log(
  table(
    ['node results', 'judged (facts came back)', 'judge time', 'per node', 'peak RSS', 'findings', 'log per node'],
    rows,
  ),
);
