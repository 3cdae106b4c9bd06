import { decodeStatus } from './win-errors.js';

/**
 * nltest output. nltest prints "The command completed successfully" even after a failed status, so the verdict
 * comes from the status lines only:
 *   Trusted DC Connection Status Status = 1311 0x51f ERROR_NO_LOGON_SERVERS
 *   I_NetLogonControl failed: Status = 1722 0x6ba RPC_S_SERVER_UNAVAILABLE
 */
export interface NltestStatus {
  code: number;
  hex: string;
  name: string;
  /** What it means for a gMSA container, when known. */
  meaning?: string;
}

export interface NltestResult {
  /** `Flags: b0 HAS_IP  HAS_TIMESERV` */
  flags?: { value: string; names: string[] };
  /** `Trusted DC Name \\dc01.contoso.com`; '' when the line has no name (no DC found). */
  trustedDcName?: string;
  /** `Trusted DC Connection Status Status = ...` (/sc_verify, /sc_reset) or `Connection Status = ...` (/query). */
  connectionStatus?: NltestStatus;
  /** `Trust Verification Status = ...` (/sc_verify). */
  trustVerificationStatus?: NltestStatus;
  /** `<operation> failed: Status = ...`, e.g. `I_NetLogonControl failed`, `Getting parent domain failed`. */
  failure?: { operation: string; status: NltestStatus };
  /** /dsgetdc fields: DC, Address, Dom Guid, Dom Name, Forest Name, Dc Site Name, Our Site Name. */
  dsgetdc?: Record<string, string>;
  /** /parentdomain: `domain.local. (1)`. */
  parentDomain?: string;
  /** /dclist: `Get list of DCs in domain 'D' from '\\\\DC'.` and one line per DC. */
  dcList?: { domain?: string; from?: string; dcs: NltestDc[] };
  /** /domain_trusts: `List of domain trusts:` and one line per trust. */
  trusts?: NltestTrust[];
  /** nltest printed "The command completed successfully", which it also does after a failed status. */
  completedLine: boolean;
  /** Every status line, in order. */
  statuses: NltestStatus[];
  /** The first status that is not success; undefined when every status is NERR_Success. */
  error?: NltestStatus;
  /** True when at least one status was printed and all are NERR_Success. */
  ok: boolean;
}

export interface NltestDc {
  name: string;
  /** PDC, DS, GC... as printed in brackets. */
  flags: string[];
  site?: string;
}

export interface NltestTrust {
  index: number;
  netbiosName: string;
  dnsName?: string;
  /** The parenthesised attributes: NT 5, Forest Tree Root, Primary Domain, Direct Outbound, ... */
  attributes: string[];
}

