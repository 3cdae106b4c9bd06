import type { ChainLink } from '../engine/chain.js';
import type { NotChecked } from '../engine/check.js';
import type { FaultKind } from '../engine/faults.js';
import type { Finding } from '../engine/finding.js';
import { countBySeverity } from '../engine/finding.js';
import type { ProbeTiming } from '../engine/runner.js';

/** An input the tool could not read or understand at all, or a usage problem (exit code 2). */
export interface InputError {
  /** The file; for a usage problem, the option (`--host ghost`, `--user`). */
  file: string;
  field?: string;
  reason: string;
  /** A usage problem of the command line, not an unreadable file. */
  usage?: true;
}

/** The first failing link in the chain host -> DC -> account -> credential spec -> container. */
export interface LikelyCause {
  link: string;
  findingId: string;
  /** What failed (src/engine/faults.ts): `port-blocked`, `certificate-untrusted`, `bind-refused`... */
  kind?: FaultKind;
  /** The kind's headline, then the finding's message. */
  summary: string;
}

/** A status code found in a paste, decoded. */
export interface PastedCode {
  /** As written: `winapi error #3489661022`, `0x6fb`, `ERROR_NO_LOGON_SERVERS`. */
  match: string;
  hex: string;
  kind: string;
  name?: string;
  /** The header's message text. */
  text?: string;
  /** What it means for a gMSA container. */
  meaning?: string;
  line: number;
}

/**
 * What `explain` made of a paste: the verdict, what it read, the codes it decoded, and what to run next. The
 * findings and the most likely cause are the report's own, as for any run.
 */
export interface PasteSummary {
  /** The file, `standard input` or `the command line`. */
  source: string;
  lines: number;
  /** An event log given whole (.evtx, wevtutil XML, Get-WinEvent JSON): the gMSA-related events read from it. */
  events?: number;
  /**
   * gmsa-failure: a link of the chain fails (the most likely cause names it); not-gmsa: a look-alike and no gMSA
   * failure; healthy: what was pasted works; undecided: recognised, but nothing in it says whether the gMSA works.
   */
  verdict: 'gmsa-failure' | 'not-gmsa' | 'healthy' | 'undecided';
  /** What the look-alike is instead (verdict not-gmsa). */
  notGmsa?: string;
  /** What was recognised, in paste order: `nltest /sc_verify (lines 3-9)`. */
  recognised: string[];
  codes: PastedCode[];
  /** Commands that confirm the verdict, with the values from the paste. */
  nextSteps: string[];
}

/** What a run judged, for a report's header: the domain, the gMSAs and the container host (each when known). */
export interface Scope {
  domain?: string;
  gmsas: string[];
  host?: string;
}

export interface Report {
  command: string;
  /** The domain, gMSAs and host the run judged (check and analyze). */
  scope?: Scope;
  findings: Finding[];
  inputErrors: InputError[];
  durationMs: number;
  /** Where the network facts were observed from (this machine is not necessarily the container host). */
  vantagePoint?: string;
  mostLikelyCause?: LikelyCause;
  /** The chain the cause was looked for along (default: host -> DC -> account -> credential spec -> container). */
  chain?: readonly ChainLink[];
  /** Findings an object's own ignore annotation (`gmsa-doctor.io/ignore`) silenced: not counted, listed in JSON. */
  ignored?: Finding[];
  /** The checks of the command's catalogue that did not run, and the flag or place that would run each. */
  notChecked?: NotChecked[];
  probes?: ProbeTiming[];
  /** `explain` of pasted evidence. */
  paste?: PasteSummary;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function exitCodeOf(report: Pick<Report, 'findings' | 'inputErrors'>): number {
  if (report.inputErrors.length > 0) return EXIT_USAGE;
  return countBySeverity(report.findings).error > 0 ? EXIT_FINDINGS : EXIT_OK;
}
