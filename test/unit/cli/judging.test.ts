/**
 * Judging what others wrote: a status code is decoded wherever it appears and the finding says what it means; the
 * advice follows the error text, the platform, the user and the build, not only an event id or a field's shape.
 * Each input is a real one (test/fixtures, PROVENANCE.md), run through the CLI as a user runs it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const ISSUES_EVENTS = path.join(FIXTURES, 'events/windows-containers-issues.get-winevent.json');
const WEBAPP01_SPEC = path.resolve(import.meta.dirname, '../../../examples/credspecs/contoso_webapp01.json');
const work = mkdtempSync(path.join(tmpdir(), 'gmsa-judging-'));

interface JsonFinding {
  id: string;
  severity: string;
  message: string;
  subject?: string;
  remediation?: { text: string; commands?: string[] };
}
interface JsonReport {
  findings: JsonFinding[];
  mostLikelyCause?: { findingId: string; summary: string };
}

/** The real `docker inspect` sample (tfenster/td19-workshop), changed as a test needs, saved as an --inspect file. */
function inspectFile(name: string, edit: (c: Record<string, any>) => void): string {
  const [sample] = JSON.parse(
    readFileSync(
      path.join(FIXTURES, 'host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
      'utf8',
    ),
  ) as Record<string, any>[];
  edit(sample!);
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify([sample]));
  return file;
}

async function json(...args: string[]): Promise<JsonReport> {
  const { out } = await cli(...args, '--format', 'json');
  return JSON.parse(out) as JsonReport;
}

