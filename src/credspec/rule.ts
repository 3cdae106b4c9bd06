import type { Remediation, Severity } from '../engine/finding.js';
import type { CredSpecDocument, Position } from '../facts/credspec.js';

/** One problem a rule found in one document. `field` is relative to the credential spec inside the document. */
export interface Diagnostic {
  severity: Extract<Severity, 'error' | 'warning' | 'info'>;
  message: string;
  field: string;
  evidence?: Record<string, unknown>;
  remediation?: Remediation;
  /** The field is a path in the whole document (a Kubernetes resource field), not in the credential spec. */
  documentField?: boolean;
  /** An exact position (e.g. of a repeated key), when the field's value position is not the right place. */
  position?: Position;
}

export interface Rule {
  /** Check id slug: the check is `credspec/<slug>`. */
  slug: string;
  title: string;
  looksAt: string;
  why: string;
  remediation: string;
  check(doc: CredSpecDocument): Diagnostic[];
}
