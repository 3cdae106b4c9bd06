/**
 * `whoami` (one line: domain\user), `whoami /upn`, and the tables of `whoami /all`, `/user`, `/groups`. Inside a
 * container, User Manager\ContainerAdministrator (or ContainerUser) means the container runs without a gMSA identity
 * as its default user; with a gMSA, SYSTEM and NETWORK SERVICE act as the gMSA on the network.
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { WhoamiData } from '../types.js';
import { NOTHING, compact, makeItem, outputOf, type Recognition } from '../item.js';

const CONTAINER_DEFAULT = /^user manager\\container(?:administrator|user)$/i;
const ACCOUNT = /^[^\\]{1,64}\\[^\\]{1,104}$/;
const UPN = /^[^\s@]{1,104}@[\w.-]{1,253}$/;

/** Column starts of a table from its `===== ==== ===` rule. */
function columns(rule: string): number[] {
  const starts: number[] = [];
  for (const m of rule.matchAll(/=+/g)) starts.push(m.index);
  return starts;
}

function cells(line: string, starts: number[]): string[] {
  return starts.map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim());
}

/** Rows of the table whose header is `title` (USER INFORMATION, GROUP INFORMATION): header, rule, rows to a blank line. */
function table(lines: NormalisedLine[], title: RegExp): { rows: string[][]; lines: NormalisedLine[] } {
  const at = lines.findIndex((l) => title.test(l.text.trim()));
  if (at < 0) return { rows: [], lines: [] };
  const ruleAt = lines.findIndex((l, i) => i > at && /^=+(?: =+)*\s*$/.test(l.text.trim()));
  if (ruleAt < 0 || ruleAt - at > 4) return { rows: [], lines: [] };
  const starts = columns(lines[ruleAt]!.text);
  const rows: string[][] = [];
  const used = lines.slice(at, ruleAt + 1);
  for (let i = ruleAt + 1; i < lines.length && lines[i]!.text.trim() !== ''; i++) {
    rows.push(cells(lines[i]!.text, starts));
    used.push(lines[i]!);
  }
  return { rows, lines: used };
}

export function recogniseWhoami(block: Block): Recognition {
  const isWhoami = block.command?.program === 'whoami';
  const user = table(block.lines, /^USER INFORMATION$/);
  if (!isWhoami && user.rows.length === 0) return NOTHING;
  const groups = table(block.lines, /^GROUP INFORMATION$/);
  const first = block.lines.find((l) => l.text.trim() !== '');
  const plain =
    isWhoami && user.rows.length === 0 && first && (ACCOUNT.test(first.text.trim()) || UPN.test(first.text.trim()))
      ? first
      : undefined;
  if (user.rows.length === 0 && !plain) return NOTHING;
  const userRow = user.rows[0];
  const name = userRow?.[0] ?? (plain && ACCOUNT.test(plain.text.trim()) ? plain.text.trim() : undefined);
  const data: WhoamiData = compact({
    user: name,
    sid: userRow?.[1],
    upn: plain && UPN.test(plain.text.trim()) ? plain.text.trim() : undefined,
    groups: groups.rows.map(([groupName, type, sid, attributes]) => ({
      name: groupName ?? '',
      type: type ?? '',
      sid: sid ?? '',
      attributes: attributes ?? '',
    })),
    containerDefaultUser: name !== undefined && CONTAINER_DEFAULT.test(name),
    output: '',
  });
  const quote = plain ? [plain] : user.lines.slice(-1);
  const read = plain
    ? [plain]
    : [...user.lines, ...groups.lines, ...block.lines.filter((l) => /^-+$/.test(l.text.trim()))];
  data.output = outputOf(block.lines.filter((l) => read.includes(l)));
  return { items: [makeItem('whoami', quote, data, { extent: read })], read };
}
