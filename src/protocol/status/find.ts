import { decodeAdSubcode, decodeName, decodeNumber } from './interpret.js';
import type { StatusCandidate, StatusHint } from './types.js';

/** How a code was written in the text. */
export type StatusForm =
  | 'winapi' // winapi error #3489661022 (hcsshim's fallback text)
  | 'nltest' // Status = 1311 0x51f ERROR_NO_LOGON_SERVERS
  | 'ldap-diagnostic' // 80090308: LdapErr: DSID-...
  | 'ad-subcode' // data 52e
  | 'labelled' // HRESULT 0x..., NT status 0x..., Failure Code: 0x18, error 0x...
  | 'parenthesized' // (0x80070005)
  | 'hex' // 0xc000018b
  | 'negative' // -1073741730
  | 'decimal' // 3221225781
  | 'name'; // ERROR_NO_LOGON_SERVERS

export interface FoundStatusCode {
  /** Offsets of the code in the text (end exclusive); adjacent spellings of one value are one finding. */
  start: number;
  end: number;
  match: string;
  form: StatusForm;
  /** The uint32 value read (for a name: its value). */
  value: number;
  candidates: StatusCandidate[];
}

/** A larger text is searched only up to this many characters; a paste's limit is the caller's to set. */
export const MAX_SEARCH_CHARS = 16 * 1024 * 1024;
const MAX_FINDINGS = 10_000;
/** How far before a code its context (Kerberos? LDAP?) is looked for. */
const CONTEXT_CHARS = 64;

/*
 * One alternation, scanned once from left to right. Every quantifier is bounded and no alternative nests one, so
 * each position costs a bounded amount of work: the scan is linear in the text.
 */
const CODE_PATTERN = new RegExp(
  [
    String.raw`(?<winapi>\bwinapi error #(?<winapiNum>-?\d{1,10})\b)`,
    String.raw`(?<nltest>\bStatus = (?<nlDec>-?\d{1,10}) 0x(?<nlHex>[0-9a-f]{1,8})(?: (?<nlName>[A-Z][A-Za-z0-9_]{1,80}))?)`,
    String.raw`(?<ldapDiag>\b(?<ldapHr>[0-9a-f]{8}): LdapErr\b)`,
    String.raw`(?<adSub>\bdata (?<adCode>[0-9a-f]{1,8})\b)`,
    String.raw`(?<labelled>\b(?<label>nt ?status|hresult|hr|sub ?status|status|failure code|result code|error code|errorcode|exit code|error|code|winerror)[ \t]{0,3}[:=#]?[ \t]{0,3}(?<labelledNum>0x[0-9a-f]{1,8}|-?\d{1,10})\b)`,
    String.raw`(?<paren>\((?<parenNum>0x[0-9a-f]{1,8}|-\d{9,10})\))`,
    String.raw`(?<hex>\b0x(?<hexNum>[0-9a-f]{1,8})\b)`,
    String.raw`(?<negative>(?<![\w.-])-(?<negNum>\d{9,10})\b)`,
    String.raw`(?<decimal>\b(?<decNum>[1-4]\d{9})\b)`,
    String.raw`(?<name>\b(?<nameText>[A-Z][A-Za-z0-9]{0,15}_[A-Za-z0-9_]{1,80}|WSA[A-Z]{4,20})\b)`,
  ].join('|'),
  'gi',
);

const KERBEROS_CONTEXT = /kerberos|\bkrb|\bkdc\b|kinit|\btgt\b|\b47(?:68|69|71)\b|failure code|result code/i;
const LDAP_CONTEXT = /\bldap/i;
const AD_BIND_CONTEXT = /LdapErr|AcceptSecurityContext/i;

/** Kerberos or LDAP, when the line before the code (and the code's own label) says so. */
function hintFromContext(text: string, start: number, end: number): StatusHint | undefined {
  const from = Math.max(0, start - CONTEXT_CHARS);
  const window = text.slice(from, Math.min(end, start + CONTEXT_CHARS));
  const line = window.slice(window.lastIndexOf('\n', start - from) + 1);
  if (KERBEROS_CONTEXT.test(line)) return 'kerberos';
  if (LDAP_CONTEXT.test(line)) return 'ldap';
  return undefined;
}

function parseNumber(written: string): number {
  return /^0x/i.test(written) ? parseInt(written.slice(2), 16) : Number(written);
}

function hasKnown(candidates: StatusCandidate[]): boolean {
  return candidates.some((c) => c.known);
}

/** When a number found is worth reporting: which candidates it has, and how big it is. */
type Worth = (value: number, candidates: StatusCandidate[]) => boolean;
const knownFailure: Worth = (v, c) => hasKnown(c) && v !== 0;
/** A value no table names is still reported when it is written where a status goes and has an error's shape (-1 has not). */
const knownOrErrorShaped: Worth = (v, c) => knownFailure(v, c) || (v >>> 31 === 1 && v !== 0xffffffff);
/** A bare number is only reported when it is a named status of 32 bits: small ones are everywhere (flags, ids, ports). */
const knownWide: Worth = (v, c) => hasKnown(c) && v > 0xffff;

interface Reading {
  form: StatusForm;
  value: number;
  candidates: StatusCandidate[];
}

