// findStatusCodes throughput: a 1 MB paste of real lines, and 1 MB lines of the shapes that could make a regex
// backtrack. Run: npm run build && node bench/status-codes.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeStatus, findStatusCodes } from '../dist/protocol/status/index.js';
import { medianOf, table } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 5;
const MB = 1 << 20;

const pasted = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/status/pasted-lines.json'), 'utf8')).map(
  (p) => p.line,
);
const fill = (unit) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
const inputs = [
  ['real pasted lines, repeated', fill(`${pasted.join('\n')}\n`)],
  ['hex digits, one line', fill('a')],
  ['decimal digits, one line', fill('9')],
  ['"0x" repeated', fill('0x')],
  ['"winapi error #" repeated', fill('winapi error #')],
  ['identifiers with underscores', fill('A_')],
  ['"(0x80070005) " repeated', fill('(0x80070005) ')],
];

const rows = inputs.map(([name, text]) => {
  let found = 0;
  const ms = medianOf(RUNS, () => {
    const t0 = performance.now();
    found = findStatusCodes(text).length;
    return performance.now() - t0;
  });
  return [
    name,
    (text.length / MB).toFixed(1),
    String(found),
    ms.toFixed(1),
    (text.length / MB / (ms / 1000)).toFixed(1),
  ];
});
console.log(table(['input', 'MB', 'findings', 'median ms', 'MB/s'], rows));

const codes = ['3489661022', '0xC0020017', '-1073741730', 'ERROR_NO_LOGON_SERVERS', 'data 52e', '6'];
const n = 100_000;
const t0 = performance.now();
for (let i = 0; i < n; i++) decodeStatus(codes[i % codes.length]);
console.log(`\ndecodeStatus: ${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs per code (${n} codes)`);
