/**
 * Issue 13, round trips: the same situation pasted (`gmsa-doctor explain`) and saved by `collect` (`gmsa-doctor
 * analyze`) gives the same cause. Each situation starts from a real paste (test/fixtures/evidence, evidence-samples,
 * host: sources in their PROVENANCE.md); the facts file is the one collect would have written on that host, its
 * captures holding the same commands' output (test/helpers/collected-facts.ts: collect's own probes answered from
 * the paste's lines, nothing added). Where an event export (test/fixtures/events) holds the same event as a pasted
 * text, the facts file reads the export; the pasted text saved to a file and given to `collect --events` is judged
 * too. test/integration/paste-round-trip.test.ts adds the live runs against the lab DC.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFacts, loadFactsFile } from '../../../src/cli/analyze.js';
import { explainPaste } from '../../../src/cli/explain-paste.js';
import { explainFile } from '../../../src/cli/explain.js';
import type { FaultKind } from '../../../src/engine/faults.js';
import type { FactsFile } from '../../../src/facts/file.js';
import type { Report } from '../../../src/report/model.js';
import { logonFailureEvtx } from '../../checks/events/_logs.js';
import { collectedFactsFile, fixturePath, fixtureText } from '../../helpers/collected-facts.js';
import type { CollectedSituation } from '../../helpers/collected-facts.js';
import { writeEvtx } from '../../helpers/evtx-writer.js';

interface RoundTrip {
  /** What happened, in a few words. */
  situation: string;
  /** The real paste (a fixture under test/fixtures), or several pasted together. */
  paste: string | string[];
  /** What collect would have saved on that host. */
  collected: CollectedSituation;
  /** The cause both give; undefined: none (a working piece). */
  kind?: FaultKind;
  findingId?: string;
}

/** A real `docker inspect` of a running Windows container (no credential spec in its SecurityOpt). */
const INSPECT = 'host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json';
/** A container started with a credential spec: its SecurityOpt as docker-compose#7303's `docker inspect` shows it. */
const WITH_CREDSPEC = 'evidence/docker-compose-7303__docker-inspect-SecurityOpt-credentialspec.txt';
/** Events of public issues in the `Get-WinEvent | ConvertTo-Json` layout: #221's 11507, AKS#3849's CCG 8, #405's 5720. */
const ISSUE_EVENTS = 'events/windows-containers-issues.get-winevent.json';

const NLTEST_1722 = 'evidence/kubernetes-website__configure-gmsa__nltest-query-RPC_S_SERVER_UNAVAILABLE.txt';
const NLTEST_1786 = 'evidence/xiaoping8385-TKGi-GMSA__operation-log__whoami-nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt';
const SC_VERIFY_1311 = 'evidence/microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt';
const SC_VERIFY_1787 = 'host/plooploops-windows-containers-AD-7__nltest-sc_verify-1787__klist-get-krbtgt.txt';
const REG_WITHOUT_CONTROL = 'evidence/macsux-kerberos-buildpack__README__reg-CCG-COMClasses-missing-Control.txt';
const HYPERV_11507 = 'evidence/microsoft-Windows-Containers-221__docker-run-winapi-3489792023-hyperv-compute-11507.txt';
const CCG_8 = 'evidence/Azure-AKS-3849__ccg-event-failed-to-fetch-gmsa-credentials-logon-invalid.txt';
const NETLOGON_5720 = 'evidence/microsoft-Windows-Containers-405__get-eventlog-netlogon-5720-shared-gmsa.txt';
const SECURITY_4625 =
  'evidence/microsoft-service-fabric-issues-1299__security-4625-0xC000015B-logon-type-not-granted.txt';
const CCG_1 = 'events/microsoft-Windows-Containers-544__CCG-event-plugin-instantiated.txt';
const GUIDE_SPEC =
  'credspec/samples/MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json';
