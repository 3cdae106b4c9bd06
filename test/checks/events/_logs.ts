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
