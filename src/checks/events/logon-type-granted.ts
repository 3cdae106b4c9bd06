import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { EventRecord } from '../../facts/events.js';
import { gmsaSubject } from '../../facts/subjects.js';
import {
  isLogonTypeNotGranted,
  LOGON_TYPES,
  STATUS_LOGON_TYPE_NOT_GRANTED,
  statusValue,
} from '../../protocol/logon-rights.js';
import type { LogonType } from '../../protocol/logon-rights.js';
import { eventsOf, nothingToJudge, sourcesText } from './_events.js';

const STATUS = '0xC000015B STATUS_LOGON_TYPE_NOT_GRANTED';

/** A data value as the event writes it, without the `-` it writes for "none". */
function value(record: EventRecord, name: string): string | undefined {
  const text = record.data[name]?.trim();
  return text && text !== '-' ? text : undefined;
}

interface LogonGroup {
  account: string;
  /** The bare SAM name, for the subject. */
  name: string;
  logonType?: number;
  machine?: string;
  field: 'Status' | 'Sub Status';
  reason?: string;
  processes: string[];
  times: string[];
  count: number;
}

/** The failures by account, logon type and machine. */
function groups(records: readonly EventRecord[]): LogonGroup[] {
  const byKey = new Map<string, LogonGroup>();
  for (const record of records) {
    if (!isLogonTypeNotGranted(record)) continue;
    const name = value(record, 'TargetUserName') ?? 'the account';
    const domain = value(record, 'TargetDomainName');
    const account = domain ? `${domain}\\${name}` : name;
    const type = Number(value(record, 'LogonType'));
    const logonType = Number.isInteger(type) ? type : undefined;
    // Logon types 4 and 5 are local: the workstation is the machine that refused, when the record has no computer.
    const machine = record.computer || value(record, 'WorkstationName');
    const key = JSON.stringify([account.toLowerCase(), logonType, machine?.toLowerCase()]);
    const group = byKey.get(key) ?? {
      account,
      name,
      logonType,
      machine,
      field: statusValue(record.data.Status) === STATUS_LOGON_TYPE_NOT_GRANTED ? 'Status' : 'Sub Status',
      // .evtx keeps the reason as a message id (%%2308); the rendered text says it in words.
      reason: value(record, 'FailureReason')?.startsWith('%%') ? undefined : value(record, 'FailureReason'),
      processes: [],
      times: [],
      count: 0,
    };
    group.count++;
    if (record.timeCreated) group.times.push(record.timeCreated);
    const process = value(record, 'ProcessName');
    if (process && !group.processes.includes(process)) group.processes.push(process);
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

function whenText(group: LogonGroup): string {
  const times = [...group.times].sort();
  if (times.length === 0) return group.count === 1 ? '' : ` (${group.count} times)`;
  if (group.count === 1) return `, at ${times[0]}`;
  return `, ${group.count} times between ${times[0]} and ${times.at(-1)}`;
}

/** A PowerShell single-quoted string. */
const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function finding(group: LogonGroup): FindingDraft {
  const type: LogonType | undefined = group.logonType === undefined ? undefined : LOGON_TYPES[group.logonType];
  const where = group.machine ?? 'the machine that logged the event';
  const asked = type
    ? `${type.asked} (logon type ${type.type})`
    : `log on with logon type ${group.logonType ?? '(not given)'}`;
  const rights = type
    ? `"${type.allow.name}" (${type.allow.constant}) is not granted to the account or a group it is in, or "${type.deny.name}" (${type.deny.constant}) names it, often through a GPO`
    : 'the user right of that logon type (Local Policies, User Rights Assignment) is not granted to it, or a Deny right names it';
  const callers = group.processes.length > 0 ? ` Caller: ${group.processes.join(', ')}.` : '';
  const pattern = type ? `${type.allow.constant}|${type.deny.constant}` : 'Logon';
  return {
    severity: 'error',
    subject: group.machine ? `${group.account} on ${group.machine}` : group.account,
    ...(group.name.endsWith('$') ? { about: gmsaSubject(group.name) } : {}),
    message: `Security event 4625${whenText(group)}: ${group.account} may not ${asked} on ${where}: ${group.field} ${STATUS}${group.reason ? ` ("${group.reason.replace(/\.$/, '')}")` : ''}. On that machine ${rights}.${callers} Windows refuses this logon type to the account on that machine: a policy of the host, not a fault of the container or of the gMSA's password.`,
    evidence: {
      eventId: 4625,
      account: group.account,
      ...(group.logonType === undefined ? {} : { logonType: group.logonType }),
      ...(group.machine ? { machine: group.machine } : {}),
      status: STATUS,
      ...(group.reason ? { failureReason: group.reason } : {}),
      ...(group.processes.length > 0 ? { processes: group.processes } : {}),
      ...(type ? { right: type.allow.constant, denyRight: type.deny.constant } : {}),
      count: group.count,
      ...(group.times.length > 0 ? { first: [...group.times].sort()[0], last: [...group.times].sort().at(-1) } : {}),
    },
    remediation: {
      text: `On ${where}, grant ${type ? `"${type.allow.name}" (${type.allow.constant})` : 'the logon right of that logon type'} to ${group.account} or a group it is in${type ? `, and take it out of "${type.deny.name}"` : ''}. When a GPO sets the right (gpresult names the winning GPO under Computer Configuration, Windows Settings, Security Settings, Local Policies, User Rights Assignment), change it there: the GPO's list replaces the machine's own at every refresh, so a right granted locally (secpol.msc, an installer) does not last. Then gpupdate /force and try again. The exported lists hold SIDs (*S-1-5-21-...): the third command prints the account's.`,
      commands: [
        'secedit /export /cfg C:\\secpol.cfg /areas USER_RIGHTS',
        `Select-String -Path C:\\secpol.cfg -Pattern '${pattern}'`,
        `([System.Security.Principal.NTAccount]${quoted(group.account)}).Translate([System.Security.Principal.SecurityIdentifier]).Value`,
        'gpresult /scope computer /h C:\\gpresult.html',
      ],
    },
  };
}

export default defineCheck({
  meta: {
    id: 'events/logon-type-granted',
    title: 'The account may log on the way it was asked to (Security event 4625, 0xC000015B)',
    section: 'events',
    link: 'host',
    fault: 'logon-right-missing',
    looksAt:
      'Security log, event 4625 ("An account failed to log on") whose Status or Sub Status is 0xC000015B (STATUS_LOGON_TYPE_NOT_GRANTED): the account, its logon type and the machine',
    why: 'A gMSA that runs a service (logon type 5) or a scheduled task (4) needs "Log on as a service" or "Log on as a batch job" on that machine; without it, or with a Deny right from a GPO, Windows refuses the logon before the service starts.',
    remediation:
      'Grant the right of the logon type ("Log on as a service", SeServiceLogonRight, for type 5; "Log on as a batch job", SeBatchLogonRight, for type 4) to the account or a group it is in, in the GPO that sets that right (or the local policy when none does), and take the account out of the matching Deny right.',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const found = groups(log.events);
    if (found.length > 0) return found.map(finding);
    return [
      nothingToJudge(log) ?? {
        severity: 'pass',
        message: `No Security event 4625 with ${STATUS} in ${sourcesText(log)}.`,
      },
    ];
  },
});
