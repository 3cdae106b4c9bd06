/**
 * The README's commands that need the lab DC, run as printed after the set-up the README states (the lab running,
 * `eval "$(scripts/lab/env)"`), each printing what the README shows under it (times and dates aside).
 * test/unit/cli/readme-commands.test.ts runs the others.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../helpers/built-cli.js';
import { lab } from '../helpers/lab.js';
import { expectedStatuses, missingShownLines, readmeBlocks, runBlock } from '../helpers/readme.js';

const L = lab();
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

describe('README commands against the lab DC', () => {
  const blocks = readmeBlocks().filter((b) => b.where.kind === 'lab');

  it('the README has them', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  for (const block of blocks) {
    it(`README.md:${block.line}: ${block.commands.at(-1)?.text}`, () => {
      // Nothing of this test's own environment may stand in for the README's set-up.
      const runs = runBlock(block, cli, { GMSA_DOCTOR_PASSWORD: '', LAB_IP: '', LAB_CA: '' });
      for (const run of runs) {
        const where = `README.md:${run.command.line}: ${run.command.text}\n${run.stderr}`;
        expect(expectedStatuses(run), where).toContain(run.status);
        expect(run.stderr, where).not.toMatch(/unknown option|command not found|^error:/m);
        if (expectedStatuses(run).includes(0)) expect(run.stderr, where).not.toMatch(/^gmsa-doctor: /m);
        expect(missingShownLines(run, L.ip), `${where}\n--- printed:\n${run.stdout}`).toEqual([]);
      }
    }, 120_000);
  }
});
