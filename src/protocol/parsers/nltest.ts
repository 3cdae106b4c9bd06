import { WIN32_ERRORS } from './win-errors.js';

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
  /** Every status line, in order. */
  statuses: NltestStatus[];
  /** The first status that is not success; undefined when every status is NERR_Success. */
  error?: NltestStatus;
  /** True when at least one status was printed and all are NERR_Success. */
  ok: boolean;
}

const STATUS = /Status = (-?\d+) (0x[0-9a-f]+) (\S+)/i;

function toStatus(match: RegExpExecArray): NltestStatus {
  const code = Number(match[1]);
  const meaning = WIN32_ERRORS[code]?.meaning;
  return { code, hex: (match[2] ?? '').toLowerCase(), name: match[3] ?? '', ...(meaning ? { meaning } : {}) };
}

const DSGETDC_FIELD = /^\s*(DC|Address|Dom Guid|Dom Name|Forest Name|Dc Site Name|Our Site Name|Flags):\s*(.*)$/;

export function parseNltest(text: string): NltestResult {
  const result: NltestResult = { statuses: [], ok: false };
  const dsgetdc: Record<string, string> = {};
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const line = raw.trim();
    const status = STATUS.exec(line);
    if (status) {
      const parsed = toStatus(status);
      result.statuses.push(parsed);
      const failed = /^(.*?) failed: Status =/.exec(line);
      if (failed) result.failure = { operation: failed[1] ?? '', status: parsed };
      else if (/^Trusted DC Connection Status/i.test(line) || /^Connection Status/i.test(line))
        result.connectionStatus = parsed;
      else if (/^Trust Verification Status/i.test(line)) result.trustVerificationStatus = parsed;
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
  result.ok = result.error === undefined && (result.statuses.length > 0 || result.dsgetdc !== undefined);
  return result;
}
