import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEventFile } from '../../../src/probes/eventlog.js';
import { writeEvtx } from '../../helpers/evtx-writer.js';
import { eventLog } from '../_fixtures.js';

/**
 * Logs as the event log probe reads them: the CCG Admin log export (test/fixtures/events/ccg-admin.wevtutil.xml,
 * events 1 to 9), a log with no CCG event at all (omerbenamram/evtx Application sample), and System-log events in
 * wevtutil's layout with the texts of the event table (as test/unit/events/related-events.test.ts has them).
 */
export const SYSTEM_XML = `
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='NETLOGON'/><EventID Qualifiers='0'>5719</EventID><Level>2</Level><TimeCreated SystemTime='2024-05-20T06:00:01.0000000Z'/><EventRecordID>900</EventRecordID><Channel>System</Channel><Computer>ctr-host-01.contoso.com</Computer></System><EventData><Data>CONTOSO</Data><Data>There are currently no logon servers available to service the logon request.</Data><Binary>5E0000C0</Binary></EventData></Event>
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='NETLOGON'/><EventID Qualifiers='0'>5719</EventID><Level>2</Level><TimeCreated SystemTime='2024-05-20T07:00:01.0000000Z'/><EventRecordID>901</EventRecordID><Channel>System</Channel><Computer>ctr-host-01.contoso.com</Computer></System><EventData><Data>CONTOSO</Data><Data>There are currently no logon servers available to service the logon request.</Data><Binary>5E0000C0</Binary></EventData></Event>
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Hyper-V-Compute'/><EventID>11507</EventID><Level>2</Level><TimeCreated SystemTime='2024-05-20T07:00:05.0000000Z'/><EventRecordID>77</EventRecordID><Channel>Microsoft-Windows-Hyper-V-Compute-Admin</Channel><Computer>ctr-host-01.contoso.com</Computer></System><EventData><Data Name='Detail'>Container setup of external credentials failed</Data></EventData></Event>`;

export const CCG_LOG = await eventLog(['ccg-admin.wevtutil.xml']);
export const NO_CCG_LOG = await eventLog(['omerbenamram-evtx__Application_no_crc32.evtx']);
export const SYSTEM_LOG = await eventLog([], SYSTEM_XML);
/**
 * Events as public issues show them (test/fixtures/events/PROVENANCE.md): 11507 with the status in its message
 * (microsoft/Windows-Containers#221), CCG 4 with a COM identity failure (#293), CCG 8 with a logon failure
 * (Azure/AKS#3849), NETLOGON 5720 naming the gMSA as the computer (#405).
 */
export const ISSUES_LOG = await eventLog(['windows-containers-issues.get-winevent.json']);

const FIXTURE_EVENTS = new URL('../../fixtures/events/', import.meta.url).pathname;
const SECURITY_EVTX = join(FIXTURE_EVENTS, 'omerbenamram-evtx__Security_short_selected.evtx');

/** A real Security log (omerbenamram/evtx): its one 4625 is a wrong password over RDP (0xC000006D, logon type 10). */
export const SECURITY_LOG = await eventLog([SECURITY_EVTX]);

/** The values of the Service Fabric host's 4625 (microsoft/service-fabric-issues#1299), by the event's data names. */
export const SERVICE_FABRIC_4625: Readonly<Record<string, string>> = {
  TargetUserName: 'gmsa.sf-prod$',
  TargetDomainName: 'CORP',
  Status: '0xc000015b',
  // The message id of "The user has not been granted the requested logon type at this machine."
  FailureReason: '%%2308',
  SubStatus: '0x0',
  LogonType: '5',
  LogonProcessName: 'Advapi  ',
  ProcessId: '0x0000000000000c34',
  ProcessName: 'C:\\Program Files\\Microsoft Service Fabric\\bin\\FabricHost.exe',
  IpAddress: '-',
  IpPort: '-',
};

/**
 * A Security .evtx holding a 4625 for a missing logon right. No public .evtx holds one, so it is built: the real 4625
 * of Security_short_selected.evtx (its System part, data names, order and types) with the values given (by default
 * those of the Service Fabric host's event), written by test/helpers/evtx-writer.ts. Returns the file.
 */
export async function logonFailureEvtx(
  values: Readonly<Record<string, string>> = SERVICE_FABRIC_4625,
): Promise<string> {
  let xml: string | undefined;
  for await (const batch of readEventFile(SECURITY_EVTX, { xml: true }))
    xml ??= batch.records.find((r) => r.eventId === 4625)?.xml;
  if (!xml) throw new Error('no 4625 in Security_short_selected.evtx');
  for (const [name, value] of Object.entries(values)) {
    const element = new RegExp(`(<Data Name="${name}">)[^<]*(</Data>)`);
    if (!element.test(xml)) throw new Error(`no Data ${name} in the 4625`);
    xml = xml.replace(element, (_, open: string, close: string) => `${open}${escapeXml(value)}${close}`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'gmsa-4625-')), 'Security.evtx');
  writeFileSync(file, writeEvtx(xml));
  return file;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Service Fabric host's 4625 as a Security .evtx gives it (built, see logonFailureEvtx). */
export const LOGON_RIGHT_LOG = await eventLog([await logonFailureEvtx()]);

/** The same, for a scheduled task (logon type 4, "Log on as a batch job"): the built log with its LogonType changed. */
export const BATCH_LOGON_RIGHT_LOG = await eventLog([
  await logonFailureEvtx({ ...SERVICE_FABRIC_4625, LogonType: '4' }),
]);

/** The same event as the reporter pasted it: Security event text (test/fixtures/evidence, cases.json). */
export const PASTED_4625 =
  'evidence/microsoft-service-fabric-issues-1299__security-4625-0xC000015B-logon-type-not-granted.txt';
export const PASTED_4625_LOG = await eventLog([PASTED_4625]);
