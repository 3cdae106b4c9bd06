// recognise() on 10 MB pastes: the corpus's real pastes repeated, a long unrelated log, a netlogon.log, and the
// shapes that could make a recogniser slow (one huge line, a line per prompt, unclosed JSON, wrapped errors, short
// lines). Then explainPaste() (`gmsa-doctor explain` of a paste: recognise, facts, every check, the most likely
// cause) on the same pastes, each paste in a process of its own so that its peak RSS is its own. Medians of 5 runs
// after one warm-up, wall time and CPU time, Markdown.
// Run: npm run build && node bench/evidence.mjs
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recognise } from '../dist/evidence/index.js';
import { median, table } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 5;
const MB = 1 << 20;
const SIZE = 10 * MB;
/** A paste that explainPaste has not judged in this long (warm-up and runs) is reported as failed. */
const TIMEOUT_MS = 10 * 60_000;

const dir = path.join(ROOT, 'test/fixtures/evidence');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(path.join(dir, f), 'utf8'))
  .join('\n\n');
/** A paste of SIZE made of `unit` repeated, built when measured (a child process builds only its own). */
const fill = (unit) => () => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

const inputs = [
  ['the corpus (58 real pastes) repeated', fill(`${corpus}\n\n`)],
  [
    'an unrelated application log',
    fill('2024-05-01 12:00:00.123 INFO [worker-3] request handled in 12 ms path=/api/v1/items status=200\n'),
  ],
  [
    'a netlogon.log',
    fill(
      readFileSync(
        path.join(dir, 'plooploops-windows-containers-AD-7__netlogon-log-quoted-c000005e.txt'),
        'utf8',
      ).replace(/^> /gm, '') + '\n',
    ),
  ],
  ['one line, no newline', fill('a')],
  ['a prompt on every line', fill('PS C:\\> nltest /sc_verify:contoso.com\n')],
  ['unclosed docker inspect fragments', fill('"SecurityOpt": [\n')],
  ['error records without an end', fill('x : y\nAt line:1 char:1\n')],
  ['HCS errors that never end', fill('hcs::System::Start: failure in a Windows system call: the\n')],
  ['two-byte lines', fill('{\n')],
];

async function measure(fn, text) {
  await fn(text);
  const walls = [];
  const cpus = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = await fn(text);
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus), result: last };
}

const EXPLAIN_ROW = process.env.BENCH_EVIDENCE_EXPLAIN_ROW;
if (EXPLAIN_ROW !== undefined) {
  // A child of the run below: explainPaste on one paste, its figures as JSON.
  const { explainPaste } = await import('../dist/cli/explain-paste.js');
  const text = inputs[Number(EXPLAIN_ROW)][1]();
  const rssBefore = process.memoryUsage().rss;
  const { wall, cpu, result } = await measure(explainPaste, text);
  const peak = process.resourceUsage().maxRSS * 1024;
  const { lines, verdict } = result.paste;
  console.log(JSON.stringify({ wall, cpu, lines, verdict, findings: result.findings.length, rssBefore, peak }));
  process.exit(0);
}

const rows = [];
for (const [name, make] of inputs) {
  const text = make();
  const { wall, cpu, result } = await measure(recognise, text);
  rows.push([
    name,
    (Buffer.byteLength(text) / MB).toFixed(1),
    String(result.lineCount),
    String(result.items.length),
    result.truncated ? 'yes' : 'no',
    wall.toFixed(0),
    cpu.toFixed(0),
    (Buffer.byteLength(text) / MB / (wall / 1000)).toFixed(1),
  ]);
}
console.log('recognise()\n');
console.log(table(['paste', 'MB', 'lines', 'items', 'truncated', 'median wall ms', 'median CPU ms', 'MB/s'], rows));

const explainRows = inputs.map(([name, make], i) => {
  const mb = (Buffer.byteLength(make()) / MB).toFixed(1);
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_EVIDENCE_EXPLAIN_ROW: String(i) },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: TIMEOUT_MS,
  });
  if (child.status !== 0) {
    const why = child.signal ?? `exit ${child.status}: ${(child.stderr || '').trim().split('\n').slice(-3).join(' ')}`;
    return [name, mb, '-', '-', '-', `failed (${why})`, '-', '-', '-', '-'];
  }
  const r = JSON.parse(child.stdout.trim().split('\n').at(-1));
  return [
    name,
    mb,
    String(r.lines),
    String(r.findings),
    r.verdict,
    r.wall.toFixed(0),
    r.cpu.toFixed(0),
    (Number(mb) / (r.wall / 1000)).toFixed(1),
    (r.rssBefore / MB).toFixed(0),
    (r.peak / MB).toFixed(0),
  ];
});
console.log('\nexplainPaste()\n');
console.log(
  table(
    [
      'paste',
      'MB',
      'lines',
      'findings',
      'verdict',
      'median wall ms',
      'median CPU ms',
      'MB/s',
      'RSS before MB',
      'peak RSS MB',
    ],
    explainRows,
  ),
);
console.log(
  `\nNode ${process.version}, ${RUNS} runs each after a warm-up. explainPaste: one process per paste; RSS before` +
    ' is after loading and building the paste, peak RSS the maximum of the process over its warm-up and runs.',
);
