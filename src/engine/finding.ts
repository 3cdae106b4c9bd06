import type { PastedLine } from '../facts/pasted.js';
import type { Subject } from '../facts/subjects.js';
import type { ChainLinkId } from './chain.js';
import type { FaultKind } from './faults.js';
import type { SectionId } from './sections.js';

export const SEVERITIES = ['error', 'warning', 'info', 'pass', 'skipped'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where in an input file a finding points (1-based line and column), for text and SARIF output. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Field path inside the document, e.g. `DomainJoinConfig.Sid` or `credspec.ActiveDirectoryConfig`. */
  field?: string;
}

export interface Remediation {
  text: string;
  /** Exact commands, with the real values filled in, for a person to run. The tool never runs them. */
  commands?: string[];
}

/** What a check returns; the runner adds id, title and section from the check's metadata. */
export interface FindingDraft {
  severity: Severity;
  message: string;
  /** Which file, container, account or DC this is about, as a person reads it. */
  subject?: string;
  /** The subject a per-subject check judged (set by the runner), or that a finding points at. */
  about?: Subject;
  /** The facts that decided it. Plain JSON. */
  evidence?: Record<string, unknown>;
  remediation?: Remediation;
  location?: SourceLocation;
  /** The pasted lines it rests on (`gmsa-doctor explain` of a paste): line number and text, as pasted. */
  quote?: PastedLine[];
  /** What failed (the headline of the most likely cause), when it differs from the check's `meta.fault`. */
  fault?: FaultKind;
  /** Its place in the chain, when it differs from the check's: an LDAP ping that says the account is unknown. */
  link?: ChainLinkId;
  /**
   * The check that judges this fact directly, when this finding only sees it from elsewhere (the DC's LDAP ping
   * saying "unknown account" repeats account/exists): in its link, a direct finding is named the cause first.
   */
  echoes?: string;
}

export interface Finding extends FindingDraft {
  /** Stable check id, `area/slug`. */
  id: string;
  title: string;
  section: SectionId;
  /** Link to the guide's section the check implements. */
  docs: string;
  /** The check itself failed (a bug in gmsa-doctor), so this says nothing about the gMSA. */
  internal?: true;
}

/** Where a check that throws asks to be reported. */
export const REPORT_BUGS_AT = 'https://github.com/gmsa-doctor/gmsa-doctor/issues';

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = { error: 0, warning: 0, info: 0, pass: 0, skipped: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, pass: 3, skipped: 4 };
/** Most severe first; then by file and line, so a file's findings stay together. */
export function bySeverity(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    (a.location?.file ?? a.subject ?? '').localeCompare(b.location?.file ?? b.subject ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0)
  );
}
