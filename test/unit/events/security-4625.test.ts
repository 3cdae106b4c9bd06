/**
 * Security event 4625 with 0xC000015B (STATUS_LOGON_TYPE_NOT_GRANTED), the Service Fabric host's event of
 * microsoft/service-fabric-issues#1299 (test/fixtures/evidence, cases.json): pasted as text it has the data names an
 * .evtx 4625 has, the logs keep it (and no other failed logon), and `events`, `check --events` and the paste's
 * facts all give events/logon-type-granted, with the right to grant and the commands to confirm it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EVENT_CHECKS } from '../../../src/checks/index.js';
import { analyzeEvents } from '../../../src/cli/events.js';
import { eventRecordsOfText, factsOfEvidence } from '../../../src/evidence/facts.js';
import { recognise } from '../../../src/evidence/recognise.js';
import type { EventRecord } from '../../../src/facts/events.js';
import { isRelevant, readEventFile } from '../../../src/probes/eventlog.js';
import { LOGON_RIGHT_LOG, SECURITY_LOG } from '../../checks/events/_logs.js';
import { findingsOf } from '../../helpers/checks.js';
import { cli } from '../../helpers/cli.js';

const EVIDENCE = join(import.meta.dirname, '../../fixtures/evidence');
const PASTE_FILE = 'microsoft-service-fabric-issues-1299__security-4625-0xC000015B-logon-type-not-granted.txt';
const SECURITY_4625 = join(EVIDENCE, PASTE_FILE);
const HYPERV_11507 = join(
  EVIDENCE,
  'microsoft-Windows-Containers-221__docker-run-winapi-3489792023-hyperv-compute-11507.txt',
);
const SECURITY_EVTX = join(
  import.meta.dirname,
  '../../fixtures/events/omerbenamram-evtx__Security_short_selected.evtx',
);

const COMMANDS = [
  'secedit /export /cfg C:\\secpol.cfg /areas USER_RIGHTS',
  "Select-String -Path C:\\secpol.cfg -Pattern 'SeServiceLogonRight|SeDenyServiceLogonRight'",
  "([System.Security.Principal.NTAccount]'CORP\\gmsa.sf-prod$').Translate([System.Security.Principal.SecurityIdentifier]).Value",
  'gpresult /scope computer /h C:\\gpresult.html',
];

async function records(file: string): Promise<EventRecord[]> {
  const all: EventRecord[] = [];
  for await (const batch of readEventFile(file, { readText: eventRecordsOfText })) all.push(...batch.records);
  return all;
}

interface JsonFinding {
  id: string;
  severity: string;
  subject?: string;
  remediation?: { commands?: string[] };
}
const errors = <F extends JsonFinding>(findings: readonly F[]): F[] => findings.filter((f) => f.severity === 'error');

describe('one shape', () => {
  it('a pasted 4625 has the data names of a real .evtx 4625, in the same order, with the pasted values', async () => {
    const [pasted] = await records(SECURITY_4625);
    const evtx = (await records(SECURITY_EVTX)).find((r) => r.eventId === 4625)!;
    expect(Object.keys(pasted!.data)).toEqual(Object.keys(evtx.data));
    expect(pasted).toMatchObject({
      provider: 'Microsoft-Windows-Security-Auditing',
      eventId: 4625,
      channel: 'Security',
      data: {
        TargetUserName: 'gmsa.sf-prod$',
        TargetDomainName: 'CORP',
        Status: '0xC000015B',
        SubStatus: '0x0',
        LogonType: '5',
        FailureReason: 'The user has not been granted the requested logon type at this machine.',
        ProcessName: 'C:\\Program Files\\Microsoft Service Fabric\\bin\\FabricHost.exe',
        WorkstationName: 'APWLLWS131',
      },
    });
  });

  it('the logs keep a 4625 for a missing logon right (0xC000015B), and leave out other failed logons', async () => {
    // The real Security log's only 4625 is a wrong password (0xC000006D / 0xC000006A) over RDP.
    const evtx = (await records(SECURITY_EVTX)).find((r) => r.eventId === 4625)!;
    expect(evtx.data).toMatchObject({ Status: '0xc000006d', SubStatus: '0xc000006a' });
    expect(isRelevant(evtx)).toBe(false);
    expect(SECURITY_LOG.sources).toMatchObject([{ format: 'evtx', records: 7, relevant: 0 }]);
    expect(LOGON_RIGHT_LOG.sources).toMatchObject([{ format: 'evtx', records: 1, relevant: 1 }]);
    expect(LOGON_RIGHT_LOG.events[0]!.data).toMatchObject({ Status: '0xc000015b', LogonType: '5' });
    expect(isRelevant((await records(SECURITY_4625))[0]!)).toBe(true);
  });
});

describe('judged wherever it comes from', () => {
  it('`events FILE.txt`: exit 1, the account, the right and the commands to confirm it', async () => {
    const { code, out } = await cli('events', SECURITY_4625, '--format', 'json');
    expect(code).toBe(1);
    const [finding, ...rest] = errors((JSON.parse(out) as { findings: JsonFinding[] }).findings);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: 'events/logon-type-granted', subject: 'CORP\\gmsa.sf-prod$ on APWLLWS131' });
    expect(finding!.remediation!.commands).toEqual(COMMANDS);
  });

  it('`check --events`: the 4625 beside the other events', async () => {
    const { code, out } = await cli('check', '--events', HYPERV_11507, '--events', SECURITY_4625, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { findings: JsonFinding[]; inputErrors: unknown[] };
    expect(report.inputErrors).toEqual([]);
    expect(errors(report.findings).map((f) => f.id)).toEqual([
      'events/hyperv-external-credentials',
      'events/logon-type-granted',
    ]);
  });

  it('`events -`: piped in', async () => {
    const report = await analyzeEvents(['-'], { stdin: Readable.from([readFileSync(SECURITY_4625)]) });
    expect(errors(report.findings).map((f) => [f.id, f.subject])).toEqual([
      ['events/logon-type-granted', 'CORP\\gmsa.sf-prod$ on APWLLWS131'],
    ]);
  });

  it('the paste as facts: the error names what the thread established (cases.json mustMention)', () => {
    const { cases } = JSON.parse(readFileSync(join(EVIDENCE, 'cases.json'), 'utf8')) as {
      cases: { file: string; cause: string; mustMention: string[] }[];
    };
    const entry = cases.find((c) => c.file === PASTE_FILE)!;
    expect(entry.cause).toBe('logon-right-missing');
    const { facts } = factsOfEvidence(recognise(readFileSync(SECURITY_4625, 'utf8')).items);
    const found = errors(findingsOf(EVENT_CHECKS, facts));
    expect(found.map((f) => [f.id, f.fault, f.link, f.subject])).toEqual([
      ['events/logon-type-granted', 'logon-right-missing', 'host', 'CORP\\gmsa.sf-prod$ on APWLLWS131'],
    ]);
    for (const words of entry.mustMention) expect(found[0]!.message).toContain(words);
    expect(found[0]!.remediation!.commands).toEqual(COMMANDS);
  });
});