const TKGI_SPEC = 'credspec/samples/xiaoping8385-TKGi-GMSA__WebApp01.json';
const TKGI_DOMAIN = 'evidence/xiaoping8385-TKGi-GMSA__operation-log__Get-ADDomain.txt';
const TKGI_WORKING = [
  'host/xiaoping8385-TKGi-GMSA__nltest-query-success.txt',
  'host/xiaoping8385-TKGi-GMSA__nltest-sc_verify-success.txt',
  'host/xiaoping8385-TKGi-GMSA__klist-get-krbtgt-success.txt',
];
const TEST_ADSA_WARNING =
  'evidence-samples/MicrosoftDocs-windows-powershell-docs-2551__Test-ADServiceAccount-warning.txt';

/** The CCG Admin log's event 1 (plug-in instantiated, the CLSID of #544) as a .evtx holds it: its XML encoded. */
function ccgEvent1Evtx(): string {
  const xml = readFileSync(fixturePath('events/ccg-admin.wevtutil.xml'), 'utf8').split('\n')[0]!;
  expect(xml).toContain('<EventID>1</EventID><Version>0</Version>');
  const file = join(mkdtempSync(join(tmpdir(), 'gmsa-round-trip-')), 'ccg-admin.evtx');
  writeFileSync(file, writeEvtx(xml));
  return file;
}