function read(
  groups: Record<string, string | undefined>,
  text: string,
  start: number,
  end: number,
  hint: StatusHint | undefined,
): Reading | undefined {
  const near = hint ?? hintFromContext(text, start, end);
  if (groups.winapiNum !== undefined) {
    const value = Number(groups.winapiNum) >>> 0;
    return { form: 'winapi', value, candidates: decodeNumber(Number(groups.winapiNum)) };
  }
  if (groups.nlHex !== undefined) {
    const value = parseInt(groups.nlHex, 16) >>> 0;
    const named = groups.nlName
      ? decodeName(groups.nlName).filter((c) => c.value === value || c.inner?.value === value)
      : [];
    return { form: 'nltest', value, candidates: named.length > 0 ? named : decodeNumber(value, near ?? 'win32') };
  }
  if (groups.ldapHr !== undefined) {
    const value = parseInt(groups.ldapHr, 16) >>> 0;
    return { form: 'ldap-diagnostic', value, candidates: decodeNumber(value) };
  }
  if (groups.adCode !== undefined) {
    const value = parseInt(groups.adCode, 16) >>> 0;
    const candidates = decodeAdSubcode(value);
    const worth =
      value !== 0 && (hasKnown(candidates) || AD_BIND_CONTEXT.test(text.slice(Math.max(0, start - 200), start)));
    return worth ? { form: 'ad-subcode', value, candidates } : undefined;
  }
  if (groups.labelledNum !== undefined) {
    // "exit code 1" and a bare "code 2" are not Win32 errors; only a named 32-bit status after them is one.
    const loose = /^(?:exit code|code)$/i.test(groups.label ?? '');
    return readNumber('labelled', parseNumber(groups.labelledNum), near, loose ? knownWide : knownOrErrorShaped);
  }
  if (groups.parenNum !== undefined)
    return readNumber('parenthesized', parseNumber(groups.parenNum), near, knownOrErrorShaped);
  if (groups.hexNum !== undefined) return readNumber('hex', parseInt(groups.hexNum, 16), near, knownWide);
  if (groups.negNum !== undefined) return readNumber('negative', -Number(groups.negNum), near, knownFailure);
  if (groups.decNum !== undefined) return readNumber('decimal', Number(groups.decNum), near, knownWide);
  if (groups.nameText !== undefined) {
    const candidates = decodeName(groups.nameText);
    const first = candidates[0];
    return first ? { form: 'name', value: first.value, candidates } : undefined;
  }
  return undefined;
}

function readNumber(
  form: StatusForm,
  written: number,
  hint: StatusHint | undefined,
  worthReporting: Worth,
): Reading | undefined {
  const candidates = decodeNumber(written, hint);
  const value = written >>> 0;
  return candidates.length > 0 && worthReporting(value, candidates) ? { form, value, candidates } : undefined;
}

/** The text between two spellings of one value ("0xc000018b/-1073741429", "0x51f ERROR_NO_LOGON_SERVERS"). */
const JOINER = /^[\s/,:()=-]{0,4}$/;

function sameValue(a: FoundStatusCode, b: Reading): boolean {
  const inner = (r: { candidates: StatusCandidate[] }): number[] =>
    r.candidates.flatMap((c) => [c.value, ...(c.inner ? [c.inner.value] : [])]);
  return a.value === b.value || inner(a).includes(b.value) || inner(b).includes(a.value);
}

/**
 * Finds every status code in a text (a console line, an event message, a whole paste) with its offsets and its
 * decoded candidates, in text order. Bounded: linear time, at most MAX_SEARCH_CHARS read and MAX_FINDINGS returned.
 */
export function findStatusCodes(text: string, hint?: StatusHint): FoundStatusCode[] {
  const searched = text.length > MAX_SEARCH_CHARS ? text.slice(0, MAX_SEARCH_CHARS) : text;
  const found: FoundStatusCode[] = [];
  // The forms already joined into the last finding: one value written twice the same way is two findings.
  let lastForms = new Set<StatusForm>();
  for (const match of searched.matchAll(CODE_PATTERN)) {
    const start = match.index;
    const end = start + match[0].length;
    const reading = read(match.groups ?? {}, searched, start, end, hint);
    if (!reading || reading.candidates.length === 0) continue;
    const last = found.at(-1);
    if (
      last &&
      !lastForms.has(reading.form) &&
      start - last.end <= 4 &&
      JOINER.test(searched.slice(last.end, start)) &&
      sameValue(last, reading)
    ) {
      last.end = end;
      last.match = searched.slice(last.start, end);
      lastForms.add(reading.form);
      continue;
    }
    found.push({ start, end, match: match[0], ...reading });
    lastForms = new Set([reading.form]);
    if (found.length >= MAX_FINDINGS) break;
  }
  return found;
}

/**
 * The candidates of every code in a text, for decodeStatus: AD's bind sub-code first (it is the reason, the
 * HRESULT around it is not), then the others in text order, each interpretation once.
 */
export function candidatesInText(text: string, hint?: StatusHint): StatusCandidate[] {
  const found = findStatusCodes(text, hint);
  const ordered = [...found.filter((f) => f.form === 'ad-subcode'), ...found.filter((f) => f.form !== 'ad-subcode')];
  const seen = new Set<string>();
  const out: StatusCandidate[] = [];
  for (const candidate of ordered.flatMap((f) => f.candidates)) {
    const key = `${candidate.kind}:${candidate.value}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(candidate);
    }
  }
  return out;
}
