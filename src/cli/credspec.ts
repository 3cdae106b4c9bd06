import type { Command } from 'commander';
import { registerCredspecLint } from './credspec-lint.js';
import { registerCredspecNew } from './credspec-new.js';

/** `gmsa-doctor credspec ...`: lint (offline) and new (from AD). */
export function registerCredspec(program: Command): Command {
  const credspec = program.command('credspec').description('validate or generate credential specs');
  registerCredspecLint(credspec);
  registerCredspecNew(credspec);
  return credspec;
}
