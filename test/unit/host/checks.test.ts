import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFacts, loadFactsFile } from '../../../src/cli/analyze.js';
import { ALL_CHECKS } from '../../../src/checks/index.js';
import { CHAIN } from '../../../src/engine/chain.js';
import { FactStore } from '../../../src/engine/facts.js';
import type { Finding } from '../../../src/engine/finding.js';
import { containerSubject } from '../../../src/facts/subjects.js';
import { check, findingsOf } from '../../helpers/checks.js';
import { outputOf } from '../../../src/protocol/parsers/transcript.js';
import { windowsHostFrom } from '../../../src/probes/windows-host.js';
import {
  ccgPluginsWithoutControl,
  comClassFrom,
  registeredCcgPlugins,
} from '../../../src/protocol/parsers/ccg-registry.js';
import { mostLikelyCause } from '../../../src/report/likely-cause.js';
import { exitCodeOf } from '../../../src/report/model.js';
import type { CommandCapture } from '../../../src/facts/common.js';
import type { ContainerFacts } from '../../../src/facts/docker.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/host/${name}`, import.meta.url), 'utf8');

function capture(command: string, stdout: string): CommandCapture {
  return { command, exitCode: 0, stdout, stderr: '', timedOut: false, notFound: false };
}

function judge(id: string, setup: (facts: FactStore) => void): Finding[] {
  const facts = new FactStore();
  setup(facts);
  return findingsOf([check(id)], facts);
}

const withContainers = (facts: FactStore, containers: readonly ContainerFacts[]): void => {
  for (const c of containers) facts.set('container.inspect', c, { subject: containerSubject(c.id) });
};

const gmsaContainer = (over: Partial<ContainerFacts> = {}): ContainerFacts => ({
  id: 'abc',
  name: 'web',
  running: true,
  hostname: 'web-7f9c',
  isolation: 'default',
  securityOpt: ['credentialspec=file://webapp01.json'],
  credentialSpecOption: 'credentialspec=file://webapp01.json',
  dns: [],
  ...over,
});

const webapp01Spec = JSON.parse(
  fixture('MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json'),
) as unknown;
const documents = [
  {
    file: 'C:\\ProgramData\\Docker\\CredentialSpecs\\webapp01.json',
    format: 'json' as const,
    index: 0,
    spec: webapp01Spec,
    specPath: '',
    positions: {},
    notes: [],
  },
];

describe('known-issue checks over the build', () => {
  const setup =
    (build: number, container: ContainerFacts, defaultIsolation = 'process') =>
    (facts: FactStore) => {
      facts.set('host.windows', { build, domainJoined: true, domain: 'contoso.com' });
      facts.set('docker.info', { defaultIsolation });
      withContainers(facts, [container]);
      facts.set('credspec.documents', documents);
    };

  it('hostname must equal the gMSA name before 17763, any hostname after', () => {
    expect(judge('known-issues/hostname-must-match', setup(17134, gmsaContainer()))[0]).toMatchObject({
      severity: 'error',
      subject: 'web',
    });
    expect(
      judge('known-issues/hostname-must-match', setup(17134, gmsaContainer({ hostname: 'WebApp01' })))[0]?.severity,
    ).toBe('pass');
    expect(judge('known-issues/hostname-must-match', setup(17763, gmsaContainer()))[0]?.severity).toBe('pass');
  });

  it('Hyper-V isolation, explicit or the daemon default, fails on 1709 but not on 1607', () => {
    expect(
      judge('known-issues/hyperv-isolation', setup(16299, gmsaContainer({ isolation: 'hyperv' })))[0]?.severity,
    ).toBe('error');
    expect(judge('known-issues/hyperv-isolation', setup(16299, gmsaContainer(), 'hyperv'))[0]?.severity).toBe('error');
    expect(judge('known-issues/hyperv-isolation', setup(16299, gmsaContainer(), 'process'))[0]?.severity).toBe('pass');
    expect(
      judge('known-issues/hyperv-isolation', setup(14393, gmsaContainer({ isolation: 'hyperv' })))[0]?.severity,
    ).toBe('pass');
  });

  it('knows the gMSA of a spec whose keys are in another case, as the credential spec rules do', () => {
    const lower = JSON.parse(
      JSON.stringify(webapp01Spec)
        .replace('"DomainJoinConfig"', '"domainJoinConfig"')
        .replace('"MachineAccountName"', '"machineAccountName"'),
    ) as unknown;
    const findings = judge('known-issues/hostname-must-match', (facts) => {
      setup(17134, gmsaContainer())(facts);
      facts.set('credspec.documents', [{ ...documents[0]!, spec: lower }]);
    });
    // It used to be skipped: "its credential spec was not read, so its gMSA name is unknown".
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/not its gMSA name "webapp01"/) as unknown,
    });
  });

  it('without any build it says so instead of guessing', () => {
    const findings = judge('known-issues/shared-gmsa', (f) => withContainers(f, [gmsaContainer()]));
    expect(findings[0]).toMatchObject({
      severity: 'skipped',
      message: expect.stringMatching(/build is unknown/) as unknown,
    });
  });
});

