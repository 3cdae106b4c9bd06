/**
 * Issue 6 "Must show": saved container-host facts, built from the real transcripts and the real `docker inspect`
 * sample, plus the AD facts the lab DC gives, judged exactly as `gmsa-doctor analyze FILE` judges them. Each
 * scenario asserts the most likely cause: the first failing link of host -> DC -> account -> credspec -> container.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFacts, loadFactsFile } from '../../src/cli/analyze.js';
import { parseCredSpecBytes } from '../../src/credspec/parse.js';
import { declaredFacts } from '../../src/engine/check.js';
import { FactStore } from '../../src/engine/facts.js';
import type { FactResults, FactsSnapshot } from '../../src/engine/facts.js';
import type { CheckOptions } from '../../src/engine/options.js';
import { gather } from '../../src/engine/runner.js';
import { factsFile } from '../../src/facts/file.js';
import { planProbes } from '../../src/plan/plan.js';
import { adProbes } from '../../src/plan/probes.js';
import { parseDockerInfo } from '../../src/protocol/parsers/docker-info.js';
import { containerFromInspect } from '../../src/protocol/parsers/docker-inspect.js';
import { splitTranscript } from '../../src/protocol/parsers/transcript.js';
import { ccgPluginsWithoutControl, registeredCcgPlugins } from '../../src/protocol/parsers/ccg-registry.js';
import type { Report } from '../../src/report/model.js';
import type { Lab } from '../helpers/lab.js';
import { lab } from '../helpers/lab.js';
import type { CommandCapture } from '../../src/facts/common.js';
import type { CredSpecDocument } from '../../src/facts/credspec.js';
import type { ContainerExecFacts, ContainerFacts } from '../../src/facts/docker.js';
import type { WindowsHostFacts } from '../../src/facts/host.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');

/** What a command printed, cut out of a real transcript, as the command runner captures it. */
function captured(transcript: string, command: RegExp): CommandCapture {
  const entry = splitTranscript(fixture(transcript)).find((e) => command.test(e.command));
  if (!entry) throw new Error(`${transcript}: no command matching ${String(command)}`);
  return { command: entry.command, exitCode: 0, stdout: entry.output, stderr: '', timedOut: false, notFound: false };
}

const TRANSCRIPTS = {
  hostScVerify: () =>
    captured('microsoft-Azure-Key-Vault-Plugin-gMSA__README-nltest-sc_verify.txt', /^nltest \/sc_verify/i),
  scVerifyOk: () =>
    captured('microsoft-Azure-Key-Vault-Plugin-gMSA__README-nltest-sc_verify.txt', /^nltest \/sc_verify/i),
  scVerifyNoLogonServers: () =>
    captured(
      'microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt',
      /^nltest \/sc_verify/i,
    ),
  klistOk: () => captured('xiaoping8385-TKGi-GMSA__klist-get-krbtgt-success.txt', /^klist get krbtgt/i),
  klistAccessDenied: () =>
    captured(
      'microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt',
      /^klist get krbtgt/i,
    ),
  queryOk: () => captured('xiaoping8385-TKGi-GMSA__nltest-query-success.txt', /^nltest \/query/i),
  queryRpcUnavailable: () =>
    captured('kubernetes-website__configure-gmsa__nltest-query-RPC_S_SERVER_UNAVAILABLE.txt', /^nltest\.exe \/query/i),
  whoami: () => captured('xiaoping8385-TKGi-GMSA__nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt', /^whoami$/i),
};

const INSPECT = (
  JSON.parse(fixture('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json')) as Record<
    string,
    unknown
  >[]
)[0]!;

/** The real inspect sample, started the way a scenario needs (security option, hostname, isolation). */
function container(
  name: string,
  settings: { credspec?: string; hostname?: string; isolation?: string },
): ContainerFacts {
  const copy = structuredClone(INSPECT) as {
    Id: string;
    Name: string;
    Config: Record<string, unknown>;
    HostConfig: Record<string, unknown>;
  };
  copy.Id = `${name}-${copy.Id.slice(name.length + 1)}`;
  copy.Name = `/${name}`;
  if (settings.credspec) copy.HostConfig.SecurityOpt = [`credentialspec=file://${settings.credspec}`];
  if (settings.hostname) copy.Config.Hostname = settings.hostname;
  if (settings.isolation) copy.HostConfig.Isolation = settings.isolation;
  const parsed = containerFromInspect(copy);
  if ('reason' in parsed) throw new Error(parsed.reason);
  return { ...parsed, selected: true };
}

