/**
 * PowerShell's list view (`Format-List`, and the default view of objects with more than four properties): records
 * of `Name : Value` lines, long values continued on indented lines, records separated by blank lines.
 */
import type { NormalisedLine } from '../normalise.js';

export interface ListRecord {
  fields: Record<string, string>;
  /** Each field as one line (`Name : value`, its continuation lines joined), with the original lines it spans. */
  fieldLines: Record<string, NormalisedLine>;
  lines: NormalisedLine[];
}

const FIELD = /^([A-Za-z][\w-]{0,80})\s*: ?(.*)$/;
/** Two fields in a row make a record: a lone `Name : value` line is prose as often as not. */
const MIN_FIELDS = 2;

/** Two recognisers read the same block's records; read them once. */
const cache = new WeakMap<readonly NormalisedLine[], ListRecord[]>();

export function listRecords(lines: readonly NormalisedLine[]): ListRecord[] {
  const known = cache.get(lines);
  if (known) return known;
  const records = readRecords(lines);
  cache.set(lines, records);
  return records;
}

function readRecords(lines: readonly NormalisedLine[]): ListRecord[] {
  const records: ListRecord[] = [];
  let current: ListRecord | undefined;
  let last: string | undefined;
  const close = (): void => {
    if (current && Object.keys(current.fields).length >= MIN_FIELDS) records.push(current);
    current = undefined;
    last = undefined;
  };
  for (const line of lines) {
    const text = line.text;
    const field = text.includes(' :') && !/^\s/.test(text) ? FIELD.exec(text) : null;
    if (field?.[1] && /^[A-Za-z][\w-]{0,80}\s+:/.test(text)) {
      current ??= { fields: {}, fieldLines: {}, lines: [] };
      last = field[1];
      current.fields[last] = (field[2] ?? '').trim();
      current.fieldLines[last] = { ...line, text: `${last} : ${current.fields[last]}` };
      current.lines.push(line);
      continue;
    }
    // A continuation: a long value goes on under itself, indented.
    if (current && last && /^\s{4,}\S/.test(text)) {
      current.fields[last] = `${current.fields[last] ?? ''} ${text.trim()}`.trim();
      current.fieldLines[last] = {
        ...current.fieldLines[last]!,
        text: `${last} : ${current.fields[last]}`,
        to: line.to,
      };
      current.lines.push(line);
      continue;
    }
    close();
  }
  close();
  return records;
}
