/**
 * One container host whose running containers use three gMSAs of the lab (webapp01$: allowed through
 * WebApp01Hosts, webapp02$: grants containerhost01$ directly, orphanapp01$: no msDS-GroupMSAMembership), judged by
 * `check`, saved by `collect` and judged again by `analyze`, all through one mechanism: every gMSA is a subject of
 * the run, read over one LDAP session. The Docker Engine API is the stand-in serving the real inspect payload
 * (three containers made from it), the credential specs are real files in <DockerRootDir>\CredentialSpecs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReport } from '../../src/cli/check.js';
import { collectFacts } from '../../src/cli/collect.js';
import type { CheckOptions } from '../../src/engine/options.js';
import type { Finding } from '../../src/engine/finding.js';
import { ReplayRunner } from '../../src/probes/commands.js';
import { renderText } from '../../src/report/text.js';
import { cli } from '../helpers/cli.js';
import { serveDockerApi } from '../helpers/docker-daemon.js';
import { lab } from '../helpers/lab.js';
import type { Lab } from '../helpers/lab.js';

const fixturePath = (name: string): string => new URL(`../fixtures/host/${name}`, import.meta.url).pathname;
const GMSAS = ['webapp01', 'webapp02', 'orphanapp01'];

let L: Lab;
let root: string;
let stopDocker: () => Promise<void>;

/** The guide's domain-joined example written for a gMSA of the lab: its domain's SID and GUID, its name. */
function labSpec(gmsa: string): string {
  return readFileSync(
    fixturePath('MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json'),
    'utf8',
  )
    .replace('S-1-5-21-702590844-1001920913-2680819671', L.domainSid)
    .replace('56d9b66c-d746-4f87-bd26-26760cfdca2e', L.domainGuid)
    .replace(/webapp01/g, gmsa);
}

beforeAll(async () => {
  L = lab();
  root = mkdtempSync(join(tmpdir(), 'gmsa-three-'));
  mkdirSync(join(root, 'CredentialSpecs'));
  for (const gmsa of GMSAS) writeFileSync(join(root, 'CredentialSpecs', `${gmsa}.json`), labSpec(gmsa));
  const info = {
    ...(JSON.parse(readFileSync(fixturePath('docker-api-info-windows10-1909.json'), 'utf8')) as Record<
      string,
      unknown
    >),
    DockerRootDir: root,
  };
  const sample = (
    JSON.parse(
      readFileSync(fixturePath('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'), 'utf8'),
    ) as Record<string, any>[]
  )[0]!;
  const containers = GMSAS.map((gmsa, i) => ({
    ...sample,
    Id: `${i + 1}`.repeat(64),
    Name: `/${gmsa}-web`,
    HostConfig: { ...sample.HostConfig, SecurityOpt: [`credentialspec=file://${gmsa}.json`] },
  }));
  const answers: Record<string, unknown> = {
    '/info': info,
    '/containers/json': containers.map((c) => ({ Id: c.Id, Names: [c.Name] })),
  };
  for (const c of containers) answers[`/containers/${c.Id}/json`] = c;
  stopDocker = await serveDockerApi(root, answers);
});

afterAll(async () => {
  await stopDocker();
  rmSync(root, { recursive: true, force: true });
});

/** The host is not really Windows: its commands were never recorded, so they answer as missing programs. */
const host = () => ({ windows: true, docker: true, runner: new ReplayRunner([]) });

const options = (): CheckOptions => ({
  domain: L.dnsDomain,
  dc: L.ip,
  dnsServer: L.ip,
  host: 'containerhost01',
  gmsas: [],
  credspec: [],
  clientNames: [],
  inspect: [],
  events: [],
  containers: [],
  timeoutMs: 5000,
  ldap: {
    transport: 'ldaps',
    caFile: L.caFile,
    insecureTls: false,
    user: L.adminUser,
    password: L.adminPassword,
    kerberos: false,
  },
});

/** Each gMSA's verdict on whether containerhost01$ may retrieve its password. */
const access = (findings: readonly Finding[]) =>
  findings.filter((f) => f.id === 'host/can-retrieve-password').map((f) => [f.about?.id, f.severity]);
const EXPECTED_ACCESS = [
  ['webapp01', 'pass'],
  ['webapp02', 'pass'],
  ['orphanapp01', 'error'],
];

describe('a host whose containers use three gMSAs', () => {
  it('check judges each gMSA, and each container, once, over one LDAP session', async () => {
    const report = await checkReport(options(), host(), undefined);
    expect(access(report.findings)).toEqual(EXPECTED_ACCESS);
    expect(report.findings.filter((f) => f.id === 'account/exists').map((f) => [f.about?.id, f.severity])).toEqual(
      GMSAS.map((g) => [g, 'pass']),
    );
    expect(report.findings.filter((f) => f.id === 'container/credspec-resolves').map((f) => f.message)).toEqual(
      GMSAS.map((g) => `Container ${g}-web's spec ${g}.json exists and names gMSA ${g}.`),
    );
    // One session for all three, judged once; the cause is the gMSA nobody may use.
    expect(report.probes?.filter((p) => p.id === 'ldap.ad')).toHaveLength(1);
    expect(report.findings.filter((f) => f.id === 'account/ldap-connection')).toHaveLength(1);
    expect(report.mostLikelyCause).toMatchObject({
      findingId: 'host/can-retrieve-password',
      summary: expect.stringMatching(/orphanapp01\$ has no msDS-GroupMSAMembership/) as unknown,
    });
    // The text names the gMSA of each finding about containerhost01$; a container is named by its name.
    const text = renderText(report, { color: false });
    expect(text).toMatch(/host\/can-retrieve-password {2}containerhost01\$ \[gMSA orphanapp01\]/);
    expect(text).toMatch(/container\/tools-present {2}orphanapp01-web\n/);
  });

  it('collect saves each gMSA and each container under its subject; analyze judges them the same way', async () => {
    const saved = await collectFacts(options(), host(), undefined);
    expect(Object.keys(saved.subjects.gmsa ?? {})).toEqual(GMSAS);
    expect(Object.keys(saved.subjects.container ?? {})).toHaveLength(3);
    expect(saved.subjects.gmsa?.orphanapp01?.['ad.gmsa']).toMatchObject({
      status: 'ok',
      value: { name: 'orphanapp01', account: { sAMAccountName: 'orphanapp01$' } },
    });
    const file = join(root, 'facts.json');
    writeFileSync(file, JSON.stringify(saved, null, 2));

    const { code, out } = await cli('analyze', file, '--format', 'json');
    const report = JSON.parse(out) as { findings: Finding[]; inputErrors: unknown[]; mostLikelyCause: unknown };
    expect(report.inputErrors).toEqual([]);
    expect(code).toBe(1);
    expect(access(report.findings)).toEqual(EXPECTED_ACCESS);
    expect(report.mostLikelyCause).toMatchObject({ findingId: 'host/can-retrieve-password' });
  });
});
