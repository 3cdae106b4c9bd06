import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../report/tool-info.js';
import { EXIT_USAGE } from '../report/model.js';
import { registerAnalyze } from './analyze.js';
import { registerCheck } from './check.js';
import { registerChecks } from './checks.js';
import { registerCollect } from './collect.js';
import { registerCredspec } from './credspec.js';
import { registerDc } from './dc.js';
import { registerEvents } from './events.js';
import { registerExplain } from './explain.js';

export function buildProgram(): Command {
  const program = new Command('gmsa-doctor')
    .description('Finds out why a Windows container cannot use its gMSA, and says how to fix it.')
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride();
  // One line per command; each command lives in its own file.
  registerCheck(program);
  registerCredspec(program);
  registerChecks(program);
  registerExplain(program);
  registerEvents(program);
  registerDc(program);
  registerCollect(program);
  registerAnalyze(program);
  const exitOverrideAll = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(exitOverrideAll);
  };
  exitOverrideAll(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gmsa-doctor: ${message}\n`);
    return EXIT_USAGE;
  }
}

