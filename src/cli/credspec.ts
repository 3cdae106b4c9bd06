import type { Command } from 'commander';

/** `gmsa-doctor credspec ...`: lint (offline) and new (from AD). */
export function registerCredspec(program: Command): Command {
  const credspec = program.command('credspec').description('validate or generate credential specs');
  return credspec;
}
