/** Windows `klist`, `klist get <spn>`, `klist tgt`, `klist purge`: tickets and `klist failed with 0x...` errors. */
import { parseKlist } from '../../protocol/parsers/klist.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { KlistData } from '../types.js';
import { NOTHING, compact, makeItem, outputOf, type Recognition } from '../item.js';

const KLIST_COMMAND =
  /\bklist(?:\.exe)?(?:\s+(-li\s+\S+\s+)?(tickets|tgt|get|purge|sessions|query_bind|kcd_cache|add_bind|purge_bind)(?:\s+(\S+))?)?(?=\s|$|['")])/i;

const STRONG = [
  /^Current LogonId is \S+/,
  /^Cached Tickets: \(\d+\)/,
  /^#\d+>\s+Client: /,
  /^klist failed with 0x[0-9a-f]{1,8}/i,
  /^Error calling API LsaCallAuthenticationPackage/,
  /^A ticket to .{1,500} has been retrieved successfully/,
  /^Ticket\(s\) purged!$/,
];
const GATE =
  /LogonId|Cached Tickets|Client: |klist|Error calling API|retrieved successfully|purged!|Server: |Encryption Type|Ticket Flags|Start Time|End Time|Renew Time|Session Key|Cache Flags|Kdc Called|A process has requested|^\s*(?:The|No|There) /;
const FIELD =
  /^(?:Server|KerbTicket Encryption Type|Ticket Flags|Start Time|End Time|Renew Time|Session Key Type|Cache Flags|Kdc Called)(?::| 0x)/;
/** The NTSTATUS text klist prints on the line after its error code. */
const ERROR_TEXT =
  /^(?:A process has requested access|The (?:specified|requested|system|SAM|security|handle|target)|No (?:logon|credentials)|There are currently no logon servers)/;

function subcommandOf(match: RegExpExecArray | null | undefined): {
  subcommand: KlistData['subcommand'];
  target?: string;
} {
  const name = match?.[2]?.toLowerCase();
  if (!name) return { subcommand: 'tickets' };
  const known: readonly string[] = ['tickets', 'tgt', 'get', 'purge', 'sessions', 'query_bind'];
  const subcommand = (known.includes(name) ? name : 'other') as KlistData['subcommand'];
  return { subcommand, ...(name === 'get' && match?.[3] ? { target: match[3] } : {}) };
}

export function recogniseKlist(block: Block): Recognition {
  const command = block.command && KLIST_COMMAND.exec(block.command.text);
  const isKlistCommand = block.command?.program === 'klist' || (command && /\bklist/i.test(block.command?.text ?? ''));
  const read: NormalisedLine[] = [];
  let inKlist = false;
  for (const line of block.lines) {
    if (!GATE.test(line.text)) continue;
    const text = line.text.trim();
    if (STRONG.some((p) => p.test(text))) {
      inKlist = true;
      read.push(line);
    } else if ((inKlist || isKlistCommand) && FIELD.test(text)) {
      read.push(line);
    } else if (inKlist && ERROR_TEXT.test(text) && /klist failed/i.test(read.at(-1)?.text ?? '')) {
      read.push(line);
    }
  }
  if (read.length === 0) return NOTHING;
  const result = parseKlist(read.map((l) => l.text.trim()).join('\n'));
  const data: KlistData = compact({
    ...subcommandOf(command),
    logonId: result.logonId,
    retrieved: result.retrieved,
    cachedTickets: result.cachedTickets,
    tickets: result.tickets,
    error: result.error,
    output: outputOf(read),
  });
  const quote = read.filter((l) =>
    /^(?:klist failed|Error calling API|A ticket to|#\d+>|Server: |Ticket\(s\) purged|Cached Tickets)/.test(
      l.text.trim(),
    ),
  );
  return { items: [makeItem('klist', quote.length > 0 ? quote : read, data, { extent: read })], read };
}