/** A credential spec as New-CredentialSpec writes it for the lab's gMSA: the guide's example with the lab's SID and GUID. */
function labSpec(l: Lab, gmsa: string): CredSpecDocument {
  const text = fixture('MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json')
    .replace('S-1-5-21-702590844-1001920913-2680819671', l.domainSid)
    .replace('56d9b66c-d746-4f87-bd26-26760cfdca2e', l.domainGuid)
    .replace(/webapp01/g, gmsa);
  const { documents } = parseCredSpecBytes(Buffer.from(text), `C:\\ProgramData\\Docker\\CredentialSpecs\\${gmsa}.json`);
  return documents[0]!;
}

function ok(value: unknown) {
  return { status: 'ok' as const, value };
}

interface HostScenario {
  build: number;
  domainJoined?: boolean;
  containers: { facts: ContainerFacts; exec?: ContainerExecFacts }[];
  documents: CredSpecDocument[];
  specFiles?: string[];
  extra?: FactResults;
}

const EXEC_HEALTHY = (): ContainerExecFacts => ({
  domain: 'contoso.com',
  whoami: TRANSCRIPTS.whoami(),
  query: TRANSCRIPTS.queryOk(),
  scVerify: TRANSCRIPTS.scVerifyOk(),
  klist: TRANSCRIPTS.klistOk(),
});

/** The host's facts as collect saves them: about the host, and per container (its inspect data, what exec showed). */
function hostFacts(s: HostScenario): FactsSnapshot {
  const joined = s.domainJoined ?? true;
  const host: WindowsHostFacts = {
    build: s.build,
    ubr: 1,
    productName: 'Windows Server',
    computerName: 'CONTAINERHOST01',
    domainJoined: joined,
    ...(joined ? { domain: 'contoso.com' } : {}),
  };
  const containers: Record<string, FactResults> = {};
  for (const c of s.containers)
    containers[c.facts.id] = { 'container.inspect': ok(c.facts), ...(c.exec ? { 'container.exec': ok(c.exec) } : {}) };
  return {
    facts: {
      'host.windows': ok(host),
      'host.commands': ok(joined ? { scVerify: TRANSCRIPTS.hostScVerify() } : {}),
      'docker.info': ok(parseDockerInfo(fixture('moby-moby-40545__docker-info-windows10-1909.txt'))),
      'host.credentialSpecs': ok({
        dir: 'C:\\ProgramData\\Docker\\CredentialSpecs',
        files: s.specFiles ?? s.documents.map((d) => d.file.split('\\').pop()!),
      }),
      'credspec.documents': ok(s.documents),
      'credspec.readErrors': ok([]),
      ...s.extra,
    },
    subjects: { container: containers },
  };
}

/** Two snapshots as one (the host's and the AD's). */
function merged(a: FactsSnapshot, b: FactsSnapshot): FactsSnapshot {
  return { facts: { ...a.facts, ...b.facts }, subjects: { ...a.subjects, ...b.subjects } };
}

/** The AD facts the lab DC gives for this gMSA and host, gathered by the AD family's own probes. */
async function adFacts(l: Lab, gmsa: string, host: string, documents: CredSpecDocument[]): Promise<FactsSnapshot> {
  const options: CheckOptions = {
    domain: l.dnsDomain,
    dc: l.ip,
    gmsas: [gmsa],
    host,
    credspec: documents.map((d) => d.file),
    clientNames: [],
    inspect: [],
    events: [],
    containers: [],
    timeoutMs: 10_000,
    ldap: {
      transport: 'ldaps',
      caFile: l.caFile,
      insecureTls: false,
      user: l.adminUser,
      password: l.adminPassword,
      kerberos: false,
    },
  };
  const store = new FactStore();
  store.set('credspec.documents', documents);
  const plan = planProbes(adProbes(options), options, store);
  await gather(
    plan.checks.flatMap((c) => [...declaredFacts(c)]),
    { ...plan, facts: store, timeoutMs: options.timeoutMs },
  );
  const snapshot = store.snapshot();
  delete snapshot.facts['credspec.documents'];
  return snapshot;
}

const OUTPUT = fileURLToPath(new URL('../output/scenarios/', import.meta.url));

