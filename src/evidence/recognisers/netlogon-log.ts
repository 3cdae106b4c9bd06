/**
 * C:\Windows\debug\netlogon.log lines (`MM/DD HH:MM:SS [CATEGORY] [PID] text`, when Netlogon debug logging is on).
 * The lines that say something about the secure channel become items; the rest of the log is read as context.
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { NetlogonLogData } from '../types.js';
import { codeOf, compact, makeItem, type Recognition } from '../item.js';

const LINE = /^(\d{2}\/\d{2} \d{2}:\d{2}:\d{2}) \[([A-Z_]{2,20})\] (?:\[(\d{1,10})\] )?(.{0,8000})$/;
/** Excerpts in docs and threads often replace the time (`Date Time [SESSION] ...`) or drop it: then the text must be Netlogon's. */
const LINE_WITHOUT_TIME =
  /^(?:[A-Za-z]{2,10} [A-Za-z]{2,10} )?\[([A-Z_]{2,20})\] (?:\[(\d{1,10})\] )?((?:[\w.-]{1,260}: )?(?:Nl[A-Z]\w{2,60}|Netp\w{2,60}|DsGetDcName|NETLOGON_\w{2,60}|Eventlog: \d{3,5}).{0,8000})$/;
/** `DEVMDCOM: NlSessionSetup: ...`: the domain the secure channel is for. */
const DOMAIN_PREFIX = /^([\w.-]{1,260}): (Nl\w{2,60}|Netp\w{2,60}):/;

const EVENTS: readonly { event: NetlogonLogData['event']; pattern: RegExp; status?: number; dc?: number }[] = [
  {
    event: 'connection-status',
    pattern: /NlSetStatusClientSession: Set connection status to ([0-9a-f]{8})\b/i,
    status: 1,
  },
  {
    event: 'session-setup-failed',
    pattern: /NlSessionSetup: Session setup: cannot \w{1,60} (?:0x)?([0-9a-f]{8})\b/i,
    status: 1,
  },
  {
    event: 'session-setup-failed',
    pattern: /NlSessionSetup: Session setup Failed(?:.{0,200}?(?:0x)?([0-9a-f]{8})\b)?/i,
    status: 1,
  },
  { event: 'dc-found', pattern: /NetpDcAllocateCacheEntry: new entry \S{1,40} -> DC:(\S{1,260}) /, dc: 1 },
  {
    event: 'connection-changed',
    pattern: /NlSetServerClientSession: Connection changing \(\w{1,40}\): "\\\\([^"]{1,260})"/,
    dc: 1,
  },
  { event: 'dsgetdcname', pattern: /DsGetDcName: results as follows: DCName:\\\\(\S{1,260})/, dc: 1 },
  {
    event: 'error',
    pattern: /\bNlPrintRpcDebug: .{0,200}?(?:Status|error)[ :=]{1,3}(?:0x)?([0-9a-f]{8})\b/i,
    status: 1,
  },
];

export function recogniseNetlogonLog(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    const trimmed = line.text.trim();
    if (!trimmed.includes('[')) continue;
    const timed = LINE.exec(trimmed);
    const untimed = timed ? null : LINE_WITHOUT_TIME.exec(trimmed);
    if (!timed && !untimed) continue;
    const m = timed
      ? { time: timed[1], category: timed[2], pid: timed[3], text: timed[4] }
      : { time: undefined, category: untimed?.[1], pid: untimed?.[2], text: untimed?.[3] };
    read.push(line);
    const text = m.text ?? '';
    for (const { event, pattern, status, dc } of EVENTS) {
      const found = pattern.exec(text);
      if (!found) continue;
      const statusText = status ? found[status] : undefined;
      const data: NetlogonLogData = compact({
        time: m.time,
        category: m.category ?? '',
        pid: m.pid ? Number(m.pid) : undefined,
        domain: DOMAIN_PREFIX.exec(text)?.[1],
        event,
        status: statusText?.toLowerCase(),
        dc: dc ? found[dc] : undefined,
        text,
      });
      const code = statusText ? codeOf(parseInt(statusText, 16), statusText, line.from, 'ntstatus') : undefined;
      items.push(makeItem('netlogon-log', [line], data, { codes: [code] }));
      break;
    }
  }
  return { items, read };
}
