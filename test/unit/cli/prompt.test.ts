/**
 * The password prompt on a real terminal (a pseudo-terminal driven by python3's pty module): the prompt stays
 * visible on standard error, nothing typed is echoed, Enter goes on with the run, Ctrl-C ends it as the signal does.
 * That the typed password is the one that binds is shown against the lab DC (test/integration/interaction.test.ts).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../helpers/built-cli.js';

const DRIVER = path.resolve(import.meta.dirname, '../../helpers/pty-session.py');
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

interface Session {
  output: string;
  exitCode: number | null;
  signal: number | null;
  timedOut: boolean;
}

function onTerminal(args: string[], steps: { expect: string; send: string }[]): Session {
  const spec = {
    argv: [process.execPath, cli, ...args],
    unset: ['GMSA_DOCTOR_PASSWORD', 'CI'],
    env: { NO_COLOR: '1' },
    steps,
    timeout: 30,
  };
  return JSON.parse(
    execFileSync('python3', [DRIVER, JSON.stringify(spec)], { encoding: 'utf8', timeout: 60_000 }),
  ) as Session;
}

// A DC that is not there: the run goes on after the prompt and ends quickly with the connection's finding.
const NEW_SPEC = ['credspec', 'new', '--gmsa', 'webapp01', '--dc', '127.0.0.1', '--timeout', '1'];
const USER = ['--user', 'Administrator@contoso.com'];

describe('password prompt', () => {
  it('shows a prompt that stays, echoes nothing, and goes on when Enter is pressed', () => {
    const session = onTerminal([...NEW_SPEC, ...USER], [{ expect: 'Password', send: 'S3cret-typed\r' }]);
    expect(session.timedOut).toBe(false);
    const prompt = /Password[^:\r\n]*: /.exec(session.output);
    expect(prompt, 'the prompt was shown').not.toBeNull();
    const before = session.output.slice(0, prompt!.index);
    const after = session.output.slice(prompt!.index + prompt![0].length);
    // Nothing erased the prompt (readline wrote "cursor to column 1, erase below" after it): the next thing the
    // terminal shows is Enter's new line.
    expect(after.startsWith('\r\n'), `after the prompt: ${JSON.stringify(after.slice(0, 12))}`).toBe(true);
    expect(before.endsWith('\u001b[2K')).toBe(false);
    expect(prompt![0]).toBe('Password for Administrator@contoso.com: ');
    expect(session.output).not.toContain('S3cret-typed');
    expect(session.output).not.toMatch(/\*{3,}/);
    // The run went on to the DC and said what it met.
    expect(after).toMatch(/127\.0\.0\.1/);
    expect(session.exitCode).not.toBeNull();
  }, 60_000);

  it('edits with Backspace and Ctrl-U like a shell prompt, still echoing nothing', () => {
    const session = onTerminal([...NEW_SPEC, ...USER], [{ expect: 'Password for', send: 'Wr0ngPw\u0015Qx\u007fZ\r' }]);
    expect(session.timedOut).toBe(false);
    expect(session.output).not.toMatch(/Wr0ngPw|Qx|QZ/);
  }, 60_000);

  it('Ctrl-C at the prompt restores the terminal and ends the run as SIGINT does, without a stack trace', () => {
    const session = onTerminal([...NEW_SPEC, ...USER], [{ expect: 'Password for', send: '\u0003' }]);
    expect(session.timedOut).toBe(false);
    expect(session.signal).toBe(2); // SIGINT: the shell shows exit status 130
    expect(session.output).not.toMatch(/at .*\.cjs:\d+|Error:/);
  }, 60_000);
});