// The first run loads every command's modules: seconds on a loaded machine, which no single test should pay.
beforeAll(
  () =>
    cli(
      'check',
      '--inspect',
      path.join(FIXTURES, 'host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
    ),
  60_000,
);

const byId = (report: JsonReport, id: string): JsonFinding[] => report.findings.filter((f) => f.id === id);

describe('status codes are decoded wherever they appear', () => {
  it("HCS's winapi error #N in State.Error is HRESULT_FROM_NT, decoded with its meaning (microsoft/Windows-Containers#541)", async () => {
    const file = inspectFile('hcs', (c) => {
      c.HostConfig.SecurityOpt = ['credentialspec=file://contoso_webapp01.json'];
      c.State.Error =
        'hcs::CreateComputeSystem f8a7b59bca075e1afea0a808f725bf1468f8ad163d1889bc98c1dd3775b8302f: winapi error #3489792023.';
    });
    const [finding] = byId(await json('check', '--inspect', file), 'container/start-error');
    expect(finding?.message).toMatch(/\[0xD0020017 RPC_NT_SERVER_UNAVAILABLE \(An RPC server could not be reached\./);
  });

  it('an event that writes only the status text, or the code in its message, gets the status named (11507, CCG 8)', async () => {
    const report = await json('events', ISSUES_EVENTS);
    expect(byId(report, 'events/hyperv-external-credentials')[0]?.message).toMatch(
      /\(0xC0020017\) \[0xC0020017 RPC_NT_SERVER_UNAVAILABLE: /,
    );
    expect(byId(report, 'events/ccg-gmsa-fetch')[0]?.message).toMatch(
      /authentication information \[0xC000006D STATUS_LOGON_FAILURE: /,
    );
  });
});

describe('CCG event advice follows the error text', () => {
  it("event 4 with a COM identity failure points at the plug-in's RunAs identity, not its registration (#293)", async () => {
    const [finding] = byId(await json('events', ISSUES_EVENTS), 'events/ccg-plugin-load');
    expect(finding?.remediation?.text).toMatch(/^Verify the plug-in's COM identity, not its registration: the RunAs/);
    expect(finding?.remediation?.commands).toEqual([
      '$appId = (Get-ItemProperty "Registry::HKEY_CLASSES_ROOT\\CLSID\\{XXX}").AppID; Get-ItemProperty "Registry::HKEY_CLASSES_ROOT\\AppID\\$appId" | Select-Object RunAs',
    ]);
  });

  it('event 4 with Class not registered still points at the registration', async () => {
    const events = path.join(FIXTURES, 'events/ccg-admin.wevtutil.xml');
    const [finding] = byId(await json('events', events), 'events/ccg-plugin-load');
    expect(finding?.remediation?.commands).toEqual([
      'reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{859E1386-BDB4-49E8-85C7-3070B13920E1}"',
    ]);
  });

  it("event 8 with a logon failure points at the plug-in account's credentials, not its permission (Azure/AKS#3849)", async () => {
    const [finding] = byId(await json('events', ISSUES_EVENTS), 'events/ccg-gmsa-fetch');
    expect(finding?.remediation?.text).toMatch(
      /^Verify the plug-in account's credentials: the secret the plug-in reads/,
    );
    expect(finding?.remediation?.text).not.toMatch(/PrincipalsAllowedToRetrieveManagedPassword/);
  });

  it('NETLOGON 5720 naming the gMSA as the computer: several containers share it, on every build (#405)', async () => {
    const report = await json('check', '--events', ISSUES_EVENTS, '--credspec', WEBAPP01_SPEC);
    const [finding] = byId(report, 'events/netlogon-secure-channel');
    expect(finding).toMatchObject({ severity: 'error', subject: 'gMSA webapp01' });
    expect(finding?.message).toMatch(/on every Windows build, not only before Windows Server 2019/);
    expect(finding?.remediation?.text).toMatch(/^Give each container that runs at the same time its own gMSA/);
  });
});

describe('a Linux container is said to be one, first, with no gMSA advice', () => {
  const linux = inspectFile('lcow', (c) => {
    c.Platform = 'linux';
    c.Config.Image = 'nginx:alpine';
    c.Config.User = 'nginx';
    delete c.HostConfig.SecurityOpt;
  });

  it('the platform finding comes first and is the cause; no other finding gives credential-spec or user advice', async () => {
    const report = await json('check', '--inspect', linux);
    const about = report.findings.filter((f) => f.id.startsWith('container/') && f.subject === 'shared');
    expect(about[0]).toMatchObject({ id: 'container/windows-platform', severity: 'error' });
    expect(about[0]?.message).toMatch(
      /is a Linux container \(Platform: linux, LCOW\): a Linux container can never use a gMSA/,
    );
    expect(about.slice(1).filter((f) => f.severity !== 'skipped' && f.severity !== 'pass')).toEqual([]);
    expect(report.mostLikelyCause?.findingId).toBe('container/windows-platform');
    const advice = report.findings.flatMap((f) => [f.remediation?.text ?? '', ...(f.remediation?.commands ?? [])]);
    expect(advice.filter((a) => /credentialspec|--security-opt|--user/i.test(a))).toEqual([]);
  });
});

describe("Docker's own spelling rules: the key and the scheme without case (moby strings.EqualFold)", () => {
  it('CredentialSpec=File://NAME.json resolves like credentialspec=file:// (as in microsoft/Windows-Containers#544)', async () => {
    const file = inspectFile('mixed-case', (c) => {
      c.HostConfig.SecurityOpt = ['CredentialSpec=File://contoso_webapp01.json'];
    });
    const report = await json('check', '--inspect', file, '--credspec', WEBAPP01_SPEC);
    expect(byId(report, 'container/credspec-applied')[0]?.severity).toBe('pass');
    expect(byId(report, 'container/credspec-resolves')[0]).toMatchObject({
      severity: 'pass',
      message: "Container shared's spec contoso_webapp01.json exists and names gMSA webapp01.",
    });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('container/app-identity reads the user and knows the build', () => {
  const docker = (build: string) => {
    const info = readFileSync(path.join(FIXTURES, 'host/moby-moby-40545__docker-info-windows10-1909.txt'), 'utf8');
    const file = path.join(work, `docker-info-${build}.txt`);
    writeFileSync(file, info.replace(/18363(\.\d+)?/g, build));
    return file;
  };
  const user = (name: string) =>
    inspectFile(`user-${name.replace(/\W/g, '')}`, (c) => {
      c.HostConfig.SecurityOpt = ['credentialspec=file://contoso_webapp01.json'];
      c.Config.User = name;
    });

  it('NT AUTHORITY\\NETWORK SERVICE in Config.User is read as such, not as the image default', async () => {
    const [finding] = byId(
      await json('check', '--inspect', user('NT AUTHORITY\\NETWORK SERVICE')),
      'container/app-identity',
    );
    expect(finding).toMatchObject({ severity: 'pass' });
    expect(finding?.message).toMatch(/runs its process as NT AUTHORITY\\NETWORK SERVICE \(Config\.User\)/);
  });

  it('on Windows Server 2016 it never advises --user "NT AUTHORITY\\NETWORK SERVICE", which fails there with 0x52e', async () => {
    const report = await json('check', '--inspect', user('ContainerUser'), '--inspect', docker('14393'));
    const [finding] = byId(report, 'container/app-identity');
    expect(finding?.remediation?.text).toMatch(/fails at start with 0x52e/);
    expect(finding?.remediation?.commands?.some((c) => c.includes('--user'))).toBe(false);
  });

  it('on Windows Server 2019 it does', async () => {
    const report = await json('check', '--inspect', user('ContainerUser'), '--inspect', docker('17763'));
    const [finding] = byId(report, 'container/app-identity');
    expect(finding?.remediation?.commands?.[0]).toBe(
      'docker run --user "NT AUTHORITY\\NETWORK SERVICE" --security-opt "credentialspec=file://contoso_webapp01.json" mcr.microsoft.com/windows/servercore:1809',
    );
  });
});
