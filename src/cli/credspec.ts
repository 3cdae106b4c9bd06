import type { Command } from 'commander';
import { registerCredspecLint } from './credspec-lint.js';
import { withExamples } from './help.js';

/**
 * `gmsa-doctor credspec ...`: lint (offline) and new (from AD). `new` brings the LDAP stack, so it is loaded only
 * when it runs (or for help).
 */
export async function registerCredspec(program: Command, argv: readonly string[] = []): Promise<void> {
  const credspec = program.command('credspec').description('validate or generate credential specs');
  withExamples(credspec, [
    { does: 'validate credential specs offline', run: 'gmsa-doctor credspec lint webapp01.json' },
    {
      does: 'write one from AD, as New-CredentialSpec does',
      run: 'gmsa-doctor credspec new --gmsa webapp01 --domain contoso.com --user admin@contoso.com',
    },
  ]);
  const sub = argv[argv.indexOf('credspec') + 1];
  if (sub !== 'new') registerCredspecLint(credspec);
  if (sub !== 'lint') (await import('./credspec-new.js')).registerCredspecNew(credspec);
}
