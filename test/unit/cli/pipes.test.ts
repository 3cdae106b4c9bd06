/**
 * Output read by a program that stops early: `gmsa-doctor events --dump log.evtx | head` closes the pipe while
 * records are still being written. The run must end quietly (exit 0, nothing on standard error), as cat does,
 * never with an EPIPE stack trace. Tested with a real shell pipe and the CLI built from this tree.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../helpers/built-cli.js';

const LOG = path.resolve(import.meta.dirname, '../../fixtures/events/omerbenamram-evtx__Security_short_selected.evtx');
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

/** Runs `gmsa-doctor ARGS | head -n 3` in bash: gmsa-doctor's exit status and standard error, and what head printed. */
function throughHead(args: string[]): { status: number; stderr: string; shown: string[] } {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const script = `"${process.execPath}" "${cli}" ${quoted} | head -n 3; echo "status=\${PIPESTATUS[0]}"`;
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  const lines = run.stdout.split('\n').filter(Boolean);
  return {
    status: Number(/^status=(\d+)$/.exec(lines.at(-1) ?? '')?.[1]),
    stderr: run.stderr,
    shown: lines.slice(0, -1),
  };
}

describe('a pipe closed early', () => {
  // 300 copies of a real log: far more than a pipe holds, so writes are still pending when head exits.
  const many = Array.from({ length: 300 }, () => LOG);

  it.each(['xml', 'json'])(
    'events --dump --format %s | head ends quietly with exit 0',
    (format) => {
      const { status, stderr, shown } = throughHead(['events', '--dump', ...many, '--format', format]);
      expect(stderr).toBe('');
      expect(shown).toHaveLength(3);
      expect(status).toBe(0);
    },
    60_000,
  );
});
