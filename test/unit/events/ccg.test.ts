import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventParameters } from '../../../src/checks/events/_events.js';
import { analyzeEvents } from '../../../src/cli/events.js';
import { checkReport } from '../../../src/cli/check.js';
import type { Finding } from '../../../src/engine/finding.js';
import { ReplayRunner } from '../../../src/probes/commands.js';
import { readEventFile } from '../../../src/probes/eventlog.js';
import { writeEvtx } from '../../helpers/evtx-writer.js';
import type { EventRecord } from '../../../src/facts/events.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/events');
const XML = join(FIXTURES, 'ccg-admin.wevtutil.xml');
const JSON_EXPORT = join(FIXTURES, 'ccg-admin.get-winevent.json');
const EVTX = join(mkdtempSync(join(tmpdir(), 'gmsa-ccg-')), 'Microsoft-Windows-Containers-CCG%4Admin.evtx');
writeFileSync(EVTX, writeEvtx(readFileSync(XML, 'utf8'), { recordsPerChunk: 4 }));

const PLUGIN = '{3C0BED28-38FC-42A9-A6AC-967A4839DF61}';

async function records(file: string): Promise<EventRecord[]> {
  const all: EventRecord[] = [];
  for await (const batch of readEventFile(file)) {
    expect(batch.warnings).toEqual([]);
    all.push(...batch.records);
  }
  return all.sort((a, b) => a.recordId - b.recordId);
}

/** What must not depend on the export format: JSON keeps milliseconds only, so times are compared at that precision. */
function essence(r: EventRecord) {
  return {
    recordId: r.recordId,
    eventId: r.eventId,
    time: Math.floor(Date.parse(r.timeCreated)),
    provider: r.provider,
    providerGuid: r.providerGuid?.toUpperCase(),
    channel: r.channel,
    computer: r.computer,
    level: r.level,
    userId: r.userId,
    parameters: eventParameters(r),
  };
}

function findingEssence(f: Finding) {
  const evidence = (f.evidence ?? {}) as { count?: number; first?: string; last?: string; errors?: string[] };
  return {
    id: f.id,
    severity: f.severity,
    subject: f.subject,
    count: evidence.count,
    first: evidence.first && Date.parse(evidence.first),
    last: evidence.last && Date.parse(evidence.last),
    errors: evidence.errors,
    commands: f.remediation?.commands,
  };
}

describe('CCG Admin events read from .evtx, wevtutil XML and Get-WinEvent JSON', () => {
  it('the three formats give the same 11 events, parameters in %1, %2, %3 order', async () => {
    const [fromEvtx, fromXml, fromJson] = await Promise.all([records(EVTX), records(XML), records(JSON_EXPORT)]);
    expect(fromEvtx).toHaveLength(11);
    expect(fromEvtx.map(essence)).toEqual(fromXml.map(essence));
    expect(fromJson.map(essence)).toEqual(fromXml.map(essence));
    expect(essence(fromEvtx[0]!)).toMatchObject({
      eventId: 1,
      provider: 'Microsoft-Windows-Containers-CCG',
      parameters: [PLUGIN],
    });
    expect(fromEvtx[0]!.timeCreated).toBe('2024-05-02T09:14:03.5310221Z');
  });

  it('the three formats give the same findings', async () => {
    const [evtx, xml, json] = await Promise.all([
      analyzeEvents([EVTX], {}),
      analyzeEvents([XML], {}),
      analyzeEvents([JSON_EXPORT], {}),
    ]);
    const withoutSource = (r: typeof evtx) =>
      r.findings.filter((f) => f.id !== 'events/log-readable').map(findingEssence);
    expect(withoutSource(evtx)).toEqual(withoutSource(xml));
    expect(withoutSource(json)).toEqual(withoutSource(xml));
  });
});

