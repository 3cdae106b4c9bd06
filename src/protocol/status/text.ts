/**
 * A status found by its message text, for output that prints the text without the code: `{Access Denied} A process
 * has requested access to an object, ...` (STATUS_ACCESS_DENIED), a CCG event's `Error reason: The attempted logon
 * is invalid. ...` (STATUS_LOGON_FAILURE), an HCS error's `The directory name is invalid.` (ERROR_DIRECTORY).
 */
import { TABLES, type NamedEntry, type TableKind } from './registry.js';

/** Texts shorter than this ("Success.", "Failed.") say too little to name a code. */
const MIN_TEXT = 16;
/** Where the same text is in several tables, the kind a caller prefers comes first, then this order. */
const KIND_ORDER: readonly TableKind[] = ['Win32', 'NTSTATUS', 'HCS', 'HCN', 'HRESULT', 'Kerberos', 'LDAP'];

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

interface Indexed extends NamedEntry {
  text: string;
}

/** Longest texts first: the most specific entry whose whole text the message holds wins. */
const INDEX: readonly Indexed[] = KIND_ORDER.flatMap((kind) =>
  TABLES[kind]
    .filter((e) => e.value !== 0 && !e.text.includes('%') && e.text.length >= MIN_TEXT)
    .map((entry) => ({ kind, entry, text: collapse(entry.text) })),
).sort((a, b) => b.text.length - a.text.length);

/** The entries whose whole message text appears in `message`, most specific first, `prefer`'s kind first among equals. */
export function findStatusByText(message: string, prefer?: TableKind): NamedEntry | undefined {
  const text = collapse(message);
  if (text.length < MIN_TEXT) return undefined;
  let best: Indexed | undefined;
  for (const candidate of INDEX) {
    if (best && candidate.text.length < best.text.length) break;
    if (!text.includes(candidate.text)) continue;
    if (!best || (prefer && candidate.kind === prefer && best.kind !== prefer)) best = candidate;
  }
  return best ? { kind: best.kind, entry: best.entry } : undefined;
}
