// Speed of `gmsa-doctor events --dump` against evtxexport (libevtx-utils) and evtx_dump.py (python3-evtx),
// on the same large file, in the same run. Run: npm run build && node bench/evtx.mjs [repetitions] [runs]
// The large file is every chunk of the EVTX samples in test/fixtures/events, repeated, under a fixed header.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from '../dist/protocol/evtx/crc32.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test/fixtures/events');
const REPETITIONS = Number(process.argv[2] ?? 400);
const RUNS = Number(process.argv[3] ?? 5);
// python-evtx needs about a minute per run on the default file: fewer runs, still a median.
const SLOW_RUNS = Math.min(RUNS, 3);
const CHUNK = 65536;

function chunksOf(file) {
  const bytes = readFileSync(file);
  const chunks = [];
  for (let at = 4096; at + CHUNK <= bytes.length; at += CHUNK) {
    if (bytes.toString('latin1', at, at + 8) === 'ElfChnk\0') chunks.push(bytes.subarray(at, at + CHUNK));
  }
  return chunks;
}

function header(chunkCount) {
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(BigInt(chunkCount - 1), 16);
  h.writeBigUInt64LE(1n, 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(chunkCount & 0xffff, 42);
  h.writeUInt32LE(crc32(h, 0, 120), 124);
  return h;
}

function buildLargeLog() {
  const samples = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.evtx'))
    .map((f) => join(FIXTURES, f));
  const chunks = samples.flatMap(chunksOf);
  const all = Array.from({ length: REPETITIONS }, () => chunks).flat();
  const file = join(mkdtempSync(join(tmpdir(), 'gmsa-bench-')), 'large.evtx');
  writeFileSync(file, Buffer.concat([header(all.length), ...all]));
  return { file, chunks: all.length };
}

function findOnPath(program) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      if (statSync(join(dir, program)).isFile()) return join(dir, program);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function tools(file) {
  const list = [
    // Loading the whole CLI (every command's modules) is a fixed cost paid before any record is read.
    {
      name: 'gmsa-doctor --version (start-up only)',
      cmd: process.execPath,
      args: [join(ROOT, 'bin/gmsa-doctor.js'), '--version'],
      count: () => 0,
      startup: true,
    },
    {
      name: 'gmsa-doctor events --dump --format json',
      cmd: process.execPath,
      args: [join(ROOT, 'bin/gmsa-doctor.js'), 'events', '--dump', file, '--format', 'json'],
      count: (out) => out.split('\n').filter((l) => l.startsWith('{') || l.startsWith(',{')).length,
    },
    {
      name: 'gmsa-doctor events --dump --format xml',
      cmd: process.execPath,
      args: [join(ROOT, 'bin/gmsa-doctor.js'), 'events', '--dump', file, '--format', 'xml'],
      count: (out) => out.split('<Event ').length - 1,
    },
  ];
  const evtxexport = findOnPath('evtxexport');
  if (evtxexport)
    list.push({
      name: 'evtxexport -f xml (libevtx)',
      cmd: evtxexport,
      args: ['-f', 'xml', file],
      count: (out) => out.split('<Event ').length - 1,
    });
  else console.error('evtxexport not found: apt-get install libevtx-utils');
  if (findOnPath('evtx_dump.py'))
    list.push({
      name: 'evtx_dump.py (python-evtx)',
      cmd: '/usr/bin/python3',
      args: [findOnPath('evtx_dump.py'), file],
      count: (out) => out.split('<Event ').length - 1,
      slow: true,
    });
  else console.error('evtx_dump.py not found: apt-get install python3-evtx');
  return list;
}

function timeOnce(tool) {
  const devnull = openSync('/dev/null', 'w');
  const started = process.hrtime.bigint();
  const result = spawnSync(tool.cmd, tool.args, { stdio: ['ignore', devnull, 'ignore'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(devnull);
  if (result.status !== 0 && result.status !== 2) throw new Error(`${tool.name} failed with ${result.status}`);
  return seconds;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const { file, chunks } = buildLargeLog();
const megabytes = statSync(file).size / 1e6;
console.log(
  `File: ${chunks} chunks, ${megabytes.toFixed(1)} MB (every sample chunk repeated ${REPETITIONS} times); ${RUNS} runs each, median wall time including process start.\n`,
);
const list = tools(file);
const rows = list.map((tool) => {
  const output = spawnSync(tool.cmd, tool.args, {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).stdout;
  return { name: tool.name, records: tool.count(output), times: [] };
});
// Runs are interleaved so that load from other processes falls on every tool alike.
for (let run = 0; run < RUNS; run++) {
  list.forEach((tool, i) => {
    if (!tool.slow || run < SLOW_RUNS) rows[i].times.push(timeOnce(tool));
  });
}
for (const row of rows) row.seconds = median(row.times);
const startup = rows.find((_, i) => list[i].startup);
const ours = rows.find((_, i) => !list[i].startup);
console.log('| Tool | Records | Runs | Median s | Records/s | MB/s | gmsa-doctor (json) is faster by |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows.filter((r) => r !== startup)) {
  const ratio = row === ours ? '1.0x' : `${(row.seconds / ours.seconds).toFixed(1)}x`;
  console.log(
    `| ${row.name} | ${row.records} | ${row.times.length} | ${row.seconds.toFixed(2)} | ${Math.round(row.records / row.seconds)} | ${(megabytes / row.seconds).toFixed(1)} | ${ratio} |`,
  );
}
if (startup) {
  const reading = ours.seconds - startup.seconds;
  console.log(
    `\nCLI start-up (median of ${startup.times.length}): ${startup.seconds.toFixed(2)} s. Without it, gmsa-doctor reads and prints ${Math.round(ours.records / reading)} records/s, ${(megabytes / reading).toFixed(1)} MB/s.`,
  );
}
