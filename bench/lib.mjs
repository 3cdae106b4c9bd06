// Small helpers shared by the bench scripts: timing, medians, Markdown tables.
import { spawnSync } from 'node:child_process';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of a command in milliseconds (spawnSync, output discarded). */
export function timeCommand(command, args, options = {}) {
  const t0 = performance.now();
  const result = spawnSync(command, args, { stdio: 'ignore', ...options });
  const ms = performance.now() - t0;
  if (result.error) throw result.error;
  return { ms, status: result.status };
}

export function medianOf(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(fn());
  return median(times);
}

export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
