import type { Command } from 'commander';
import { registerCredspecLint } from './credspec-lint.js';

/**
 * `gmsa-doctor credspec ...`: lint (offline) and new (from AD). `new` brings the LDAP stack, so it is loaded only
 * when it runs (or for help).
 */
export async function registerCredspec(program: Command, argv: readonly string[] = []): Promise<void> {
  const credspec = program.command('credspec').description('validate or generate credential specs');
  const sub = argv[argv.indexOf('credspec') + 1];
  if (sub !== 'new') registerCredspecLint(credspec);
  if (sub !== 'lint') (await import('./credspec-new.js')).registerCredspecNew(credspec);
}
