/**
 * The credential spec rules of `credspec lint` (the document checks of src/checks/credspec/), run on every
 * GMSACredentialSpec a cluster or a set of manifests holds. Their ids stay `credspec/<slug>`. In an unrendered template, what a rule says about
 * a templated value is dropped: the value is unknown, not wrong.
 */
import { CREDSPEC_DOCUMENT_CHECKS } from '../../checks/index.js';
import { isDocumentCheck } from '../../checks/credspec/_document.js';
import type { Diagnostic, DocumentRule } from '../../checks/credspec/_document.js';
import { fieldPath } from '../../credspec/positions.js';
import type { CredSpecDocument } from '../../facts/credspec.js';
import type { ManifestObject } from '../model.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import { containsTemplated } from '../templates.js';
import { get } from '../workloads.js';

/** Each rule reads the same document: made once per object (its size is a serialisation of the whole object). */
const documents = new WeakMap<ManifestObject, CredSpecDocument>();

/** A GMSACredentialSpec object as the credential spec rules read one. */
function credspecDocument(item: ManifestObject): CredSpecDocument {
  let document = documents.get(item);
  if (!document) documents.set(item, (document = toDocument(item)));
  return document;
}

function toDocument(item: ManifestObject): CredSpecDocument {
  const { object, origin } = item;
  return {
    file: origin?.file ?? 'cluster',
    format: 'yaml',
    index: origin?.document ?? 0,
    spec: object.credspec,
    specPath: 'credspec',
    k8s: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata?.name,
      sizeBytes: origin?.sizeBytes ?? Buffer.byteLength(JSON.stringify(object), 'utf8'),
    },
    positions: origin?.positions ?? {},
    notes: origin?.notes ?? [],
  };
}

function documentField(d: Diagnostic): string {
  if (d.documentField) return d.field;
  return d.field ? fieldPath('credspec', d.field) : 'credspec';
}

/** In a template, a diagnostic about a templated value (or a subtree holding one) says nothing. */
function aboutTemplatedValue(item: ManifestObject, d: Diagnostic, field: string): boolean {
  if (!item.origin?.templated) return false;
  if (/\{\{|\$\{/.test(d.message)) return true;
  const value = get(item.object, field);
  return containsTemplated(value) || (d.field === '' && containsTemplated(item.object.credspec));
}

function wrap(rule: DocumentRule): K8sRule {
  return {
    meta: {
      id: rule.id,
      link: 'credspec',
      title: rule.title,
      looksAt: rule.looksAt,
      why: rule.why,
      remediation: rule.remediation,
    },
    needs: ['gmsacredentialspecs'],
    check(ctx) {
      return ctx.items('gmsacredentialspecs').flatMap((item) =>
        rule.check(credspecDocument(item)).flatMap((d): RuleDraft[] => {
          const field = documentField(d);
          if (aboutTemplatedValue(item, d, field)) return [];
          return [
            {
              severity: d.severity,
              message: d.message,
              about: item,
              field,
              ...(d.evidence ? { evidence: d.evidence } : {}),
              ...(d.remediation ? { remediation: d.remediation } : {}),
            },
          ];
        }),
      );
    },
    subjects: (ctx) => ({ count: ctx.items('gmsacredentialspecs').length, noun: 'GMSACredentialSpecs' }),
  };
}

/** `k8s/documents-separated` reports glued resources for every kind, so the credspec-only rule is left out. */
export const CREDSPEC_RULES: readonly K8sRule[] = CREDSPEC_DOCUMENT_CHECKS.filter(isDocumentCheck)
  .map((check) => check.documentRule)
  .filter((rule) => rule.id !== 'credspec/k8s-documents-glued')
  .map(wrap);
