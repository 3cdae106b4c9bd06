// `gmsa-doctor k8s` on a simulated cluster, through the CLI: the test API server in its own process
// (bench/k8s-cluster.mjs: 1,000 GMSACredentialSpecs, each used by one Deployment, 500 Windows nodes, the webhook
// running) and the CLI in a fresh process per run, so its wall time and peak RSS are a user's. Rows vary the pods
// (those that use a gMSA and the others), to show that memory follows the gMSA pods, not the cluster. Then the time
// to judge 500 node results: 500 facts files as `collect` writes them on a Windows node (the bundled example, one
// per node), judged in one process by analyze's checks, as `k8s --nodes` judges what each node's Job printed.
// Medians of RUNS runs. Run: npm run build && npm run bundle && node bench/k8s-scan.mjs [--runs N] (without the
// bundle, the tsc build only).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, table, transpileForNode } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, judge: { type: 'boolean' } } });
const RUNS = Number(values.runs);

if (values.judge) {
  await judgeNodeResults(500);
  process.exit(0);
}

const cache = join(ROOT, 'node_modules/.cache/gmsa-doctor-bench');
await transpileForNode(
  ROOT,
  [
    'test/helpers/k8s-api-server.ts',
    'test/helpers/k8s-api-store.ts',
    'test/helpers/k8s-tls.ts',
    'test/helpers/go-template.ts',
    'src/protocol/k8s/label-selector.ts',
    'src/protocol/k8s/rbac.ts',
    'src/protocol/k8s/structural-schema.ts',
  ],
  cache,
);

const bundle = join(ROOT, 'build/bundle/gmsa-doctor.cjs');
const clis = [['tsc build', join(ROOT, 'bin/gmsa-doctor.js')]];
if (existsSync(bundle)) clis.push(['esbuild bundle', bundle]);

const rows = [];
// One gMSA pod per Deployment, the other pods growing (memory flat in them); then every pod with a gMSA (10 replicas
// of each Deployment: what the scan keeps and judges grows with those).
const HEADLINE = [10_000, 1_000, 1_000, 500];
for (const [pods, gmsaPods, credspecs, nodes] of [
  [1_000, 1_000, 1_000, 500],
  [5_000, 1_000, 1_000, 500],
  HEADLINE,
  [40_000, 1_000, 1_000, 500],
  [10_000, 10_000, 1_000, 500],
]) {
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-bench-scan-'));
  const server = spawn(
    process.execPath,
    [
      join(ROOT, 'bench/k8s-cluster.mjs'),
      cache,
      ROOT,
      dir,
      String(pods),
      String(gmsaPods),
      String(credspecs),
      String(nodes),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const ready = JSON.parse(
    await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)),
  );
  for (const [name, cli] of pods === HEADLINE[0] && gmsaPods === HEADLINE[1] ? clis : clis.slice(0, 1)) {
    const out = join(dir, 'report.json');
    const runs = Array.from({ length: RUNS }, () => {
      const child = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%e %M %U %S',
          process.execPath,
          cli,
          'k8s',
          '--kubeconfig',
          ready.kubeconfig,
          '--format',
          'json',
          '-o',
          out,
        ],
        { encoding: 'utf8' },
      );
      const [seconds, kb, user, system] = child.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      if (report.inputErrors.length || report.exitCode === 2) throw new Error(JSON.stringify(report.inputErrors));
      // The simulated cluster is healthy: an error means the bench measures a broken scan.
      if (report.summary.error > 0)
        throw new Error(JSON.stringify(report.findings.find((f) => f.severity === 'error')));
      return {
        ms: seconds * 1000,
        cpuMs: (user + system) * 1000,
        rssMb: kb / 1024,
        findings: report.findings.length,
        warnings: report.summary.warning,
      };
    });
    rows.push([
      `${pods.toLocaleString('en-US')} (${gmsaPods.toLocaleString('en-US')} with a gMSA) / ${credspecs} / ${nodes}`,
      name,
      median(runs.map((r) => r.ms)).toFixed(0),
      median(runs.map((r) => r.cpuMs)).toFixed(0),
      median(runs.map((r) => r.rssMb)).toFixed(0),
      `${runs[0].findings} (${runs[0].warnings} warnings)`,
    ]);
  }
  server.stdin.end();
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}

// The machine's load at the time: how long Node takes to start and do nothing (57 ms on this 2-core machine when idle).
const nodeStart = median(
  Array.from({ length: RUNS }, () => {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return performance.now() - t0;
  }),
);
console.log(
  `gmsa-doctor k8s through the CLI, medians of ${RUNS} runs, node ${process.version}; \`node -e 0\` took ${nodeStart.toFixed(0)} ms\n`,
);
console.log(
  table(['pods / credspecs / Windows nodes', 'CLI', 'wall ms', 'CPU ms (user+sys)', 'peak RSS MB', 'findings'], rows),
);

const judged = Array.from({ length: RUNS }, () => {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--judge'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
});
console.log(`\nJudging 500 node results (facts files as collect writes them), one process, medians of ${RUNS} runs\n`);
console.log(
  table(
    ['node results', 'judge ms', 'per node ms', 'peak RSS MB', 'findings'],
    [
      [
        '500',
        median(judged.map((r) => r.ms)).toFixed(0),
        (median(judged.map((r) => r.ms)) / 500).toFixed(2),
        median(judged.map((r) => r.rssMb)).toFixed(0),
        String(judged[0].findings),
      ],
    ],
  ),
);

/** 500 nodes' facts (the bundled example, its host renamed per node), each read and judged as analyze does. */
async function judgeNodeResults(count) {
  const { analyzeFacts, loadFactsFile } = await import(join(ROOT, 'dist/cli/analyze.js'));
  const text = readFileSync(join(ROOT, 'examples/facts/containerhost02.json'), 'utf8');
  const files = Array.from({ length: count }, (_, i) =>
    text.replaceAll('CONTAINERHOST02', `AKSWIN${String(i).padStart(6, '0')}`),
  );
  const t0 = performance.now();
  let findings = 0;
  for (const [i, file] of files.entries())
    findings += (await analyzeFacts(loadFactsFile(file, `node-${i}.json`))).findings.length;
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, findings, rssMb: process.resourceUsage().maxRSS / 1024 }));
}
