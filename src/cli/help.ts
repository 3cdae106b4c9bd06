import { Option } from 'commander';
import type { Command } from 'commander';

/** One line of a command's help examples: what it does, and the command as it is typed. */
export interface Example {
  does: string;
  run: string;
}

/** Ends a command's --help with its examples ("Examples:", then "# what it does" and "$ the command"). */
export function withExamples(command: Command, examples: readonly Example[]): Command {
  const lines = examples.flatMap(({ does, run }) => [`  # ${does}`, `  $ ${run}`]);
  return command.addHelpText('after', `\nExamples:\n${lines.join('\n')}\n`);
}

/**
 * -o/--output FILE, as every command spells it; `--out` is still read (earlier versions of collect and credspec new
 * took it), without showing in the help.
 */
export function withOutputFile(command: Command, description: string): Command {
  return command
    .option('-o, --output <file>', description)
    .addOption(new Option('--out <file>', description).hideHelp());
}

/** The file -o/--output (or the older --out) named. */
export const outputFileOf = (flags: { output?: string; out?: string }): string | undefined => flags.output ?? flags.out;