describe('host checks', () => {
  it('host/dc-reachable reads the status lines of nltest /sc_verify', () => {
    const failed =
      outputOf(
        fixture('microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt'),
        /^nltest \/sc_verify/i,
      ) ?? '';
    const findings = judge('host/dc-reachable', (f) => {
      f.set('host.windows', { build: 17763, domainJoined: true, domain: 'k8s.lab' });
      f.set('host.commands', { scVerify: capture('nltest /sc_verify:k8s.lab', failed) });
    });
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/failed with 1311 ERROR_NO_LOGON_SERVERS/) as unknown,
    });
    const good = judge('host/dc-reachable', (f) => {
      f.set('host.windows', { build: 17763, domainJoined: true, domain: 'gmsaping.com' });
      f.set('host.commands', {
        scVerify: capture(
          'nltest /sc_verify:gmsaping.com',
          fixture('xiaoping8385-TKGi-GMSA__nltest-sc_verify-success.txt'),
        ),
      });
    });
    expect(good[0]?.message).toMatch(/WIN-5DF7THCD7UL.gmsaping.com is verified/);
  });

  it('host/test-adserviceaccount: False is an error, a missing AD module defers to the LDAP evaluation', () => {
    const f1 = judge('host/test-adserviceaccount', (f) =>
      f.set('host.commands', {
        testAdServiceAccount: { webapp01: capture("Test-ADServiceAccount -Identity 'webapp01'", 'False\r\n') },
      }),
    );
    expect(f1[0]).toMatchObject({ severity: 'error', subject: 'webapp01' });
    const missing = capture('Test-ADServiceAccount', '');
    missing.stderr =
      "Test-ADServiceAccount : The term 'Test-ADServiceAccount' is not recognized as the name of a cmdlet, function, script file, or operable program.";
    const f2 = judge('host/test-adserviceaccount', (f) =>
      f.set('host.commands', { testAdServiceAccount: { webapp01: missing } }),
    );
    expect(f2[0]).toMatchObject({
      severity: 'skipped',
      message: expect.stringMatching(/host\/can-retrieve-password/) as unknown,
    });
  });

  it('host/domain-joined: a workgroup host needs HostAccountConfig', () => {
    const findings = judge('host/domain-joined', (f) => {
      f.set('host.windows', { build: 20348, domainJoined: false, computerName: 'NODE1' });
      f.set('credspec.documents', documents);
    });
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/not domain joined and no credential spec has HostAccountConfig/) as unknown,
    });
  });

  it('CCG plugin registration is read from real reg query output', () => {
    const out = fixture('macsux-kerberos-buildpack__NOTES-reg-query-CCG-COMClasses-AKV-plugin.txt');
    expect(registeredCcgPlugins(out)).toEqual(['{CCC2A336-D7F3-4818-A213-272B7924213E}']);
    expect(comClassFrom(out)).toEqual({ clsidRegistered: true, server: 'C:\\Windows\\System32\\CCGAKVPlugin.dll' });
    expect(windowsHostFrom('', '{}')).toMatch(/printed no CurrentBuildNumber/);
    // Windows-Containers#196: the plugin's .reg file misses \Control\, so CCG never finds it.
    const reg = fixture('macsux-kerberos-buildpack__README-reg-CCG-COMClasses-missing-Control.txt');
    expect(ccgPluginsWithoutControl(reg)).toEqual(['{DEFFF03C-3245-465F-8391-CC586A2D1F32}']);
    expect(registeredCcgPlugins(reg)).toEqual([]);
  });
});