const ROUND_TRIPS: RoundTrip[] = [
  {
    // The cmdlet prints False after its warning; a paste cut after the warning reads as False on both sides.
    situation: 'Test-ADServiceAccount prints its warning (Test failed for Managed Service Account ...)',
    paste: TEST_ADSA_WARNING,
    collected: { testAdServiceAccount: { gmsaIISTAtlas: TEST_ADSA_WARNING } },
    kind: 'password-access-denied',
    findingId: 'host/test-adserviceaccount',
  },
  {
    // `explain FILE` reads an event export as `events` and `collect --events` do.
    situation: 'the CCG Admin log as `wevtutil qe /f:xml` writes it (the events ccg-admin.get-winevent.json holds)',
    paste: 'events/ccg-admin.wevtutil.xml',
    collected: { events: { files: ['events/ccg-admin.wevtutil.xml'] } },
    kind: 'plugin-not-loaded',
    findingId: 'events/ccg-plugin-load',
  },
  {
    situation: 'credential spec not applied: nltest /query 1722 RPC_S_SERVER_UNAVAILABLE in the container',
    paste: NLTEST_1722,
    collected: { container: { inspect: INSPECT, transcript: NLTEST_1722 } },
    kind: 'credspec-not-applied',
    findingId: 'container/credspec-applied',
  },
  {
    situation: 'credential spec not applied: whoami, nltest /query 1786 ERROR_NO_TRUST_LSA_SECRET',
    paste: NLTEST_1786,
    collected: { container: { inspect: INSPECT, transcript: NLTEST_1786 } },
    kind: 'credspec-not-applied',
    findingId: 'container/credspec-applied',
  },
  {
    situation: 'a credential spec named but not applied: nltest /query 1722 in a container started with one',
    paste: NLTEST_1722,
    collected: { container: { inspect: INSPECT, securityOptFrom: WITH_CREDSPEC, transcript: NLTEST_1722 } },
    kind: 'credspec-not-applied',
    findingId: 'container/credspec-applied',
  },
  {
    situation: 'no DC from the container: nltest /sc_verify 1311 ERROR_NO_LOGON_SERVERS, klist access denied',
    paste: SC_VERIFY_1311,
    collected: {
      container: { inspect: INSPECT, securityOptFrom: WITH_CREDSPEC, transcript: SC_VERIFY_1311, domain: 'k8s.lab' },
    },
    kind: 'container-no-dc',
    findingId: 'container/dc-located',
  },
  {
    situation: 'secure channel: nltest /sc_verify 1787 ERROR_NO_TRUST_SAM_ACCOUNT while klist get krbtgt has a TGT',
    paste: SC_VERIFY_1787,
    collected: {
      container: { inspect: INSPECT, securityOptFrom: WITH_CREDSPEC, transcript: SC_VERIFY_1787, domain: 'devMDCOM' },
    },
    kind: 'container-secure-channel',
    findingId: 'container/secure-channel',
  },
  {
    situation: 'CCG plug-in not registered: its CLSID under CCG\\COMClasses, without \\Control\\',
    paste: REG_WITHOUT_CONTROL,
    // The thread's own credential spec names the plug-in; collect reads it from the CredentialSpecs folder.
    collected: { credspecs: ['host/macsux-kerberos-buildpack__CcgPlugin__ccg.json'], ccgRegistry: REG_WITHOUT_CONTROL },
    kind: 'plugin-not-registered',
    findingId: 'host/ccg-plugin-registered',
  },
  {
    situation: 'Hyper-V-Compute 11507 (external credentials not set up) as text, and in a Get-WinEvent export',
    paste: HYPERV_11507,
    collected: { events: { files: [ISSUE_EVENTS], keep: (e) => e.eventId === 11507 } },
    kind: 'container-credentials-failed',
    findingId: 'events/hyperv-external-credentials',
  },
  {
    situation: 'CCG event 8 (the attempted logon is invalid) as text, and in a Get-WinEvent export',
    paste: CCG_8,
    collected: { events: { files: [ISSUE_EVENTS], keep: (e) => e.eventId === 8 } },
    kind: 'plugin-account-denied',
    findingId: 'events/ccg-gmsa-fetch',
  },
  {
    // The paste's names are redacted; the export's are filled in (PROVENANCE.md): neither says webapp01 is a gMSA.
    situation: 'NETLOGON 5720 (no local security database account) as Get-EventLog text, and in an export',
    paste: NETLOGON_5720,
    collected: { events: { files: [ISSUE_EVENTS], keep: (e) => e.eventId === 5720 } },
    kind: 'host-secure-channel',
    findingId: 'events/netlogon-secure-channel',
  },
  {
    situation: 'Security 4625 0xC000015B (logon type not granted) as Event Viewer text, and in a Security .evtx',
    paste: SECURITY_4625,
    collected: { events: { files: [await logonFailureEvtx()] } },
    kind: 'logon-right-missing',
    findingId: 'events/logon-type-granted',
  },
  {
    situation: "a credential spec that is not the pasted Get-ADDomain's domain",
    paste: [GUIDE_SPEC, TKGI_DOMAIN],
    collected: { credspecs: [GUIDE_SPEC], adDomain: TKGI_DOMAIN },
    kind: 'credspec-mismatch',
    findingId: 'credspec/matches-domain',
  },
  // Working pieces: neither names a cause.
  {
    situation: 'working: nltest /query and /sc_verify succeed, klist get krbtgt has a TGT (one thread)',
    paste: TKGI_WORKING,
    collected: {
      container: {
        inspect: INSPECT,
        securityOptFrom: WITH_CREDSPEC,
        transcript: TKGI_WORKING,
        domain: 'gmsaping.com',
      },
    },
  },
  {
    situation: "working: a credential spec and its domain's Get-ADDomain (one thread)",
    paste: [TKGI_SPEC, TKGI_DOMAIN],
    collected: { credspecs: [TKGI_SPEC], adDomain: TKGI_DOMAIN },
  },
  {
    situation: 'working: CCG event 1 (plug-in instantiated) as text, and in a .evtx',
    paste: CCG_1,
    collected: { events: { files: [ccgEvent1Evtx()] } },
  },
];

/** An event export pasted whole (`explain FILE`) and given to `collect --events FILE`: both name the same cause. */
const EXPORTS: { file: string; kind: FaultKind; findingId: string }[] = [
  { file: ISSUE_EVENTS, kind: 'plugin-not-loaded', findingId: 'events/ccg-plugin-load' },
  { file: 'events/ccg-admin.get-winevent.json', kind: 'plugin-not-loaded', findingId: 'events/ccg-plugin-load' },
];

/** explain of the paste: a file's bytes as `explain FILE` reads them (any encoding), several pasted one after another. */
async function pasted(paste: string | string[]): Promise<Report> {
  if (typeof paste === 'string') return explainFile(fixturePath(paste));
  return explainPaste(paste.map(fixtureText).join('\n\n'), paste.join(' + '));
}

async function analyzed(situation: CollectedSituation): Promise<Report> {
  const text = await collectedFactsFile(situation);
  const saved = loadFactsFile(text, 'collected.json');
  expect(saved.inputErrors, 'a facts file analyze reads without a problem').toEqual([]);
  return analyzeFacts(saved);
}

