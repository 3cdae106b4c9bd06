import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FactStore } from '../../../src/engine/facts.js';
import { gather } from '../../../src/engine/runner.js';
import { containerSubject } from '../../../src/facts/subjects.js';
import { checks, findingsOf } from '../../helpers/checks.js';
import { ReplayRunner } from '../../../src/probes/commands.js';
import { containerExecProbe } from '../../../src/probes/containers.js';
import type { CredSpecDocument } from '../../../src/facts/credspec.js';
import type { ContainerExecFacts, ContainerFacts } from '../../../src/facts/docker.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/host/${name}`, import.meta.url), 'utf8');

const spec = JSON.parse(
  fixture('MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json'),
) as unknown;
const documents: CredSpecDocument[] = [
  {
    file: 'C:\\ProgramData\\Docker\\CredentialSpecs\\webapp01.json',
    format: 'json',
    index: 0,
    spec,
    specPath: '',
    positions: {},
    notes: [],
  },
];
const web: ContainerFacts = {
  id: 'c0ffee',
  name: 'web',
  running: true,
  hostname: 'webapp01',
  securityOpt: ['credentialspec=file://webapp01.json'],
  credentialSpecOption: 'credentialspec=file://webapp01.json',
  dns: [],
  platform: 'windows',
  image: 'mcr.microsoft.com/windows/servercore/iis',
};

const subject = containerSubject(web.id);

async function examine(runner: ReplayRunner, given: { domain?: string; documents?: CredSpecDocument[] } = {}) {
  const facts = new FactStore();
  facts.set('container.inspect', web, { subject });
  facts.set('credspec.documents', given.documents ?? documents);
  await gather(['container.exec'], {
    probes: [containerExecProbe(runner, given.domain ? { domain: given.domain } : {})],
    facts,
    timeoutMs: 2000,
  });
  const findings = findingsOf(checks('container/'), facts);
  const exec = facts.resultFor('container.exec', subject);
  return {
    exec: exec?.status === 'ok' ? (exec.value as ContainerExecFacts) : undefined,
    findings,
    severity: (id: string) => findings.filter((f) => f.id === id).map((f) => f.severity),
  };
}

describe('docker exec inside a container, replayed from real transcripts', () => {
  it("asks the guide's commands about the credential spec's domain", async () => {
    const runner = new ReplayRunner([]);
    await examine(runner);
    expect(runner.asked).toEqual([
      'docker exec c0ffee whoami',
      'docker exec c0ffee nltest /query',
      'docker exec c0ffee nltest /sc_verify:contoso.com',
      'docker exec c0ffee klist get krbtgt',
      expect.stringMatching(
        /^docker exec c0ffee powershell -NoProfile -NonInteractive -Command "\$servers = .*GetHostAddresses\('contoso.com'\)/,
      ) as unknown,
    ]);
  });

  it('a healthy container: secure channel and TGT pass; a tool missing from the image is reported as such', async () => {
    const runner = new ReplayRunner(
      ReplayRunner.inContainer(
        'c0ffee',
        fixture('microsoft-Azure-Key-Vault-Plugin-gMSA__README-nltest-sc_verify.txt'),
        fixture('xiaoping8385-TKGi-GMSA__klist-get-krbtgt-success.txt'),
        fixture('xiaoping8385-TKGi-GMSA__nltest-query-success.txt'),
      ),
    );
    const { exec, findings, severity } = await examine(runner);
    expect(exec?.domain).toBe('contoso.com');
    expect(severity('container/secure-channel')).toEqual(['pass']);
    expect(severity('container/kerberos-tgt')).toEqual(['pass']);
    expect(findings.find((f) => f.id === 'container/kerberos-tgt')?.message).toContain('WIN-5DF7THCD7UL.gmsaping.com');
    expect(severity('container/credspec-applied')).toEqual(['pass']);
    // whoami and the DNS script were not recorded: the replay answers as a missing program.
    const tools = findings.find((f) => f.id === 'container/tools-present');
    expect(tools?.severity).toBe('warning');
    expect(tools?.message).toMatch(/Not in the image of web: whoami, powershell/);
  });

  it('ERROR_NO_LOGON_SERVERS and klist access denied (SDN#339): the container cannot find a DC', async () => {
    // The pod of SDN#339 was in k8s.lab; its spec was not saved, so the domain is given as --domain would.
    const runner = new ReplayRunner(
      ReplayRunner.inContainer(
        'c0ffee',
        fixture('microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt'),
      ),
    );
    const { findings, severity } = await examine(runner, { domain: 'k8s.lab', documents: [] });
    expect(severity('container/dc-located')).toEqual(['error']);
    expect(findings.find((f) => f.id === 'container/dc-located')?.message).toMatch(/1311 ERROR_NO_LOGON_SERVERS/);
    expect(severity('container/secure-channel')).toEqual(['error']);
    const tgt = findings.find((f) => f.id === 'container/kerberos-tgt');
    expect(tgt?.severity).toBe('error');
    expect(tgt?.message).toMatch(
      /0xc0000022 STATUS_ACCESS_DENIED: no TGT, so Kerberos does not work\. Access denied\./,
    );
  });

  it('ERROR_NO_TRUST_LSA_SECRET from nltest /query: the gMSA identity was not applied', async () => {
    const runner = new ReplayRunner(
      ReplayRunner.inContainer('c0ffee', fixture('xiaoping8385-TKGi-GMSA__nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt')),
    );
    const { findings } = await examine(runner);
    const applied = findings.find((f) => f.id === 'container/credspec-applied');
    expect(applied?.severity).toBe('error');
    expect(applied?.message).toMatch(
      /nltest \/query answers 1786 ERROR_NO_TRUST_LSA_SECRET: the gMSA identity was not applied/,
    );
    const identity = findings.find((f) => f.id === 'container/app-identity');
    expect(identity?.message).toContain('whoami shows user manager\\containeradministrator');
  });
});

