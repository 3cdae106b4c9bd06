/**
 * The two independent EVTX readers from Debian that the tests compare against: python3-evtx (evtx_dump.py)
 * and libevtx-utils (evtxexport). CI installs both (scripts/install-deps.sh); a missing one fails loudly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { eventData, toEventRecord } from '../../../src/protocol/evtx/record.js';
import { findEvents, parseXmlForest } from '../../../src/protocol/evtx/xml.js';

export interface ReaderRecord {
  recordId: number;
  eventId: number;
  /** Milliseconds since 1970, with the fraction the reader printed. */
  time: number;
  data: Record<string, string>;
}

const PYTHON = '/usr/bin/python3';
const EVTX_DUMP = '/usr/bin/evtx_dump.py';

function need(path: string, pkg: string): void {
  if (!existsSync(path))
    throw new Error(`${path} is missing: install the Debian package ${pkg} (scripts/install-deps.sh does it in CI)`);
}

function findOnPath(program: string): string {
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (existsSync(`${dir}/${program}`)) return `${dir}/${program}`;
  throw new Error(
    `${program} is missing: install the Debian package libevtx-utils (scripts/install-deps.sh does it in CI)`,
  );
}

/** Reader times: python prints "2016-06-29 15:24:34.345999" (a float, rounded), libevtx "2016-06-29T15:24:34.346000000Z". */
export function readerTime(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/.exec(text.trim());
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}T${m[2]}Z`) + Number(`0.${m[3] ?? '0'}`) * 1000;
}

function records(
  xml: string,
  arrays: (data: Record<string, string>) => Record<string, string> = (d) => d,
): ReaderRecord[] {
  return findEvents(parseXmlForest(xml)).map((event) => {
    const r = toEventRecord(event, 0, '');
    return {
      recordId: r.recordId,
      eventId: r.eventId,
      time: readerTime(r.timeCreated),
      data: arrays(eventData(event)),
    };
  });
}

/**
 * python-evtx prints a string array (type 0x81) as one element holding `<string>a</string><string>b</string>`;
 * Windows and libevtx repeat the element once per item. Spread python's items the Windows way.
 */
function spreadPythonArrays(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let unnamed = 0;
  for (const [name, value] of Object.entries(data)) {
    const items = value.includes('<string>')
      ? [...value.matchAll(/<string>([\s\S]*?)<\/string>/g)].map((m) => m[1]!)
      : [value];
    if (/^Data\[\d+\]$/.test(name)) for (const item of items) out[`Data[${unnamed++}]`] = item;
    else out[name] = items.join(', ');
  }
  return out;
}

const MAX_BUFFER = 256 * 1024 * 1024;

export function pythonEvtx(file: string): ReaderRecord[] {
  need(PYTHON, 'python3');
  need(EVTX_DUMP, 'python3-evtx');
  return records(
    execFileSync(PYTHON, [EVTX_DUMP, file], { encoding: 'utf8', maxBuffer: MAX_BUFFER }),
    spreadPythonArrays,
  );
}

export function libevtx(file: string): ReaderRecord[] {
  return records(
    execFileSync(findOnPath('evtxexport'), ['-f', 'xml', file], { encoding: 'utf8', maxBuffer: MAX_BUFFER }),
  );
}

/**
 * Whether a value we render equals a reader's rendering of the same bytes. The readers differ from Windows (and
 * from each other) in how they print some types; each accepted difference is named here and in the README.
 */
export function sameValue(ours: string, theirs: string): boolean {
  if (ours === theirs || ours.toLowerCase() === theirs.toLowerCase()) return true; // GUID case
  if (ours.trim() === theirs.trim()) return true; // libevtx drops whitespace-only text ("\n")
  if (/^-?[\d.]+$/.test(ours) && Number(ours) === Number(theirs)) return true; // libevtx prints reals as 1.500000e+000
  const ourTime = readerTime(ours.replace(/Z$/, ''));
  const theirTime = readerTime(theirs);
  if (!Number.isNaN(ourTime) && Math.abs(ourTime - theirTime) <= 1) return true; // python rounds through a float
  if (/^[0-9A-F]+$/.test(ours) && Buffer.from(theirs, 'base64').toString('hex').toUpperCase() === ours) return true; // python: binary as base64
  if (/^0x[0-9a-f]+$/.test(ours) && /^\d+$/.test(theirs) && BigInt(ours) === BigInt(theirs)) return true; // python: SizeT in decimal
  return false;
}
