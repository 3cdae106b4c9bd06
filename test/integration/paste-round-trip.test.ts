/**
 * Issue 13, round trips, live: a situation the lab DC can produce, checked with `gmsa-doctor check` against it,
 * names the same fault kind as the real paste of that situation judged by `gmsa-doctor explain`
 * (test/fixtures/evidence, evidence-samples: sources in their PROVENANCE.md). The lab's objects are those of
 * scripts/lab/fixtures.sh: containerhost02$ is in no group that may retrieve webapp01$'s password, disabledapp01$ is
 * disabled, nosuchapp01$ does not exist. test/unit/evidence/round-trip.test.ts has the paste / facts file pairs.
 * Runs the real command line (main) in-process, as a user types it. Needs scripts/lab/start.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainPaste } from '../../src/cli/explain-paste.js';
import { main } from '../../src/cli/program.js';
import type { FaultKind } from '../../src/engine/faults.js';
import type { Report } from '../../src/report/model.js';
import { lab } from '../helpers/lab.js';
import type { Lab } from '../helpers/lab.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));

let L: Lab;
let dir: string;
beforeAll(() => {
  L = lab();
  dir = mkdtempSync(join(tmpdir(), 'gmsa-doctor-round-trip-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `gmsa-doctor check` against the lab DC over LDAPS with the lab's CA, as JSON; the password from the environment. */
async function check(flags: string[]): Promise<{ exitCode: number; report: Report }> {
  const out = join(dir, 'report.json');
  const args = [
    ...['check', '--domain', L.dnsDomain, '--dns-server', L.ip, '--user', L.adminUser, '--ca', L.caFile],
    ...['--timeout', '5', '--format', 'json', '-o', out, ...flags],
  ];
  process.env.GMSA_DOCTOR_PASSWORD = L.adminPassword;
  try {
    const exitCode = await main(['node', 'gmsa-doctor', ...args]);
    process.exitCode = undefined;
    return { exitCode, report: JSON.parse(readFileSync(out, 'utf8')) as Report };
  } finally {
    delete process.env.GMSA_DOCTOR_PASSWORD;
  }
}

async function explained(file: string): Promise<Report> {
  return explainPaste(fixture(file), file);
}

interface LiveRoundTrip {
  situation: string;
  /** `check` flags that make the lab show it. */
  flags: string[];
  /** Real pastes of the same situation. */
  pastes: string[];
  kind: FaultKind;
  /** The finding live `check` names: the lab is read over LDAP, so it may not be the check that read the paste. */
  liveFindingId: string;
}

const LIVE: LiveRoundTrip[] = [
  {
    situation: 'the host may not retrieve the password: containerhost02$ is in no allowed group',
    flags: ['--gmsa', 'webapp01', '--host', 'containerhost02'],
    pastes: [
      'evidence/beatcracker-Powershell-Misc-3__Use-ServiceAccount-access-denied.txt',
      'evidence/rapid7-metasploit-framework-20401__Install-ADServiceAccount-access-denied.txt',
      'evidence-samples/MicrosoftDocs-windows-powershell-docs-2551__Test-ADServiceAccount-warning.txt',
    ],
    kind: 'password-access-denied',
    liveFindingId: 'host/can-retrieve-password',
  },
  {
    situation: 'the gMSA is disabled: disabledapp01$ (userAccountControl 0x1002)',
    flags: ['--gmsa', 'disabledapp01', '--host', 'containerhost01'],
    pastes: ['evidence/cea-sec-gmsad-7__gmsad-KDC_ERR_CLIENT_REVOKED-disabled-gmsa.txt'],
    kind: 'account-disabled',
    liveFindingId: 'account/exists',
  },
  {
    situation: 'the gMSA does not exist: nosuchapp01$',
    flags: ['--gmsa', 'nosuchapp01', '--host', 'containerhost01'],
    pastes: ['evidence-samples/aws-credentials-fetcher-178__kinit-client-not-found.txt'],
    kind: 'account-missing',
    liveFindingId: 'account/exists',
  },
  {
    // The paste: the guide's spec beside another domain's Get-ADDomain; live: the same spec against contoso.com,
    // whose DNS name it has but not its SID and GUID.
    situation: "a credential spec with another domain's SID and GUID (check --credspec)",
    flags: [
      '--credspec',
      new URL(
        'credspec/samples/MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json',
        FIXTURES,
      ).pathname,
    ],
    pastes: [],
    kind: 'credspec-mismatch',
    liveFindingId: 'credspec/matches-domain',
  },
];

describe('a situation the lab shows live and its real paste name the same fault kind', () => {
  it.each(LIVE.map((r) => [r.situation, r] as const))('%s', async (_, r) => {
    const { exitCode, report } = await check(r.flags);
    const cause = report.mostLikelyCause;
    expect(exitCode, JSON.stringify(cause)).toBe(1);
    expect({ kind: cause?.kind, findingId: cause?.findingId }).toEqual({ kind: r.kind, findingId: r.liveFindingId });
    for (const paste of r.pastes) expect((await explained(paste)).mostLikelyCause?.kind, paste).toBe(r.kind);
  });

  it('the credential spec beside a pasted Get-ADDomain: the same kind and finding as the live check', async () => {
    const spec = fixture(
      'credspec/samples/MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json',
    ).toString('utf8');
    const domain = fixture('evidence/xiaoping8385-TKGi-GMSA__operation-log__Get-ADDomain.txt').toString('utf8');
    const report = await explainPaste(`${spec}\n\n${domain}`, 'spec + Get-ADDomain');
    expect(report.mostLikelyCause).toMatchObject({ kind: 'credspec-mismatch', findingId: 'credspec/matches-domain' });
  });
});
