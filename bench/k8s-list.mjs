// What the cluster scan's reads cost: listing 10,000 pods, 1,000 GMSACredentialSpecs and 500 Windows nodes from the
// local HTTPS API server (bench/k8s-server.mjs, its own process) through the client (dist/probes/k8s, over
// @kubernetes/client-node), pages of 500, the three lists at once. Each measurement is a fresh node process, so its
// peak RSS is the client's alone. Two ways to consume: `list` keeps every object (what a scan holding all pods
// needs), `pages` looks at one page at a time and keeps nothing (memory flat in the number of pods).
// Medians of 5 runs. Run: npm run build && node bench/k8s-list.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { median, table, transpileForNode } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 5;

if (process.argv[2] === '--client') {
  await measureClient(process.argv[3], process.argv[4]);
  process.exit(0);
}

const cache = join(ROOT, 'node_modules/.cache/gmsa-doctor-bench');
await transpileForNode(
  ROOT,
  [
    'test/helpers/k8s-api-server.ts',
    'test/helpers/k8s-api-store.ts',
    'test/helpers/k8s-tls.ts',
    'src/protocol/k8s/label-selector.ts',
    'src/protocol/k8s/rbac.ts',
    'src/protocol/k8s/structural-schema.ts',
  ],
  cache,
);

const rows = [];
for (const [pods, credspecs, nodes] of [
  [1_000, 1_000, 500],
  [10_000, 1_000, 500],
  [20_000, 1_000, 500],
]) {
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-bench-k8s-'));
  const server = spawn(
    process.execPath,
    [join(ROOT, 'bench/k8s-server.mjs'), cache, ROOT, dir, String(pods), String(credspecs), String(nodes)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const ready = JSON.parse(
    await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)),
  );
  for (const mode of ['list', 'pages']) {
    const runs = Array.from({ length: RUNS }, () => {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', fileURLToPath(import.meta.url), '--client', ready.kubeconfig, mode],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(child.stderr);
      return JSON.parse(child.stdout);
    });
    const counts = runs[0].counts;
    if (counts.pods !== pods || counts.gmsacredentialspecs !== credspecs || counts.nodes !== nodes)
      throw new Error(`wrong counts ${JSON.stringify(counts)}`);
    rows.push([
      `${pods} / ${credspecs} / ${nodes}`,
      mode,
      String(runs[0].requests),
      median(runs.map((r) => r.ms)).toFixed(0),
      median(runs.map((r) => r.cpuMs)).toFixed(0),
      median(runs.map((r) => r.maxRssMb)).toFixed(0),
      median(runs.map((r) => r.baselineRssMb)).toFixed(0),
      median(runs.map((r) => r.retainedMb)).toFixed(1),
    ]);
  }
  server.stdin.end();
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}

console.log(`Cluster reads through the client, pages of 500, medians of ${RUNS} runs, node ${process.version}\n`);
console.log(
  table(
    [
      'pods / credspecs / nodes',
      'consumer',
      'requests',
      'wall ms',
      'client CPU ms',
      'peak RSS MB',
      'RSS once loaded MB',
      'heap kept MB',
    ],
    rows,
  ),
);
console.log('\nRSS once loaded: the client process after importing @kubernetes/client-node, before the first request.');
console.log(
  'Heap kept: heap in use after the lists and a full GC, with the lists still referenced (list) or nothing kept (pages).',
);

async function measureClient(kubeconfig, mode) {
  const { loadClusterTarget } = await import(join(ROOT, 'dist/probes/k8s/config.js'));
  const { K8sClient } = await import(join(ROOT, 'dist/probes/k8s/client.js'));
  const baselineRssMb = process.resourceUsage().maxRSS / 1024;
  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const target = loadClusterTarget({ kubeconfig });
  if (!target.ok) throw new Error(target.error.message);
  const client = new K8sClient(target.value);
  const kinds = ['pods', 'gmsacredentialspecs', 'nodes'];
  const t0 = performance.now();
  const counts = {};
  let kept;
  if (mode === 'list') {
    const lists = await client.listMany(kinds);
    kept = lists;
    for (const kind of kinds) {
      if (!lists[kind].ok) throw new Error(lists[kind].error.message);
      counts[kind] = lists[kind].value.items.length;
    }
  } else {
    await Promise.all(
      kinds.map(async (kind) => {
        counts[kind] = 0;
        for await (const page of client.pages(kind)) {
          if (!page.ok) throw new Error(page.error.message);
          counts[kind] += page.value.items.length;
        }
      }),
    );
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  globalThis.gc();
  const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      counts,
      requests: client.requestCount,
      maxRssMb,
      baselineRssMb,
      retainedMb,
      kept: kept !== undefined,
    }),
  );
}
