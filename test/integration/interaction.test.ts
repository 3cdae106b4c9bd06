/**
 * The password typed at the prompt is the one that binds: `credspec new` on a real terminal (python3's pty module),
 * against the lab DC. Ctrl-U clears what was typed before, as at a shell prompt.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../helpers/built-cli.js';
import { lab } from '../helpers/lab.js';

const L = lab();
const DRIVER = path.resolve(import.meta.dirname, '../helpers/pty-session.py');
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

function typed(keys: string): { output: string; exitCode: number | null } {
  const spec = {
    argv: [process.execPath, cli, 'credspec', 'new', '--gmsa', 'webapp01', '--dc', L.ip, '--ca', L.caFile],
    unset: ['GMSA_DOCTOR_PASSWORD', 'CI'],
    env: { NO_COLOR: '1' },
    steps: [{ expect: 'Password for', send: keys }],
    timeout: 30,
  };
  spec.argv.push('--user', L.adminUser, '-o', '-');
  return JSON.parse(execFileSync('python3', [DRIVER, JSON.stringify(spec)], { encoding: 'utf8', timeout: 60_000 }));
}

describe('password prompt against the lab DC', () => {
  it('the typed password binds and the spec is written; nothing typed is shown', () => {
    const { output, exitCode } = typed(`${L.adminPassword}\r`);
    expect(output).toMatch(/"MachineAccountName":\s+"webapp01"/);
    expect(output).not.toContain(L.adminPassword);
    expect(exitCode).toBe(0);
  }, 60_000);

  it('Ctrl-U clears a wrong start, and the password typed after it binds', () => {
    const { output, exitCode } = typed(`not-the-password\u0015${L.adminPassword}\r`);
    expect(output).toMatch(/"MachineAccountName":\s+"webapp01"/);
    expect(exitCode).toBe(0);
  }, 60_000);

  it('a wrong password is refused by the DC, named as such', () => {
    const { output, exitCode } = typed('Wrong-Passw0rd\r');
    expect(output).not.toContain('Wrong-Passw0rd');
    expect(output).not.toMatch(/"MachineAccountName"/);
    expect(exitCode).toBe(2);
  }, 60_000);
});
