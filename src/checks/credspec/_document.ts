/**
 * What the credential spec document checks share: a rule judges one document at a time and says which field is
 * wrong; documentCheck turns it into a check of every document, its findings placed on the file, line and column.
 */
import { fieldPath } from '../../credspec/positions.js';
import { findPlaceholder, isObject, lookup } from '../../credspec/values.js';
import { defineCheck } from '../../engine/check.js';
import type { Check } from '../../engine/check.js';
import type { FindingDraft, Remediation, Severity, SourceLocation } from '../../engine/finding.js';
import type { CredSpecDocument, Position } from '../../facts/credspec.js';

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

export interface DocumentRule {
  /** The check id, `credspec/<slug>`. */
  id: string;
  title: string;
  looksAt: string;
  why: string;
  remediation: string;
  check(doc: CredSpecDocument): Diagnostic[];
}

function documentLabel(doc: CredSpecDocument): string {
  const name = typeof doc.k8s?.name === 'string' ? ` (${doc.k8s.name})` : '';
  return doc.format === 'yaml' ? `${doc.file}#${doc.index}${name}` : doc.file;
}

function fullField(doc: CredSpecDocument, diagnostic: Diagnostic): string {
  if (diagnostic.documentField || !doc.specPath) return diagnostic.field;
  return diagnostic.field ? fieldPath(doc.specPath, diagnostic.field) : doc.specPath;
}

function parentField(path: string): string {
  const up = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
  return up === path ? '' : up;
}

/** The position of a field, or of its nearest parent that has one. */
function locate(doc: CredSpecDocument, field: string): SourceLocation {
  let path = field;
  while (path !== '' && !(path in doc.positions)) path = parentField(path);
  const pos = doc.positions[path] ?? { line: 1, column: 1 };
  return { file: doc.file, line: pos.line, column: pos.column, ...(field ? { field } : {}) };
}

function diagnosticToDraft(doc: CredSpecDocument, d: Diagnostic): FindingDraft {
  const field = fullField(doc, d);
  return {
    severity: d.severity,
    message: d.message,
    subject: documentLabel(doc),
    location: d.position ? { file: doc.file, ...d.position, ...(field ? { field } : {}) } : locate(doc, field),
    ...(d.evidence ? { evidence: d.evidence } : {}),
    ...(d.remediation ? { remediation: d.remediation } : {}),
  };
}

/** A document check, with the rule it applies (the Kubernetes scan runs the same rules on GMSACredentialSpecs). */
export type DocumentCheck = Check & { readonly documentRule: DocumentRule };

export function isDocumentCheck(check: Check): check is DocumentCheck {
  return 'documentRule' in check;
}

/** A check of the section "Check the Credential Spec file" that applies one rule to every document. */
export function documentCheck(rule: DocumentRule): DocumentCheck {
  const check = defineCheck({
    meta: {
      id: rule.id,
      title: rule.title,
      section: 'credspec',
      link: 'credspec',
      fault: 'credspec-invalid',
      looksAt: rule.looksAt,
      why: rule.why,
      remediation: rule.remediation,
    },
    needs: ['credspec.documents'],
    run(facts) {
      const documents = facts.get('credspec.documents');
      const drafts = documents.flatMap((doc) => rule.check(doc).map((d) => diagnosticToDraft(doc, d)));
      if (drafts.length > 0 || documents.length === 0) return drafts;
      return [
        {
          severity: 'pass',
          message: `${rule.title}: ${documents.length} credential spec${documents.length === 1 ? '' : 's'} checked.`,
        },
      ];
    },
  });
  return Object.assign(check, { documentRule: rule });
}

export const error = (field: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'error',
  field,
  message,
  ...extra,
});
export const warning = (field: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'warning',
  field,
  message,
  ...extra,
});

/** An error about a field of the Kubernetes resource itself (not of the credential spec it holds). */
export const resourceError = (field: string, message: string, fix?: string): Diagnostic => ({
  severity: 'error',
  field,
  message,
  documentField: true,
  ...(fix ? { remediation: { text: fix } } : {}),
});

export const domainJoin = (doc: CredSpecDocument): unknown => lookup(doc.spec, 'DomainJoinConfig')?.value;
export const adConfig = (doc: CredSpecDocument): unknown => lookup(doc.spec, 'ActiveDirectoryConfig')?.value;
export const hostAccount = (doc: CredSpecDocument): unknown => lookup(adConfig(doc), 'HostAccountConfig')?.value;

export const HOST_FIELD = 'ActiveDirectoryConfig.HostAccountConfig';

/** A required string field of DomainJoinConfig: its value, or the diagnostic that it is missing or not a string. */
export function requiredDomainField(doc: CredSpecDocument, key: string): { value: string; field: string } | Diagnostic {
  const field = `DomainJoinConfig.${key}`;
  const found = lookup(domainJoin(doc), key);
  if (!isObject(domainJoin(doc))) return error('DomainJoinConfig', `DomainJoinConfig is missing, so ${key} is too`);
  if (!found) return error('DomainJoinConfig', `${field} is missing`);
  if (typeof found.value !== 'string' || found.value.trim() === '')
    return error(`DomainJoinConfig.${found.key}`, `${field} must be a non-empty string`);
  return (
    placeholderIn(found.value, `DomainJoinConfig.${found.key}`) ?? {
      value: found.value,
      field: `DomainJoinConfig.${found.key}`,
    }
  );
}

/**
 * A field holding a placeholder ($gmsaName$, <domain>, {{ .Values.gmsa }}) was never filled in: what the field's own
 * rules would say of the text ("remove the $") is beside the point. Undefined when the value has none.
 */
export function placeholderIn(value: string, field: string): Diagnostic | undefined {
  const found = findPlaceholder(value);
  if (!found) return undefined;
  return error(field, `${field} is "${value}", ${found.what} that was never substituted`, {
    remediation: {
      text: `Substitute the placeholder ${found.token} with the real value (render the template, or write it in), or regenerate the spec with New-CredentialSpec or gmsa-doctor credspec new.`,
    },
  });
}

export function isDiagnostic(value: unknown): value is Diagnostic {
  return isObject(value) && 'severity' in value;
}