describe('CCG events become findings that point at the cause', () => {
  const find = (findings: Finding[], id: string) => findings.filter((f) => f.id === id);

  it('event 8: grouped by gMSA and plug-in, with count, first and last time, errors, and the AD permission check', async () => {
    const { findings } = await analyzeEvents([EVTX], {});
    const [fetch, ...others] = find(findings, 'events/ccg-gmsa-fetch');
    expect(others).toEqual([]);
    expect(fetch).toMatchObject({
      severity: 'error',
      subject: `gMSA WebApp01, plug-in ${PLUGIN}`,
      evidence: {
        count: 3,
        first: '2024-05-12T09:14:06.1000000Z',
        last: '2024-05-12T10:14:06.3000000Z',
        errors: ['Access is denied. (0x80070005)', 'The specified account does not exist. (0x800708AD)'],
        computers: ['k8s-win-node1'],
      },
    });
    expect(fetch!.message).toContain('3 times between 2024-05-12T09:14:06.1000000Z and 2024-05-12T10:14:06.3000000Z');
    expect(fetch!.remediation!.text).toContain('PrincipalsAllowedToRetrieveManagedPassword');
    expect(fetch!.remediation!.text).toContain('#check-the-gmsa-account');
    expect(fetch!.remediation!.commands).toEqual([
      'gmsa-doctor check --domain <domain> --gmsa WebApp01 --host <plugin-account>',
    ]);
  });

  it('events 3, 4, 6 and 9 point at the credential spec, the plug-in registration, the plug-in input and the PluginGUID', async () => {
    const { findings } = await analyzeEvents([XML], {});
    const [parse] = find(findings, 'events/ccg-credspec-parse');
    expect(parse).toMatchObject({
      severity: 'error',
      evidence: { count: 1, errors: ['The parameter is incorrect. (0x80070057)'] },
    });
    expect(parse!.remediation!.text).toContain('#check-the-credential-spec-file');

    const [load] = find(findings, 'events/ccg-plugin-load');
    expect(load).toMatchObject({ severity: 'error', subject: 'plug-in {859E1386-BDB4-49E8-85C7-3070B13920E1}' });
    expect(load!.remediation!.commands).toEqual([
      'reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{859E1386-BDB4-49E8-85C7-3070B13920E1}"',
    ]);

    const [credentials] = find(findings, 'events/ccg-plugin-credentials');
    expect(credentials).toMatchObject({ severity: 'error', subject: 'plug-in {CCC2A336-D7F3-4818-A213-272B7924213E}' });
    expect(credentials!.remediation!.text).toMatch(/PluginInput.*secret store/);

    const [guid] = find(findings, 'events/ccg-plugin-guid');
    expect(guid!.message).toContain('{GDMA0342-266A-4D1P-831J-20990E82944F}');
    expect(guid!.remediation!.text).toContain('PluginGUID');
  });

  it('events 1, 2 and 7 are reported as what worked, per gMSA and plug-in', async () => {
    const { findings } = await analyzeEvents([JSON_EXPORT], {});
    const activity = find(findings, 'events/ccg-activity').map((f) => [
      f.severity,
      f.subject,
      (f.evidence as { count: number }).count,
    ]);
    expect(activity).toEqual([
      ['pass', `plug-in ${PLUGIN}`, 1],
      ['pass', `gMSA WebApp01, plug-in ${PLUGIN}`, 1],
      ['pass', `plug-in ${PLUGIN}`, 1],
      ['pass', 'plug-in {CCC2A336-D7F3-4818-A213-272B7924213E}', 1],
    ]);
  });

  it('--since keeps the later events only', async () => {
    const { findings } = await analyzeEvents([EVTX], { since: '2024-05-14T00:00:00Z' });
    expect(find(findings, 'events/ccg-gmsa-fetch').map((f) => f.severity)).toEqual(['pass']);
    expect(find(findings, 'events/ccg-plugin-guid').map((f) => f.severity)).toEqual(['error']);
  });

  it('`check --events` gives the same event findings as `events`', async () => {
    const fromEvents = (await analyzeEvents([EVTX], {})).findings;
    const report = await checkReport(
      {
        gmsas: [],
        credspec: [],
        clientNames: [],
        inspect: [],
        events: [EVTX],
        containers: [],
        timeoutMs: 3000,
        ldap: { transport: 'ldaps', insecureTls: false, kerberos: false },
      },
      { windows: false, docker: false, runner: new ReplayRunner([]) },
      undefined,
    );
    const eventFindings = report.findings.filter((f) => f.section === 'events');
    expect(eventFindings.map(findingEssence)).toEqual(fromEvents.map(findingEssence));
  });
});
