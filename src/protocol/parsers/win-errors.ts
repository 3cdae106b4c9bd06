/**
 * Windows status codes for the parsers and checks that read nltest, klist and HCS output. The tables and the
 * decoding live in ../status; this module keeps the small API its callers use.
 */
import { decodeNumber, findStatusByText, findStatusCodes, hex32 } from '../status/index.js';
import type { StatusCandidate, StatusEntry } from '../status/index.js';
import { NTSTATUS_TABLE } from '../status/tables/ntstatus.js';
import { WIN32_TABLE } from '../status/tables/win32.js';

export { hex32 };

export interface StatusName {
  name: string;
  /** What it means for a container that uses a gMSA (the header's text where nothing gMSA-specific is known). */
  meaning: string;
}

function byValue(entries: readonly StatusEntry[]): Readonly<Record<number, StatusName>> {
  return Object.fromEntries(entries.map((e) => [e.value, { name: e.name, meaning: e.meaning ?? e.text }]));
}

export const WIN32_ERRORS: Readonly<Record<number, StatusName>> = byValue(WIN32_TABLE);
export const NTSTATUS: Readonly<Record<number, StatusName>> = byValue(NTSTATUS_TABLE);

export interface DecodedStatus extends StatusName {
  /** e.g. 0xC0020017 */
  hex: string;
  kind: 'win32' | 'ntstatus' | 'hresult';
  /** The header's message text. */
  text?: string;
}

const LEGACY_KIND: Partial<Record<StatusCandidate['kind'], DecodedStatus['kind']>> = {
  Win32: 'win32',
  NTSTATUS: 'ntstatus',
  HCS: 'ntstatus',
  HRESULT_FROM_NT: 'hresult',
  HRESULT_FROM_WIN32: 'hresult',
  HRESULT: 'hresult',
  HCN: 'hresult',
  'AD sub-code': 'win32',
};

function legacy(candidate: StatusCandidate): DecodedStatus | undefined {
  const kind = LEGACY_KIND[candidate.kind];
  if (!kind || !candidate.known || !candidate.name) return undefined;
  return {
    name: candidate.name,
    meaning: candidate.meaning ?? candidate.text ?? '',
    hex: candidate.hex,
    kind,
    ...(candidate.text ? { text: candidate.text } : {}),
  };
}

/** Decodes a Windows status of any kind (Win32, NTSTATUS, HRESULT and its wrappers, HCS, HCN); negative numbers are read as uint32. */
export function decodeStatus(value: number): DecodedStatus | undefined {
  for (const candidate of decodeNumber(value, 'win32')) {
    const decoded = legacy(candidate);
    if (decoded) return decoded;
  }
  return undefined;
}

export interface WinapiError extends Partial<DecodedStatus> {
  /** The value as a number (as printed when decimal, the uint32 read otherwise). */
  number: number;
  hex: string;
}

/**
 * Finds the Windows status codes in a container start error (State.Error of docker inspect, an HCS message): HCS's
 * "winapi error #N" (an HRESULT_FROM_NT value: #3489661022 is 0xD000005E, STATUS_NO_LOGON_SERVERS), "(0x...)" codes
 * and the like, each decoded to its name where known.
 */
export function findWinapiErrors(text: string): WinapiError[] {
  const found: WinapiError[] = [];
  for (const code of findStatusCodes(text, 'win32')) {
    const first = code.candidates.find((c) => LEGACY_KIND[c.kind] !== undefined);
    if (!first) continue;
    const decoded = legacy(first);
    found.push({ ...decoded, number: code.value, hex: first.hex });
  }
  return found;
}

/**
 * Every status a text names: its codes, decoded (an HCS "winapi error #N", a "(0x...)"), or, when it writes no code,
 * the status whose message text it quotes (CCG's "Error reason: The attempted logon is invalid. ..." is
 * STATUS_LOGON_FAILURE).
 */
export function statusesIn(text: string): WinapiError[] {
  const codes = findWinapiErrors(text);
  if (codes.length > 0) return codes;
  const quoted = findStatusByText(text);
  if (!quoted) return [];
  const decoded = decodeStatus(quoted.entry.value);
  return decoded ? [{ ...decoded, number: quoted.entry.value }] : [];
}

/** `0xC000006D STATUS_LOGON_FAILURE: what it means for a gMSA`, for a finding's message. */
export function statusText(status: WinapiError): string {
  if (!status.name) return status.hex;
  return `${status.hex} ${status.name}${status.meaning ? `: ${status.meaning}` : ''}`;
}