const STATUS = /Status = (-?\d+) (0x[0-9a-f]+) (\S+)/i;
/** `I_NetLogonControl failed: Status =`, also after the `nltest : ` of a PowerShell NativeCommandError. */
const FAILED = /(?:^|:\s)([A-Za-z_][\w ]{0,80}?) failed: Status =/;
const PARENT_DOMAIN = /^(\S+?)\.? \((\d+)\)$/;
const DC_LIST_HEAD = /^Get list of DCs in domain '([^']*)' from '\\{0,2}([^']*)'\.?$/;
const DC_LINE = /^(\S+)((?:\s+\[[A-Z_]+\])+)?(?:\s+Site: (.+))?$/;
const TRUST_LINE = /^(\d+): (\S+)(?: ([^\s(]+))?((?: \([^)]*\))*)\s*$/;
const COMPLETED = /^The command completed successfully\.?$/i;

function parseTrust(line: string): NltestTrust | undefined {
  const m = TRUST_LINE.exec(line);
  if (!m) return undefined;
  const attributes = [...(m[4] ?? '').matchAll(/\(([^)]*)\)/g)].map((a) => (a[1] ?? '').trim());
  return { index: Number(m[1]), netbiosName: m[2] ?? '', ...(m[3] ? { dnsName: m[3] } : {}), attributes };
}

function toStatus(match: RegExpExecArray): NltestStatus {
  const code = Number(match[1]);
  // nltest prints Win32 codes mostly, and an NTSTATUS now and then (-1073741790 0xc0000022 STATUS_ACCESS_DENIED).
  const meaning = decodeStatus(code)?.meaning;
  return { code, hex: (match[2] ?? '').toLowerCase(), name: match[3] ?? '', ...(meaning ? { meaning } : {}) };
}

const DSGETDC_FIELD = /^\s*(DC|Address|Dom Guid|Dom Name|Forest Name|Dc Site Name|Our Site Name|Flags):\s*(.*)$/;

export function parseNltest(text: string): NltestResult {
  const result: NltestResult = { statuses: [], ok: false, completedLine: false };
  const dsgetdc: Record<string, string> = {};
  let section: 'dclist' | 'trusts' | undefined;
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const line = raw.trim();
    if (COMPLETED.test(line)) {
      result.completedLine = true;
      section = undefined;
      continue;
    }
    const status = STATUS.exec(line);
    if (status) {
      const parsed = toStatus(status);
      result.statuses.push(parsed);
      const failed = FAILED.exec(line);
      if (failed) result.failure = { operation: failed[1] ?? '', status: parsed };
      else if (/^Trusted DC Connection Status/i.test(line) || /^Connection Status/i.test(line))
        result.connectionStatus = parsed;
      else if (/^Trust Verification Status/i.test(line)) result.trustVerificationStatus = parsed;
      continue;
    }
    const dcListHead = DC_LIST_HEAD.exec(line);
    if (dcListHead) {
      result.dcList = { domain: dcListHead[1] ?? '', from: dcListHead[2] ?? '', dcs: [] };
      section = 'dclist';
      continue;
    }
    if (/^List of domain trusts:$/i.test(line)) {
      result.trusts = [];
      section = 'trusts';
      continue;
    }
    if (section === 'dclist' && result.dcList) {
      const dc = DC_LINE.exec(line);
      if (dc && (dc[2] || dc[3])) {
        const flags = [...(dc[2] ?? '').matchAll(/\[([A-Z_]+)\]/g)].map((f) => f[1] ?? '');
        result.dcList.dcs.push({ name: dc[1] ?? '', flags, ...(dc[3] ? { site: dc[3].trim() } : {}) });
        continue;
      }
    }
    if (section === 'trusts' && result.trusts) {
      const trust = parseTrust(line);
      if (trust) {
        result.trusts.push(trust);
        continue;
      }
    }
    const parent = PARENT_DOMAIN.exec(line);
    if (parent?.[1]?.includes('.') && !line.includes(':')) {
      result.parentDomain = parent[1];
      continue;
    }
    const trustedDc = /^Trusted DC Name\s*(.*)$/i.exec(line);
    if (trustedDc) {
      result.trustedDcName = (trustedDc[1] ?? '').replace(/^\\\\/, '').trim();
      continue;
    }
    const flags = /^Flags:\s*([0-9a-fA-F]+)\b\s*(.*)$/.exec(line);
    // /dsgetdc prints its own Flags line (names, then a hex value) after its DC field.
    if (flags && dsgetdc.DC === undefined) {
      result.flags = { value: flags[1] ?? '', names: (flags[2] ?? '').split(/\s+/).filter(Boolean) };
      continue;
    }
    const field = DSGETDC_FIELD.exec(raw);
    if (field?.[1]) dsgetdc[field[1]] = (field[2] ?? '').trim();
  }
  if (dsgetdc.DC !== undefined) result.dsgetdc = dsgetdc;
  result.error = result.statuses.find((s) => s.code !== 0);
  const listed =
    result.dsgetdc !== undefined ||
    result.parentDomain !== undefined ||
    (result.dcList?.dcs.length ?? 0) > 0 ||
    (result.trusts?.length ?? 0) > 0;
  result.ok = result.error === undefined && (result.statuses.length > 0 || listed);
  return result;
}
