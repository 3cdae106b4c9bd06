/**
 * Every command in the README runs as printed, after the set-up it states, and prints what the README shows under
 * it (times and dates aside). The blocks that need the lab DC run in test/integration/readme-commands.test.ts;
 * PowerShell needs Windows; the few others that cannot run inside a test say why. Every `gmsa-doctor` line the
 * README shows without running it (the usage summary, inline code) names only commands and options that exist.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../helpers/built-cli.js';
import { unknownInLine } from '../../helpers/cli-options.js';
import { expectedStatuses, inlineCommands, missingShownLines, readmeBlocks, runBlock } from '../../helpers/readme.js';

const blocks = readmeBlocks();
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

const title = (b: (typeof blocks)[number]): string => `README.md:${b.line}: ${b.commands[0]?.text ?? b.body[0]}`;

describe('README commands, run as printed', () => {
  const runnable = blocks.filter((b) => b.commands.length > 0);

  it('has commands to run here, against the lab, and on Windows', () => {
    expect(runnable.filter((b) => b.where.kind === 'here').length).toBeGreaterThanOrEqual(3);
    expect(runnable.filter((b) => b.where.kind === 'lab').length).toBeGreaterThanOrEqual(2);
    expect(runnable.filter((b) => b.where.kind === 'skip' && b.lang === 'powershell').length).toBeGreaterThan(0);
  });

  // Lab blocks run in test/integration/readme-commands.test.ts; the others not run here must say why.
  it('every block not run here says why', () => {
    const unexplained = runnable.filter((b) => b.where.kind === 'skip' && b.where.reason.trim() === '').map(title);
    expect(unexplained).toEqual([]);
  });

  for (const block of runnable.filter((b) => b.where.kind === 'here')) {
    it(`${title(block)}`, () => {
      for (const run of runBlock(block, cli)) {
        const where = `README.md:${run.command.line}: ${run.command.text}\n${run.stderr}`;
        expect(expectedStatuses(run), where).toContain(run.status);
        expect(run.stderr, where).not.toMatch(/unknown option|command not found|^error:/m);
        if (expectedStatuses(run).includes(0)) expect(run.stderr, where).not.toMatch(/^gmsa-doctor: /m);
        expect(missingShownLines(run), where).toEqual([]);
      }
    }, 120_000);
  }
});

describe('README command lines that are shown, not run', () => {
  it('the usage summary names only real commands and options', async () => {
    const usage = blocks.find((b) => b.lang === '' && b.body[0]?.startsWith('gmsa-doctor check ['));
    expect(usage).toBeDefined();
    const lines = usage!.body
      .join('\n')
      .replace(/\n\s+(?=\[|-)/g, ' ')
      .split(/(?=gmsa-doctor )/)
      .map((l) => l.replace(/\(.*?\)/g, '').trim())
      .filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) expect(await unknownInLine(line), line).toEqual([]);
  }, 60_000);

  it('inline `gmsa-doctor ...` commands name only real commands and options', async () => {
    const inline = inlineCommands();
    expect(inline.length).toBeGreaterThan(5);
    for (const line of inline) expect(await unknownInLine(line), line).toEqual([]);
  }, 60_000);
});
