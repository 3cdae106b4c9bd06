/** A command line's words checked against the program's real commands and options (help examples, README). */
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';

/** The words of a shell line (quotes kept together, a pipe and what follows dropped). */
export function words(line: string): string[] {
  const tokens: string[] = line.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  const pipe = tokens.indexOf('|');
  return (pipe === -1 ? tokens : tokens.slice(0, pipe)).map((t) => t.replace(/^["']|["']$/g, ''));
}

/** The command named by words after the program's name (`credspec new`), in the program with every command. */
export async function commandAt(path: readonly string[]): Promise<Command> {
  let command = await buildProgram();
  for (const word of path) {
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) throw new Error(`no command ${path.join(' ')}`);
    command = sub;
  }
  return command;
}

export function optionNames(command: Command): Set<string> {
  const names = new Set(['--help', '-h']);
  for (const option of command.options) {
    if (option.long) names.add(option.long);
    if (option.short) names.add(option.short);
  }
  return names;
}

/**
 * What a `gmsa-doctor ...` line names that the program does not have: no command at all, or options its command
 * lacks. Tokens from the first word after `gmsa-doctor`: the longest run of command names, then the options.
 */
export async function unknownInLine(line: string): Promise<string[]> {
  const tokens = words(line);
  const start = tokens.indexOf('gmsa-doctor');
  if (start === -1) return [`no gmsa-doctor in: ${line}`];
  const path: string[] = [];
  let command = await buildProgram();
  for (const token of tokens.slice(start + 1)) {
    const sub = command.commands.find((c) => c.name() === token);
    if (!sub) break;
    path.push(token);
    command = sub;
  }
  const rest = tokens.slice(start + 1 + path.length);
  if (path.length === 0 && !rest.every((t) => ['--version', '-V', '--help', '-h'].includes(t)))
    return [`no command in: ${line}`];
  const known = optionNames(command);
  return rest
    .filter((t) => /^--?[a-zA-Z]/.test(t))
    .map((t) => t.replace(/[=[\]].*$/, '').replace(/\]+$/, ''))
    .filter((flag) => !known.has(flag))
    .map((flag) => `${path.join(' ')} has no ${flag}`);
}
