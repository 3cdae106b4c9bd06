/**
 * Security event 4625 ("An account failed to log on") when the account lacks the logon right it asked for: Status or
 * Sub Status 0xC000015B, STATUS_LOGON_TYPE_NOT_GRANTED. The logon types and the user rights that allow and deny each
 * (Microsoft's "Audit logon" and "User Rights Assignment" reference). Pure data.
 */

export const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';
export const LOGON_FAILED_EVENT = 4625;
export const STATUS_LOGON_TYPE_NOT_GRANTED = 0xc000015b;

/** The data names of event 4625 (Microsoft's schema, version 0), in the order the provider writes them. */
export const LOGON_FAILED_DATA = [
  'SubjectUserSid',
  'SubjectUserName',
  'SubjectDomainName',
  'SubjectLogonId',
  'TargetUserSid',
  'TargetUserName',
  'TargetDomainName',
  'Status',
  'FailureReason',
  'SubStatus',
  'LogonType',
  'LogonProcessName',
  'AuthenticationPackageName',
  'WorkstationName',
  'TransmittedServices',
  'LmPackageName',
  'KeyLength',
  'ProcessId',
  'ProcessName',
  'IpAddress',
  'IpPort',
] as const;
export type LogonFailedData = (typeof LOGON_FAILED_DATA)[number];

export interface UserRight {
  /** The constant `secedit /export` writes: SeServiceLogonRight. */
  constant: string;
  /** As Local Security Policy and GPO editors name it: "Log on as a service". */
  name: string;
}

export interface LogonType {
  type: number;
  /** What the caller asked for, for a sentence: "log on as a service". */
  asked: string;
  allow: UserRight;
  deny: UserRight;
}

const INTERACTIVE = {
  allow: { constant: 'SeInteractiveLogonRight', name: 'Allow log on locally' },
  deny: { constant: 'SeDenyInteractiveLogonRight', name: 'Deny log on locally' },
};
const NETWORK = {
  allow: { constant: 'SeNetworkLogonRight', name: 'Access this computer from the network' },
  deny: { constant: 'SeDenyNetworkLogonRight', name: 'Deny access to this computer from the network' },
};

/** The logon types a user right decides (9, NewCredentials, is checked where the credentials are used). */
export const LOGON_TYPES: Readonly<Record<number, LogonType>> = {
  2: { type: 2, asked: 'log on interactively', ...INTERACTIVE },
  3: { type: 3, asked: 'log on from the network', ...NETWORK },
  4: {
    type: 4,
    asked: 'log on as a batch job (a scheduled task)',
    allow: { constant: 'SeBatchLogonRight', name: 'Log on as a batch job' },
    deny: { constant: 'SeDenyBatchLogonRight', name: 'Deny log on as a batch job' },
  },
  5: {
    type: 5,
    asked: 'log on as a service',
    allow: { constant: 'SeServiceLogonRight', name: 'Log on as a service' },
    deny: { constant: 'SeDenyServiceLogonRight', name: 'Deny log on as a service' },
  },
  7: { type: 7, asked: 'unlock the workstation', ...INTERACTIVE },
  8: { type: 8, asked: 'log on from the network with a clear-text password', ...NETWORK },
  10: {
    type: 10,
    asked: 'log on through Remote Desktop',
    allow: { constant: 'SeRemoteInteractiveLogonRight', name: 'Allow log on through Remote Desktop Services' },
    deny: { constant: 'SeDenyRemoteInteractiveLogonRight', name: 'Deny log on through Remote Desktop Services' },
  },
  11: { type: 11, asked: 'log on interactively with cached credentials', ...INTERACTIVE },
};

/** A status as an event writes it: `0xc000015b` (.evtx), `0xC000015B` (the rendered text), or a decimal number. */
export function statusValue(text: string | undefined): number | undefined {
  const value = text?.trim() ?? '';
  if (/^0x[0-9a-f]{1,8}$/i.test(value)) return Number.parseInt(value.slice(2), 16);
  if (/^-?\d{1,10}$/.test(value)) return Number(value) >>> 0;
  return undefined;
}

/** Event 4625 whose Status or Sub Status is STATUS_LOGON_TYPE_NOT_GRANTED. */
export function isLogonTypeNotGranted(record: {
  provider: string;
  eventId: number;
  data: Readonly<Record<string, string>>;
}): boolean {
  return (
    record.eventId === LOGON_FAILED_EVENT &&
    record.provider.toLowerCase() === SECURITY_PROVIDER.toLowerCase() &&
    (statusValue(record.data.Status) === STATUS_LOGON_TYPE_NOT_GRANTED ||
      statusValue(record.data.SubStatus) === STATUS_LOGON_TYPE_NOT_GRANTED)
  );
}