const causeOf = (report: Report) => ({
  kind: report.mostLikelyCause?.kind,
  findingId: report.mostLikelyCause?.findingId,
});

describe('a real paste and the facts file collect writes for the same situation give the same cause', () => {
  it.each(ROUND_TRIPS.map((r) => [r.situation, r] as const))('%s', async (_, r) => {
    const expected = { kind: r.kind, findingId: r.findingId };
    const paste = await pasted(r.paste);
    expect(causeOf(paste), 'explain').toEqual(expected);
    expect(paste.paste?.verdict).toBe(r.kind ? 'gmsa-failure' : 'healthy');
    const facts = await analyzed(r.collected);
    expect(causeOf(facts), 'analyze').toEqual(expected);
    if (!r.kind) expect(facts.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('an event pasted as text, saved to a file and given to collect --events: the same cause', () => {
  const texts = ROUND_TRIPS.filter((r) => r.collected.events && typeof r.paste === 'string');
  it.each(texts.map((r) => [r.situation, r] as const))('%s', async (_, r) => {
    const facts = await analyzed({ events: { files: [r.paste as string] } });
    expect(causeOf(facts)).toEqual({ kind: r.kind, findingId: r.findingId });
  });
});

describe('the facts files are what collect writes', () => {
  it('captures of the commands collect runs inside the container, with the output the paste shows, nothing more', async () => {
    const file = JSON.parse(
      await collectedFactsFile({
        container: { inspect: INSPECT, securityOptFrom: WITH_CREDSPEC, transcript: SC_VERIFY_1311, domain: 'k8s.lab' },
      }),
    ) as FactsFile;
    expect(file).toMatchObject({ format: 'gmsa-doctor-facts', version: 2 });
    const [id, container] = Object.entries(file.subjects.container ?? {})[0]!;
    expect(container['container.inspect']).toMatchObject({
      status: 'ok',
      value: { name: 'shared', credentialSpecOption: 'credentialspec=file://dev_gmsa.json' },
    });
    const exec = container['container.exec'];
    expect(exec?.status).toBe('ok');
    const value = (exec as { value: Record<string, { command: string; stdout: string } | string> }).value;
    // whoami, nltest /query and the DNS script are not in the paste: left out, as facts not gathered.
    expect(Object.keys(value).sort()).toEqual(['domain', 'klist', 'scVerify']);
    expect(value.scVerify).toMatchObject({
      command: `docker exec ${id} nltest /sc_verify:k8s.lab`,
      stdout: expect.stringContaining('Trusted DC Connection Status Status = 1311 0x51f ERROR_NO_LOGON_SERVERS'),
    });
    expect(value.klist).toMatchObject({
      command: `docker exec ${id} klist get krbtgt`,
      stdout: expect.stringContaining('klist failed with 0xc0000022/-1073741790: {Access Denied}'),
    });
  });

  it('a credential spec read by collect keeps its PluginInput out of the file', async () => {
    const text = await collectedFactsFile({
      credspecs: ['host/macsux-kerberos-buildpack__CcgPlugin__ccg.json'],
      ccgRegistry: REG_WITHOUT_CONTROL,
    });
    expect(text).not.toContain('gmsaccg:<password>');
    expect(JSON.parse(text)).toMatchObject({
      facts: {
        'host.ccgPlugins': {
          status: 'ok',
          value: {
            registered: [],
            classes: {
              '{DEFFF03C-3245-465F-8391-CC586A2D1F32}': { ccgRegistered: false, registeredWithoutControl: true },
            },
          },
        },
      },
    });
  });
});

describe('an event export pasted whole, and given to collect --events: the same cause', () => {
  it.each(EXPORTS.map((r) => [r.file, r] as const))('%s', async (file, r) => {
    expect(causeOf(await pasted(file)), 'explain').toEqual({ kind: r.kind, findingId: r.findingId });
    expect(causeOf(await analyzed({ events: { files: [file] } })), 'analyze').toEqual({
      kind: r.kind,
      findingId: r.findingId,
    });
  });
});
