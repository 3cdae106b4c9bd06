/**
 * Every command's --help ends with two or three examples that use only options the command has, and one output flag
 * is spelled the same everywhere: -o/--output (collect and credspec new still read the older --out, unlisted).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';
import { cli } from '../../helpers/cli.js';
import { commandAt, unknownInLine } from '../../helpers/cli-options.js';

const COMMANDS = [
  [],
  ['check'],
  ['credspec'],
  ['credspec', 'lint'],
  ['credspec', 'new'],
  ['dc'],
  ['events'],
  ['collect'],
  ['analyze'],
  ['checks'],
  ['explain'],
] as const;

const INSPECT = path.resolve(
  import.meta.dirname,
  '../../fixtures/host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json',
);

// Help loads every command's modules: seconds on a loaded machine, which no single test should pay.
beforeAll(() => buildProgram(), 60_000);

afterEach(() => {
  process.exitCode = undefined;
});

function examplesOf(help: string): string[] {
  const [, after] = help.split('\nExamples:\n');
  return (after ?? '')
    .split('\n')
    .filter((line) => line.startsWith('  $ '))
    .map((line) => line.slice(4));
}

describe('--help examples', () => {
  it.each(COMMANDS.map((c) => [c.join(' ') || '(the program)', c] as const))(
    '%s --help ends with two or three examples that use its real options',
    async (_name, path) => {
      const { code, out } = await cli(...path, '--help');
      expect(code).toBe(0);
      const examples = examplesOf(out);
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      for (const example of examples) {
        expect(example.startsWith('gmsa-doctor '), example).toBe(true);
        expect(await unknownInLine(example), example).toEqual([]);
      }
    },
  );
});

describe('one output flag everywhere', () => {
  it.each(COMMANDS.filter((c) => !['', 'credspec', 'explain'].includes(c.join(' '))).map((c) => [c.join(' '), c]))(
    '%s takes -o/--output and lists no --out',
    async (_name, path) => {
      const command = await commandAt(path);
      const output = command.options.find((o) => o.long === '--output');
      expect(output?.short).toBe('-o');
      expect((await cli(...path, '--help')).out).not.toMatch(/--out\b(?!put)/);
    },
  );

  it('collect writes where -o, --output or the older --out says, and without one says what to pass', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmsa-help-'));
    for (const flag of ['-o', '--output', '--out']) {
      const file = path.join(dir, `facts${flag}.json`);
      const { code, err } = await cli('collect', flag, file, '--inspect', INSPECT);
      expect(err, flag).toMatch(/facts gathered on .*, saved to /);
      expect(code, flag).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'gmsa-doctor-facts' });
    }
    const collect = await cli('collect', '--inspect', INSPECT);
    expect(collect.code).toBe(2);
    expect(collect.err).toMatch(/collect needs -o FILE/);
  });
});
