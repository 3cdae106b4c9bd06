// recognise() on 10 MB pastes: the corpus's real pastes repeated, a long unrelated log, a netlogon.log, and the
// shapes that could make a recogniser slow (one huge line, a line per prompt, unclosed JSON, wrapped errors, short
// lines). Medians of 5 runs after one warm-up, wall time and CPU time, Markdown.
// Run: npm run build && node bench/evidence.mjs
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recognise } from '../dist/evidence/index.js';
import { median, table } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 5;
const MB = 1 << 20;
const SIZE = 10 * MB;

const dir = path.join(ROOT, 'test/fixtures/evidence');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(path.join(dir, f), 'utf8'))
  .join('\n\n');
const fill = (unit) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

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

function measure(text) {
  recognise(text);
  const walls = [];
  const cpus = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = recognise(text);
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus), result: last };
}

const rows = inputs.map(([name, text]) => {
  const { wall, cpu, result } = measure(text);
  return [
    name,
    (Buffer.byteLength(text) / MB).toFixed(1),
    String(result.lineCount),
    String(result.items.length),
    result.truncated ? 'yes' : 'no',
    wall.toFixed(0),
    cpu.toFixed(0),
    (Buffer.byteLength(text) / MB / (wall / 1000)).toFixed(1),
  ];
});
console.log(table(['paste', 'MB', 'lines', 'items', 'truncated', 'median wall ms', 'median CPU ms', 'MB/s'], rows));
console.log(`\nNode ${process.version}, ${RUNS} runs each after a warm-up.`);
