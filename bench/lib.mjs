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

/**
 * Transpiles TypeScript files (paths relative to the repository root) to plain ESM under `outDir`, keeping their
 * relative layout, so a bench can run a test helper on plain node. `outDir` must lie inside the repository for
 * bare imports (`yaml`) to resolve from its node_modules. Type-only, no checking: `npm run typecheck` does that.
 */
export async function transpileForNode(root, files, outDir) {
  const { default: ts } = await import('typescript');
  const { mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(join(root, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
      fileName: file,
    });
    const out = join(outDir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}
