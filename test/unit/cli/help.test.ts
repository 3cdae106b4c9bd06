/**
 * Every command's --help ends with two or three examples that use only options the command has, and one output flag
 * is spelled the same everywhere: -o/--output (collect and credspec new still read the older --out, unlisted).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';
import { cli } from '../../helpers/cli.js';

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

/** The command named by words after the program's name (`credspec new`), in the program with every command. */
async function commandAt(words: readonly string[]): Promise<Command> {
  let command = await buildProgram();
  for (const word of words) {
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) throw new Error(`no command ${words.join(' ')}`);
    command = sub;
  }
  return command;
}

/** The words of a shell line (quotes kept together, a pipe and what follows dropped). */
function words(line: string): string[] {
  const tokens: string[] = line.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  const pipe = tokens.indexOf('|');
  return (pipe === -1 ? tokens : tokens.slice(0, pipe)).map((t) => t.replace(/^["']|["']$/g, ''));
}

/** Where a command line's own words end and its options begin: the longest run of command names. */
async function splitCommand(tokens: readonly string[]): Promise<{ path: string[]; rest: string[] }> {
  const path: string[] = [];
  let command = await buildProgram();
  for (const token of tokens.slice(1)) {
    const sub = command.commands.find((c) => c.name() === token);
    if (!sub) break;
    path.push(token);
    command = sub;
  }
  return { path, rest: tokens.slice(1 + path.length) };
}

function optionNames(command: Command): Set<string> {
  const names = new Set(['--help', '-h']);
  for (const option of command.options) {
    if (option.long) names.add(option.long);
    if (option.short) names.add(option.short);
  }
  return names;
}

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
        const tokens = words(example);
        expect(tokens[0]).toBe('gmsa-doctor');
        const { path: named, rest } = await splitCommand(tokens);
        expect(named.length, example).toBeGreaterThan(0);
        const known = optionNames(await commandAt(named));
        const flags = rest.filter((t) => t.startsWith('-') && t !== '-').map((t) => t.replace(/=.*$/, ''));
        expect(
          flags.filter((f) => !known.has(f)),
          example,
        ).toEqual([]);
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
