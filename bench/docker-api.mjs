// The Docker part of `gmsa-doctor check` on a container host (GET /info, GET /containers/json, then GET
// /containers/{id}/json for each running container) against an Engine API served on a unix socket with the real
// sample payloads (test/fixtures/host), side by side with curl doing the same requests: one curl per request, as a
// shell script would, and one curl for all of them (keep-alive). 1, 10 and 50 containers; medians of 7 runs.
// Run: npm run build && node bench/docker-api.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerClient, listContainers } from '../dist/probes/docker.js';
import { median, table, timeCommand } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 7;
const fixture = (name) => readFileSync(join(ROOT, 'test/fixtures/host', name), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'gmsa-bench-docker-'));
const socket = join(dir, 'docker.sock');

// The daemon stand-in runs in its own process, so that curl (spawnSync) and the tool are measured alike.
const serverScript = join(dir, 'server.mjs');
writeFileSync(
  serverScript,
  `import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const [socket, infoFile, inspectFile, count] = process.argv.slice(2);
const info = readFileSync(infoFile, 'utf8');
const sample = JSON.parse(readFileSync(inspectFile, 'utf8'))[0];
const containers = Array.from({ length: Number(count) }, (_, i) => ({ ...sample, Id: String(i).padStart(4, '0') + sample.Id.slice(4), Name: '/c' + i }));
const byPath = new Map([['/info', info], ['/containers/json', JSON.stringify(containers.map((c) => ({ Id: c.Id, Names: [c.Name] })))]]);
for (const c of containers) byPath.set('/containers/' + c.Id + '/json', JSON.stringify(c));
createServer((req, res) => {
  const body = byPath.get(req.url);
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(body ?? '{"message":"page not found"}');
}).listen(socket, () => process.stdout.write('ready\\n'));
`,
);

async function startServer(count) {
  rmSync(socket, { force: true });
  const child = spawn(
    process.execPath,
    [
      serverScript,
      socket,
      join(ROOT, 'test/fixtures/host/docker-api-info-windows10-1909.json'),
      join(ROOT, 'test/fixtures/host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
      String(count),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return child;
}

async function timeTool() {
  const client = new DockerClient({ socketPath: socket, description: 'bench' });
  const t0 = performance.now();
  const [, containers] = await Promise.all([client.getJson('/info'), listContainers(client, [])]);
  const ms = performance.now() - t0;
  return { ms, containers: containers.length };
}

const sample = JSON.parse(fixture('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'))[0];
const rows = [];
for (const count of [1, 10, 50]) {
  const server = await startServer(count);
  const ids = Array.from({ length: count }, (_, i) => String(i).padStart(4, '0') + sample.Id.slice(4));
  const urls = ['http://d/info', 'http://d/containers/json', ...ids.map((id) => `http://d/containers/${id}/json`)];
  const tool = [];
  const curlEach = [];
  const curlOnce = [];
  for (let run = 0; run < RUNS; run++) {
    const t = await timeTool();
    if (t.containers !== count) throw new Error(`expected ${count} containers, got ${t.containers}`);
    tool.push(t.ms);
    const t0 = performance.now();
    for (const url of urls) timeCommand('curl', ['-sf', '--unix-socket', socket, url]);
    curlEach.push(performance.now() - t0);
    curlOnce.push(timeCommand('curl', ['-sf', '--unix-socket', socket, ...urls]).ms);
  }
  server.kill();
  const [a, b, c] = [median(tool), median(curlEach), median(curlOnce)];
  rows.push([
    String(count),
    String(urls.length),
    a.toFixed(1),
    b.toFixed(1),
    c.toFixed(1),
    (b / a).toFixed(1) + '×',
    (c / a).toFixed(1) + '×',
  ]);
}
rmSync(dir, { recursive: true, force: true });

console.log(`Docker Engine API over a unix socket, medians of ${RUNS} runs (ms), node ${process.version}\n`);
console.log(
  table(
    [
      'containers',
      'requests',
      'gmsa-doctor',
      'curl per request',
      'curl, one process',
      'ratio per request',
      'ratio one process',
    ],
    rows,
  ),
);
