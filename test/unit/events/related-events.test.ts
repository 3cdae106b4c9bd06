import { describe, expect, it } from 'vitest';
import { FactStore } from '../../../src/engine/facts.js';
import { check, findingsOf } from '../../helpers/checks.js';
import { parseEventXml } from '../../../src/protocol/evtx/exports.js';
import type { EventLogFacts } from '../../../src/facts/events.js';

/** System-log events in wevtutil's layout; texts from the event table of src/protocol/ccg-events.ts. */
const SYSTEM_XML = `
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='NETLOGON'/><EventID Qualifiers='0'>5719</EventID><Level>2</Level><TimeCreated SystemTime='2024-05-20T06:00:01.0000000Z'/><EventRecordID>900</EventRecordID><Channel>System</Channel><Computer>ctr-host-01.contoso.com</Computer></System><EventData><Data>CONTOSO</Data><Data>There are currently no logon servers available to service the logon request.</Data><Binary>5E0000C0</Binary></EventData></Event>
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='NETLOGON'/><EventID Qualifiers='0'>5719</EventID><Level>2</Level><TimeCreated SystemTime='2024-05-20T07:00:01.0000000Z'/><EventRecordID>901</EventRecordID><Channel>System</Channel><Computer>ctr-host-01.contoso.com</Computer></System><EventData><Data>CONTOSO</Data><Data>There are currently no logon servers available to service the logon request.</Data><Binary>5E0000C0</Binary></EventData></Event>
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Hyper-V-Compute'/><EventID>11507</EventID><Level>2</Level><TimeCreated SystemTime='2024-05-20T07:00:05.0000000Z'/><EventRecordID>77</EventRecordID><Channel>Microsoft-Windows-Hyper-V-Compute-Admin</Channel><Computer>ctr-host-01.contoso.com</Computer></System><EventData><Data Name='Detail'>Container setup of external credentials failed</Data></EventData></Event>`;

function run(id: string, log: EventLogFacts) {
  const facts = new FactStore();
  facts.set('events.log', log);
  return findingsOf([check(id)], facts);
}

const LOG: EventLogFacts = {
  sources: [{ file: 'System.xml', format: 'xml', records: 3, relevant: 3, warnings: [] }],
  events: parseEventXml(SYSTEM_XML),
};

describe('NETLOGON and Hyper-V-Compute events', () => {
  it('NETLOGON 5719 is grouped per computer and points at DC discovery', () => {
    const [finding, ...rest] = run('events/netlogon-secure-channel', LOG);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      subject: 'ctr-host-01.contoso.com',
      evidence: { count: 2, errors: ['There are currently no logon servers available to service the logon request.'] },
    });
    expect(finding!.remediation!.commands).toEqual(['gmsa-doctor dc --domain <domain>']);
  });

  it('Hyper-V-Compute 11507 is an error pointing at the host checks', () => {
    const [finding] = run('events/hyperv-external-credentials', LOG);
    expect(finding).toMatchObject({ severity: 'error', evidence: { count: 1, first: '2024-05-20T07:00:05.0000000Z' } });
    expect(finding!.remediation!.text).toContain('#domain-joined-hosts-make-sure-the-host-can-use-the-gmsa');
  });

  it('without such events the checks pass and say what they read; without a log they are skipped', () => {
    const empty: EventLogFacts = {
      sources: [{ file: 'a.evtx', format: 'evtx', records: 12, relevant: 0, warnings: [] }],
      events: [],
    };
    expect(run('events/netlogon-secure-channel', empty)).toMatchObject([
      { severity: 'pass', message: 'No NETLOGON 5719 or 5720 in 12 records in 1 log.' },
    ]);
    const facts = new FactStore();
    facts.setUnavailable('events.log', 'no event log given (--events FILE or --live)');
    expect(findingsOf([check('events/ccg-credspec-parse')], facts)).toMatchObject([{ severity: 'skipped' }]);
  });
});
