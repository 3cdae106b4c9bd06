/**
 * Issue 12 "Must show": the fault matrix. `gmsa-doctor check` against the lab DC with each fault of the guide's
 * firewall table (dropped and rejected), DNS over UDP and over TCP, a wrong password, strong auth required, an
 * untrusted CA and a DC that is down: the "Most likely cause" line names the fault's own kind, and the run ends
 * within one --timeout plus 0.5 s. Runs the real command line (main), as a user types it. Needs scripts/lab/start.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { FAULTS } from '../../src/engine/faults.js';
import type { FaultKind } from '../../src/engine/faults.js';
import { lab, withFault, withStrongAuth } from '../helpers/lab.js';
import type { Fault, Lab } from '../helpers/lab.js';

const TIMEOUT_S = 2;
/** An address in the lab's network where no host answers: a DC that is switched off. */
const DOWN_DC = '10.213.37.6';

let L: Lab;
let dir: string;
beforeAll(async () => {
  L = lab();
  dir = mkdtempSync(join(tmpdir(), 'gmsa-doctor-matrix-'));
  await check(); // loads every module once, so that the timed runs time the network
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  exitCode: number;
  causeLine: string | undefined;
  kind: FaultKind | undefined;
  ms: number;
  text: string;
}

/** `gmsa-doctor check` for webapp01 on containerhost01, over LDAPS with the lab's CA; extra flags last. */
async function check(flags: string[] = [], password = L.adminPassword): Promise<Outcome> {
  const text = join(dir, 'report.txt');
  const json = join(dir, 'report.json');
  const args = [
    ...['check', '--domain', L.dnsDomain, '--dns-server', L.ip, '--gmsa', 'webapp01', '--host', 'containerhost01'],
    ...['--user', L.adminUser, '--timeout', String(TIMEOUT_S), '--no-color'],
    ...(flags.includes('--ca') ? [] : ['--ca', L.caFile]),
    ...flags,
  ];
  process.env.GMSA_DOCTOR_PASSWORD = password;
  try {
    const t0 = performance.now();
    const exitCode = await main(['node', 'gmsa-doctor', ...args, '-o', text]);
    const ms = performance.now() - t0;
    process.exitCode = undefined;
    await main(['node', 'gmsa-doctor', ...args, '--format', 'json', '-o', json]);
    process.exitCode = undefined;
    const report = JSON.parse(readFileSync(json, 'utf8')) as { mostLikelyCause?: { kind?: FaultKind } };
    const printed = readFileSync(text, 'utf8');
    return {
      exitCode,
      ms,
      text: printed,
      causeLine: printed.split('\n').find((l) => l.startsWith('Most likely cause')),
      kind: report.mostLikelyCause?.kind,
    };
  } finally {
    delete process.env.GMSA_DOCTOR_PASSWORD;
  }
}

/** The cause line names the kind (its headline leads the sentence), and the run took one timeout at most. */
function expectCause(outcome: Outcome, kind: FaultKind, ...phrases: (string | RegExp)[]): void {
  const line = outcome.causeLine ?? `no cause line in:\n${outcome.text}`;
  expect(outcome.exitCode, line).toBe(1);
  expect(outcome.kind, line).toBe(kind);
  expect(line).toMatch(new RegExp(`^Most likely cause \\([a-z -]+\\): ${FAULTS[kind]}: `));
  for (const phrase of phrases) expect(line).toMatch(phrase);
  expect(outcome.ms, line).toBeLessThan(TIMEOUT_S * 1_000 + 500);
}

const blocked = (port: number, proto: 'tcp' | 'udp' | 'both', mode: 'drop' | 'reject'): Fault => ({
  kind: 'block',
  port,
  proto,
  mode,
});
const stateOf = (mode: 'drop' | 'reject'): RegExp => (mode === 'drop' ? /filtered/ : /refused/);

describe('the lab as it is', () => {
  it('no fault: exit 0, no cause', async () => {
    const outcome = await check();
    expect(outcome.exitCode, outcome.text).toBe(0);
    expect(outcome.kind).toBeUndefined();
  });
});

describe.each(['drop', 'reject'] as const)("the guide's firewall table, each port %sped", (mode) => {
  it.each([
    [88, 'both', 'TCP and UDP 88 (Kerberos)'],
    [389, 'both', 'TCP and UDP 389 (LDAP)'],
    [139, 'tcp', 'TCP 139'],
    [636, 'tcp', 'TCP 636'],
    [53, 'udp', 'UDP 53 (DNS)'],
    [53, 'tcp', 'TCP 53 (DNS)'],
  ] as const)('%i/%s: "Port blocked: %s"', async (port, proto, what) => {
    const outcome = await withFault(blocked(port, proto, mode), () => check());
    expectCause(outcome, 'port-blocked', what, stateOf(mode));
    // One finding for the fault, whatever crossed the port: no second error block about it.
    expect(outcome.text.match(/✖ error/g), outcome.text).toHaveLength(1);
  });

  it('53 over UDP and TCP: "DNS server unreachable", no DC can be located', async () => {
    const outcome = await withFault(blocked(53, 'both', mode), () => check());
    expectCause(outcome, 'dns-unreachable', `DNS server ${L.ip} answers neither over UDP 53`, stateOf(mode));
  });
});

describe('the DC answers, and refuses', () => {
  it('a wrong password: "Bind refused"', async () => {
    expectCause(await check([], `${L.adminPassword}-wrong`), 'bind-refused', /invalid credentials|49/i);
  });

  // Samba restarts twice (strong auth on, then off): on a busy machine that takes half a minute.
  it('strong auth required, a simple bind on plain LDAP: "Strong authentication required"', async () => {
    const outcome = await withStrongAuth(() => check(['--ldap', 'ldap']));
    expectCause(outcome, 'strong-auth-required');
  }, 120_000);

  it('an untrusted CA: "Certificate untrusted"', async () => {
    const wrongCa = join(dir, 'other-ca.pem');
    writeFileSync(wrongCa, rootCertificates[0]!);
    expectCause(await check(['--ca', wrongCa]), 'certificate-untrusted', `CA file ${wrongCa}`);
  });

  it('the DC is down (nothing answers at its address): "Domain controller unreachable"', async () => {
    expectCause(await check(['--dc', DOWN_DC]), 'dc-unreachable', `${DOWN_DC}`);
  });
});