/**
 * Saved as `collect` writes it, read back as `analyze` reads it, judged by every check. The file is left in
 * test/output/scenarios/ (gitignored) so `gmsa-doctor analyze` can be shown on it.
 */
async function analyze(facts: FactsSnapshot): Promise<Report> {
  const text = JSON.stringify(factsFile(facts, { host: 'CONTAINERHOST01' }), null, 2);
  mkdirSync(OUTPUT, { recursive: true });
  writeFileSync(
    join(
      OUTPUT,
      `${
        expect
          .getState()
          .currentTestName?.split(' > ')
          .pop()
          ?.split(':')[0]
          ?.replace(/[^a-z0-9]+/gi, '-')
          .toLowerCase() ?? 'scenario'
      }.json`,
    ),
    text,
  );
  const saved = loadFactsFile(text, 'scenario.json');
  expect(saved.inputErrors).toEqual([]);
  return analyzeFacts(saved);
}

function errorsOf(report: Report): string[] {
  return report.findings.filter((f) => f.severity === 'error').map((f) => `${f.id}: ${f.message}`);
}

let l: Lab;
beforeAll(() => {
  l = lab();
});

describe('most likely cause, scenario by scenario', () => {
  it('healthy: gMSA webapp02 on containerhost01, Windows Server 2019: no failing link', async () => {
    const spec = labSpec(l, 'webapp02');
    const facts = hostFacts({
      build: 17763,
      documents: [spec],
      containers: [
        { facts: container('web', { credspec: 'webapp02.json', isolation: 'process' }), exec: EXEC_HEALTHY() },
      ],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp02', 'containerhost01', [spec])));
    expect(errorsOf(report)).toEqual([]);
    expect(report.mostLikelyCause).toBeUndefined();
    expect(report.findings.find((f) => f.id === 'host/can-retrieve-password')?.severity).toBe('pass');
    expect(report.findings.find((f) => f.id === 'container/secure-channel')?.severity).toBe('pass');
  });

  it('hostname mismatch on 17134: the container link', async () => {
    const spec = labSpec(l, 'webapp02');
    const facts = hostFacts({
      build: 17134,
      documents: [spec],
      containers: [{ facts: container('web', { credspec: 'webapp02.json' }), exec: EXEC_HEALTHY() }],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp02', 'containerhost01', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'container', findingId: 'known-issues/hostname-must-match' });
    expect(report.mostLikelyCause?.summary).toMatch(/hostname "1be91944c46e", not its gMSA name "webapp02"/);
  });

  it('shared gMSA on 14393: the container link', async () => {
    const spec = labSpec(l, 'webapp02');
    const facts = hostFacts({
      build: 14393,
      documents: [spec],
      containers: [
        { facts: container('web1', { credspec: 'webapp02.json', hostname: 'webapp02' }), exec: EXEC_HEALTHY() },
        { facts: container('web2', { credspec: 'webapp02.json', hostname: 'webapp02' }), exec: EXEC_HEALTHY() },
      ],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp02', 'containerhost01', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'container', findingId: 'known-issues/shared-gmsa' });
    expect(report.mostLikelyCause?.summary).toMatch(/used by 2 running containers at once: web1, web2/);
  });

  it('Hyper-V isolation on 16299: the container link', async () => {
    const spec = labSpec(l, 'webapp02');
    const facts = hostFacts({
      build: 16299,
      documents: [spec],
      containers: [
        {
          facts: container('web', { credspec: 'webapp02.json', hostname: 'webapp02', isolation: 'hyperv' }),
          exec: EXEC_HEALTHY(),
        },
      ],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp02', 'containerhost01', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'container', findingId: 'known-issues/hyperv-isolation' });
  });

  it('host not allowed (containerhost02 is in no allowed group): the host link, from the lab DC', async () => {
    const spec = labSpec(l, 'webapp01');
    const facts = hostFacts({
      build: 17763,
      documents: [spec],
      containers: [{ facts: container('web', { credspec: 'webapp01.json' }), exec: EXEC_HEALTHY() }],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp01', 'containerhost02', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'container host', findingId: 'host/can-retrieve-password' });
  });

  it('credential spec file missing: the credential spec link', async () => {
    const spec = labSpec(l, 'webapp02');
    const facts = hostFacts({
      build: 17763,
      documents: [spec],
      containers: [{ facts: container('web', { credspec: 'webapp2.json' }) }],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp02', 'containerhost01', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'credential spec', findingId: 'container/credspec-resolves' });
    expect(report.mostLikelyCause?.summary).toMatch(
      /names webapp2.json, which is not in C:\\ProgramData\\Docker\\CredentialSpecs/,
    );
  });

  it('credential spec not applied (nltest /query: RPC_S_SERVER_UNAVAILABLE): the container link', async () => {
    const spec = labSpec(l, 'webapp02');
    const facts = hostFacts({
      build: 17763,
      documents: [spec],
      containers: [{ facts: container('web', {}), exec: { query: TRANSCRIPTS.queryRpcUnavailable() } }],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp02', 'containerhost01', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'container', findingId: 'container/credspec-applied' });
    expect(report.mostLikelyCause?.summary).toMatch(/without a credential spec .* 1722 RPC_S_SERVER_UNAVAILABLE/);
  });

  it('no logon servers (DNS) inside the container: the DC link', async () => {
    const spec = labSpec(l, 'webapp02');
    const exec: ContainerExecFacts = {
      domain: 'k8s.lab',
      query: TRANSCRIPTS.queryOk(),
      scVerify: TRANSCRIPTS.scVerifyNoLogonServers(),
      klist: TRANSCRIPTS.klistAccessDenied(),
    };
    const facts = hostFacts({
      build: 17763,
      documents: [spec],
      containers: [{ facts: container('web', { credspec: 'webapp02.json' }), exec }],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'webapp02', 'containerhost01', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'domain controller', findingId: 'container/dc-located' });
    expect(report.mostLikelyCause?.summary).toMatch(/1311 ERROR_NO_LOGON_SERVERS/);
  });

  it('ERROR_NO_TRUST_SAM_ACCOUNT: delegapp01 lost WORKSTATION_TRUST_ACCOUNT (lab UAC fixture): the account link', async () => {
    const spec = labSpec(l, 'delegapp01');
    const facts = hostFacts({
      build: 17763,
      documents: [spec],
      containers: [
        {
          facts: container('web', { credspec: 'delegapp01.json' }),
          exec: { domain: 'contoso.com', query: TRANSCRIPTS.queryOk(), klist: TRANSCRIPTS.klistOk() },
        },
      ],
    });
    const report = await analyze(merged(facts, await adFacts(l, 'delegapp01', 'containerhost01', [spec])));
    expect(report.mostLikelyCause).toMatchObject({ link: 'gMSA account', findingId: 'account/workstation-trust-flag' });
  });

  it('CCG plugin not registered on a non-domain-joined host: the host link', async () => {
    const { documents } = parseCredSpecBytes(
      Buffer.from(fixture('macsux-kerberos-buildpack__CcgPlugin__ccg.json')),
      'C:\\ProgramData\\Docker\\CredentialSpecs\\ccg.json',
    );
    // The host has the AKV plugin registered (reg query) and this plugin written without \Control\ (its .reg file).
    const registered = registeredCcgPlugins(
      fixture('macsux-kerberos-buildpack__NOTES-reg-query-CCG-COMClasses-AKV-plugin.txt'),
    );
    const misplaced = ccgPluginsWithoutControl(
      fixture('macsux-kerberos-buildpack__README-reg-CCG-COMClasses-missing-Control.txt'),
    );
    const classes = Object.fromEntries(
      misplaced.map((guid) => [guid, { ccgRegistered: registered.includes(guid), registeredWithoutControl: true }]),
    );
    const facts = hostFacts({
      build: 20348,
      domainJoined: false,
      documents,
      containers: [{ facts: container('web', { credspec: 'ccg.json' }) }],
      extra: { 'host.ccgPlugins': ok({ registered, classes }) },
    });
    const report = await analyze(facts);
    expect(registered).toEqual(['{CCC2A336-D7F3-4818-A213-272B7924213E}']);
    expect(report.mostLikelyCause).toMatchObject({ link: 'container host', findingId: 'host/ccg-plugin-registered' });
    expect(report.mostLikelyCause?.summary).toMatch(
      /CCG plugin \{DEFFF03C-3245-465F-8391-CC586A2D1F32\} is not registered under .*\\Control\\CCG\\COMClasses.* It is registered under HKLM\\SYSTEM\\CurrentControlSet\\CCG\\COMClasses, which lacks \\Control\\/,
    );
  });
});
