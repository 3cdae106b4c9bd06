import { createInterface } from 'node:readline';
import { INPUT_LIMITS, InputFileError, readInputText } from '../probes/input-file.js';
import { UsageError } from './output.js';

export const PASSWORD_ENV = 'GMSA_DOCTOR_PASSWORD';

/** AD passwords are at most 256 characters; a longer value is a file or variable set by mistake (and crashed binds). */
export const MAX_PASSWORD_BYTES = 1024;

/** The password, refused (a UsageError naming its source) past MAX_PASSWORD_BYTES. */
export function boundedPassword(password: string, source: string): string {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > MAX_PASSWORD_BYTES)
    throw new UsageError(
      `${source}: the password is ${bytes} bytes, over the ${MAX_PASSWORD_BYTES}-byte limit (AD passwords are at most 256 characters): refused`,
    );
  return password;
}

/**
 * The bind password: from GMSA_DOCTOR_PASSWORD, from --password-file, or typed at a prompt (never from argv).
 */
export async function resolvePassword(passwordFile: string | undefined): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv) return boundedPassword(fromEnv, PASSWORD_ENV);
  if (passwordFile) {
    let text: string;
    try {
      text = readInputText(passwordFile, INPUT_LIMITS.passwordFile);
    } catch (error) {
      if (error instanceof InputFileError) throw new UsageError(`--password-file ${error.message}`);
      throw error;
    }
    return boundedPassword(text.replace(/\r?\n$/, ''), `--password-file ${passwordFile}`);
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `--user needs a password: set ${PASSWORD_ENV}, pass --password-file FILE, or run on a terminal to be asked`,
    );
  }
  return boundedPassword(await promptHidden('Password: '), 'the password typed');
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