describe('most likely cause', () => {
  const finding = (id: string, severity: Finding['severity'], message = 'm'): Finding => ({
    id,
    severity,
    message,
    title: id,
    section: 'container',
    docs: '',
    link: check(id).meta.link ?? undefined,
    ...(severity === 'error' && check(id).meta.fault ? { fault: check(id).meta.fault } : {}),
  });

  it('each check names its link of the chain; an area can lend a check to another link', () => {
    const linkOf = (id: string) => ALL_CHECKS.find((c) => c.meta.id === id)?.meta.link;
    expect(CHAIN.map((l) => l.link)).toEqual(['host', 'dc', 'account', 'credspec', 'container']);
    expect(linkOf('host/can-retrieve-password')).toBe('host');
    expect(linkOf('network/dns-srv')).toBe('dc');
    expect(linkOf('account/ldap-connection')).toBe('dc');
    expect(linkOf('account/workstation-trust-flag')).toBe('account');
    expect(linkOf('container/credspec-resolves')).toBe('credspec');
    expect(linkOf('host/credential-specs-folder')).toBe('credspec');
    expect(linkOf('container/dc-located')).toBe('dc');
    expect(linkOf('known-issues/shared-gmsa')).toBe('container');
    expect(linkOf('events/ccg-activity')).toBeNull();
  });

  it('names the first failing link of the chain, whatever the order of the findings', () => {
    const cause = mostLikelyCause([
      finding('container/secure-channel', 'error', 'sc_verify failed'),
      finding('host/can-retrieve-password', 'error', 'host not allowed'),
    ]);
    expect(cause).toEqual({
      link: 'container host',
      findingId: 'host/can-retrieve-password',
      kind: 'password-access-denied',
      summary: 'Password retrieval not allowed: host not allowed.',
    });
  });

  it('ignores warnings and passes: no failing link, no cause', () => {
    expect(mostLikelyCause([finding('network/ldaps', 'warning'), finding('account/spns', 'pass')])).toBeUndefined();
  });
});

describe('analyze: saved facts files', () => {
  const v1 = (facts: Record<string, unknown>) => JSON.stringify({ format: 'gmsa-doctor-facts', version: 1, facts });

  it('refuses what is not a facts file at all, naming the file and the field', () => {
    expect(() => loadFactsFile('{"format":"other","version":1,"facts":{}}', 'saved.json')).toThrow(
      /^saved\.json: field format: /,
    );
    expect(() => loadFactsFile('{"format":"gmsa-doctor-facts","version":9,"facts":{}}', 'saved.json')).toThrow(
      /^saved\.json: field version: not a version this gmsa-doctor reads/,
    );
    expect(() => loadFactsFile('not json', 'saved.json')).toThrow(/^saved\.json: not JSON/);
  });

  it('names the field of a bad fact, leaves that fact out and judges the rest', async () => {
    const saved = loadFactsFile(
      v1({
        'host.windows': { status: 'ok', value: { build: '17763', domainJoined: true } },
        'x.y': { status: 'maybe' },
        'docker.info': { status: 'ok', value: { build: 17134 } },
      }),
      'saved.json',
    );
    expect(saved.inputErrors).toEqual([
      {
        file: 'saved.json',
        field: 'facts.host.windows.value.build',
        reason: expect.stringMatching(/expected number, received string/) as unknown,
      },
      { file: 'saved.json', field: 'facts.x.y.status', reason: expect.any(String) as unknown },
    ]);
    expect(saved.facts.result('host.windows')).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/^the saved value is malformed \(facts\.host\.windows\.value\.build/) as unknown,
    });
    const report = await analyzeFacts(saved);
    expect(report.findings.find((f) => f.id === 'host/windows-build')?.message).toMatch(/build 17134/);
    expect(exitCodeOf(report)).toBe(2);
  });

  it('validates every fact key against its schema: net.ports must be a list (it crashed the network checks before)', async () => {
    const saved = loadFactsFile(v1({ 'net.ports': { status: 'ok', value: {} } }), 'saved.json');
    expect(saved.inputErrors).toEqual([
      { file: 'saved.json', field: 'facts.net.ports.value', reason: 'Invalid input: expected array, received object' },
    ]);
    const firewall = (await analyzeFacts(saved)).findings.find((f) => f.id === 'network/firewall');
    expect(firewall).toMatchObject({
      severity: 'skipped',
      message: expect.stringMatching(
        /it needs the DC ports of the guide's firewall table, which could not be had: the saved value is malformed/,
      ) as unknown,
    });
  });

  it('runs only the checks whose facts were saved, and says which were not', async () => {
    const report = await analyzeFacts(
      loadFactsFile(
        v1({
          'host.windows': { status: 'ok', value: { build: 17134, domainJoined: true, domain: 'contoso.com' } },
          'docker.containers': { status: 'ok', value: [gmsaContainer()] },
          'credspec.documents': { status: 'ok', value: documents },
        }),
        'saved.json',
      ),
    );
    expect(report.findings.some((f) => f.id.startsWith('account/'))).toBe(false);
    expect(report.notChecked?.find((n) => n.id === 'account/exists')?.how).toBe(
      'not in the facts file (collect with --gmsa NAME, with --domain D or --dc HOST)',
    );
    expect(report.mostLikelyCause).toMatchObject({ link: 'container', findingId: 'known-issues/hostname-must-match' });
  });
});
