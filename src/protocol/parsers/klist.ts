import { decodeStatus } from './win-errors.js';

/** Windows `klist` and `klist get <principal>` output. */
export interface KlistTicket {
  index: number;
  client: string;
  server: string;
  encryptionType?: string;
  ticketFlags?: string[];
  startTime?: string;
  endTime?: string;
  renewTime?: string;
  sessionKeyType?: string;
  kdcCalled?: string;
}

export interface KlistError {
  /** e.g. 0xc0000022 */
  code: string;
  name?: string;
  /** What the status means for a gMSA container, when known. */
  meaning?: string;
  /** The text klist printed after the code, e.g. `{Access Denied}`. */
  message?: string;
  /** `Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x5` */
  api?: string;
}

export interface KlistResult {
  logonId?: string;
  /** `A ticket to krbtgt has been retrieved successfully.` */
  retrieved: boolean;
  cachedTickets?: number;
  tickets: KlistTicket[];
  error?: KlistError;
}

const TICKET_FIELDS: Record<string, keyof KlistTicket> = {
  Client: 'client',
  Server: 'server',
  'KerbTicket Encryption Type': 'encryptionType',
  'Start Time': 'startTime',
  'End Time': 'endTime',
  'Renew Time': 'renewTime',
  'Session Key Type': 'sessionKeyType',
  'Kdc Called': 'kdcCalled',
};

function setField(ticket: KlistTicket, label: string, value: string): void {
  if (label === 'Ticket Flags') {
    ticket.ticketFlags = (value.split('->')[1] ?? '').trim().split(/\s+/).filter(Boolean);
    return;
  }
  const key = TICKET_FIELDS[label];
  if (!key || key === 'index' || key === 'ticketFlags') return;
  // "webapp01$ @ CONTOSO.COM" -> "webapp01$@CONTOSO.COM"
  ticket[key] = key === 'client' || key === 'server' ? value.replace(/\s*@\s*/, '@') : value;
}

export function parseKlist(text: string): KlistResult {
  const result: KlistResult = { retrieved: false, tickets: [] };
  let ticket: KlistTicket | undefined;
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const line = raw.trim();
    const logon = /^Current LogonId is (\S+)/.exec(line);
    if (logon) result.logonId = logon[1];
    if (/^A ticket to .* has been retrieved successfully/i.test(line)) result.retrieved = true;
    const cached = /^Cached Tickets: \((\d+)\)/.exec(line);
    if (cached) result.cachedTickets = Number(cached[1]);
    const api = /^Error calling API (.*)$/.exec(line);
    if (api) result.error = { ...(result.error ?? { code: '' }), api: api[1] ?? '' };
    const failed = /^klist failed with (0x[0-9a-f]+)(?:\/-?\d+)?:?\s*(.*)$/i.exec(line);
    if (failed) {
      const code = (failed[1] ?? '').toLowerCase();
      const decoded = decodeStatus(parseInt(code, 16));
      result.error = {
        ...result.error,
        code,
        ...(decoded ? { name: decoded.name, meaning: decoded.meaning } : {}),
        message: failed[2] ?? '',
      };
    }
    let rest = line;
    const start = /^#(\d+)>\s*(.*)$/.exec(line);
    if (start) {
      ticket = { index: Number(start[1]), client: '', server: '' };
      result.tickets.push(ticket);
      rest = start[2] ?? '';
    }
    const field = /^([A-Za-z ]+?):\s*(.*)$/.exec(rest) ?? /^(Ticket Flags) (.*)$/.exec(rest);
    if (ticket && field) setField(ticket, field[1] ?? '', (field[2] ?? '').trim());
  }
  return result;
}