describe('container facts that need no transcript', () => {
  const judgeWith = (container: ContainerFacts, exec?: ContainerExecFacts) => {
    const facts = new FactStore();
    facts.set('container.inspect', container, { subject: containerSubject(container.id) });
    facts.set('credspec.documents', documents);
    if (exec) facts.set('container.exec', exec, { subject: containerSubject(container.id) });
    return findingsOf(checks('container/'), facts);
  };

  it('DNS inside the container (the JSON our PowerShell script prints): the domain does not resolve', () => {
    // ConvertTo-Json prints a one-element array as a bare string.
    const dns = {
      command: 'docker exec c0ffee powershell ...',
      exitCode: 0,
      stdout: '{"servers":"172.27.0.1","addresses":[],"error":"No such host is known"}\r\n',
      stderr: '',
      timedOut: false,
      notFound: false,
    };
    const findings = judgeWith(web, { domain: 'contoso.com', dns });
    const located = findings.find((f) => f.id === 'container/dc-located');
    expect(located?.severity).toBe('error');
    expect(located?.message).toBe(
      'Inside web, contoso.com does not resolve (No such host is known) with DNS servers 172.27.0.1: the container cannot find a domain controller.',
    );
  });

  it('a Linux (LCOW) container cannot use a credential spec', () => {
    const findings = judgeWith({ ...web, platform: 'linux' });
    expect(findings.find((f) => f.id === 'container/windows-platform')?.severity).toBe('error');
  });

  it('an HCS start error names the decoded NTSTATUS', () => {
    const failed = {
      ...web,
      running: false,
      stateError: 'hcsshim::System::Start: failure in a Windows system call: winapi error #3221356567',
    };
    const error = judgeWith(failed).find((f) => f.id === 'container/start-error');
    expect(error?.severity).toBe('error');
    expect(error?.message).toContain('0xC0020017 RPC_NT_SERVER_UNAVAILABLE');
  });

  it('an app configured to run as a plain user does not use the gMSA', () => {
    const findings = judgeWith({ ...web, user: 'ContainerUser' });
    expect(findings.find((f) => f.id === 'container/app-identity')).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/runs its process as ContainerUser/) as unknown,
    });
  });
});
