import { INPUT_LIMITS, readInputText } from '../probes/input-file.js';
import { readNamedFile, UsageError } from './output.js';

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
export async function resolvePassword(passwordFile: string | undefined, user?: string): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv) return boundedPassword(fromEnv, PASSWORD_ENV);
  if (passwordFile) {
    const text = readNamedFile(() => readInputText(passwordFile, INPUT_LIMITS.passwordFile), '--password-file');
    return boundedPassword(text.replace(/\r?\n$/, ''), `--password-file ${passwordFile}`);
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `--user needs a password: set ${PASSWORD_ENV}, pass --password-file FILE, or run on a terminal to be asked`,
    );
  }
  return boundedPassword(await promptHidden(`Password${user ? ` for ${user}` : ''}: `), 'the password typed');
}

/**
 * Reads a line from the terminal in raw mode, echoing nothing, under a prompt that stays on the screen (readline
 * redraws its line and would erase it). Backspace and Ctrl-U edit; Ctrl-C restores the terminal and ends the
 * process as the signal would; Ctrl-D on an empty line gives up.
 */
export function promptHidden(
  question: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const wasRaw = input.isRaw;
    const finish = (): void => {
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(answer);
          return;
        }
        if (char === '\u0003') {
          finish();
          process.kill(process.pid, 'SIGINT');
          return;
        }
        if (char === '\u0004' && answer === '') {
          finish();
          reject(new UsageError('no password typed at the prompt'));
          return;
        }
        if (char === '\u007f' || char === '\b') answer = [...answer].slice(0, -1).join('');
        else if (char === '\u0015') answer = '';
        else if (char >= ' ') answer += char;
      }
    };
    // Raw before the prompt shows: what is typed as soon as it appears is not echoed by the terminal either.
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
    output.write(question);
  });
}
