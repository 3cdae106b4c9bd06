import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from './output.js';

export const PASSWORD_ENV = 'GMSA_DOCTOR_PASSWORD';

/**
 * The bind password: from GMSA_DOCTOR_PASSWORD, from --password-file, or typed at a prompt (never from argv).
 */
export async function resolvePassword(passwordFile: string | undefined): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  if (passwordFile) {
    try {
      return readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new UsageError(
        `--password-file ${passwordFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `--user needs a password: set ${PASSWORD_ENV}, pass --password-file FILE, or run on a terminal to be asked`,
    );
  }
  return promptHidden('Password: ');
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    process.stderr.write(question);
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
