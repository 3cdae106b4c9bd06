/**
 * The contract of a Kubernetes rule and the runner that turns its drafts into findings: subject `ns/Kind/name`,
 * the file position of the field when the object came from a file, a `skipped` finding naming what is missing
 * when a resource the rule needs could not be read, a pass line when it found nothing, and the per-object ignore
 * annotation `gmsa-doctor.io/ignore: "<id>[,<id>]"`. Pure.
 */
import type { ChainLinkId } from '../engine/chain.js';
import type { FaultKind } from '../engine/faults.js';
import type { Finding, Remediation, Severity, SourceLocation } from '../engine/finding.js';
import { sectionDocs } from '../engine/sections.js';
import { RuleContext } from './context.js';
import type { ClusterModel, Collection, ManifestObject, ResourceKey } from './model.js';
import { subjectOf } from './model.js';

export const IGNORE_ANNOTATION = 'gmsa-doctor.io/ignore';
const CONFIGURE_GMSA_DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-gmsa/';

export interface K8sRuleMeta {
  /** `k8s/<slug>`, or `credspec/<slug>` for the credential spec rules run on GMSACredentialSpecs. */
  id: string;
  /** Its place in the cause chain manifest -> cluster -> Windows node -> credential spec -> pod; null: outside it. */
  link: ChainLinkId | null;
  title: string;
  looksAt: string;
  why: string;
  remediation: string;
  docs?: string;
}

export interface RuleDraft {
  severity: Severity;
  message: string;
  /** The object the finding is about: its subject, its file position, its ignore annotation. */
  about?: ManifestObject;
  /** Instead of the object's `ns/Kind/name`. */
  subject?: string;
  /** Field path in the object, for the position. */
  field?: string;
  evidence?: Record<string, unknown>;
  remediation?: Remediation;
  /** A position not tied to an object's field (a syntax error in a file). */
  location?: SourceLocation;
  /** Other objects whose ignore annotation covers this finding (a workload's pod template, a pod's owner). */
  alsoIgnoredBy?: readonly (ManifestObject | undefined)[];
}

export interface K8sRule {
  meta: K8sRuleMeta;
  /** Resources without which the rule cannot judge: one unavailable gives a `skipped` finding with the reason. */
  needs: readonly ResourceKey[];
  /** Only in one mode (e.g. a running pod's injected contents exist only in a cluster). */
  mode?: 'cluster' | 'lint';
  check(ctx: RuleContext): RuleDraft[];
  /** How many objects it judged (for the pass line) and what they are called. */
  subjects(ctx: RuleContext): { count: number; noun: string };
}

export interface Judgement {
  findings: Finding[];
  /** Findings an object's ignore annotation silenced, kept so a report can say so. */
  ignored: Finding[];
}

export function judge(model: ClusterModel, rules: readonly K8sRule[]): Judgement {
  const ctx = new RuleContext(model);
  const findings: Finding[] = [];
  const ignored: Finding[] = [];
  const known = new Set(rules.map((r) => r.meta.id));
  for (const rule of rules) {
    for (const finding of runRule(rule, ctx))
      (isIgnored(finding.draft, rule.meta.id) ? ignored : findings).push(finding.finding);
  }
  findings.push(...unknownIgnoreIds(ctx, known));
  return { findings, ignored };
}

/** The first resource the rule needs that could not be read: the rule cannot judge without it. */
export function unreadableNeed(
  rule: K8sRule,
  model: ClusterModel,
): { key: ResourceKey; collection: Extract<Collection, { state: 'unavailable' }> } | undefined {
  for (const key of rule.needs) {
    const collection = model.resources[key];
    if (collection?.state === 'unavailable') return { key, collection };
  }
  return undefined;
}

function runRule(rule: K8sRule, ctx: RuleContext): { finding: Finding; draft: RuleDraft }[] {
  if (rule.mode && rule.mode !== ctx.model.mode) return [];
  const unreadable = unreadableNeed(rule, ctx.model);
  if (unreadable) {
    const draft: RuleDraft = {
      severity: 'skipped',
      message: `not checked: ${unreadable.key} could not be read (${unreadable.collection.reason})`,
      subject: 'cluster',
    };
    return [{ draft, finding: toFinding(rule, draft) }];
  }
  const drafts = rule.check(ctx);
  if (drafts.length === 0) {
    const { count, noun } = rule.subjects(ctx);
    if (count > 0) drafts.push({ severity: 'pass', message: `${rule.meta.title}: ${count} ${noun} checked.` });
  }
  return drafts.map((draft) => ({ draft, finding: toFinding(rule, draft) }));
}

/** Where a rule is documented: its own link, the guide's credential spec section, or Kubernetes' gMSA page. */
export function ruleDocs(meta: K8sRuleMeta): string {
  return meta.docs ?? (meta.id.startsWith('credspec/') ? sectionDocs('credspec') : CONFIGURE_GMSA_DOCS);
}

export function toFinding(rule: K8sRule, draft: RuleDraft): Finding {
  const { meta } = rule;
  const object = draft.about?.object;
  const origin = draft.about?.origin;
  const location = draft.location ?? (origin ? locate(origin, draft.field ?? '') : undefined);
  const evidence = { ...(draft.evidence ?? {}), ...(origin?.helmSource ? { helmSource: origin.helmSource } : {}) };
  return {
    id: meta.id,
    title: meta.title,
    section: 'kubernetes',
    docs: ruleDocs(meta),
    severity: draft.severity,
    message: draft.message,
    subject: draft.subject ?? (object ? subjectOf(object) : 'cluster'),
    ...(meta.link ? { link: meta.link } : {}),
    ...(draft.severity === 'error' && meta.link ? { fault: K8S_FAULT_OF_LINK[meta.link] } : {}),
    ...(Object.keys(evidence).length > 0 ? { evidence } : {}),
    ...(draft.remediation ? { remediation: draft.remediation } : {}),
    ...(location ? { location } : {}),
  };
}

/** A rule's error, as the cause line heads it: what is wrong at its link of the Kubernetes chain. */
const K8S_FAULT_OF_LINK: Partial<Record<ChainLinkId, FaultKind>> = {
  manifest: 'manifest-unappliable',
  cluster: 'cluster-gmsa-broken',
  host: 'node-unfit',
  credspec: 'k8s-credspec-wrong',
  pod: 'pod-not-set-up',
};

function parentField(path: string): string {
  const up = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
  return up === path ? '' : up;
}

/** The position of a field, or of its nearest parent that has one. */
export function locate(origin: NonNullable<ManifestObject['origin']>, field: string): SourceLocation {
  let path = field;
  while (path !== '' && !(path in origin.positions)) path = parentField(path);
  const pos = path === '' ? origin.position : origin.positions[path]!;
  return { file: origin.file, line: pos.line, column: pos.column, ...(field ? { field } : {}) };
}

export function ignoredIds(object: ManifestObject['object'] | undefined): string[] {
  const value = object?.metadata?.annotations?.[IGNORE_ANNOTATION];
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}

function isIgnored(draft: RuleDraft, id: string): boolean {
  return [draft.about, ...(draft.alsoIgnoredBy ?? [])].some((item) => ignoredIds(item?.object).includes(id));
}

const IGNORE_META: K8sRuleMeta = {
  id: 'k8s/ignore-annotation',
  link: null,
  title: `The ${IGNORE_ANNOTATION} annotation names rules that exist`,
  looksAt: `Every object's ${IGNORE_ANNOTATION} annotation: a comma-separated list of rule ids (k8s/..., credspec/...).`,
  why: 'An id with a typo silences nothing, so the finding it was meant to silence stays, or the one silenced is not the one intended.',
  remediation: 'Write the ids exactly as the findings show them, separated by commas.',
};

export const IGNORE_ANNOTATION_RULE: K8sRule = {
  meta: IGNORE_META,
  needs: [],
  check: () => [],
  subjects: () => ({ count: 0, noun: 'objects' }),
};

function unknownIgnoreIds(ctx: RuleContext, known: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const item of ctx.allObjects()) {
    const unknown = ignoredIds(item.object).filter((id) => !known.has(id));
    if (unknown.length === 0) continue;
    out.push(
      toFinding(IGNORE_ANNOTATION_RULE, {
        severity: 'warning',
        message: `${IGNORE_ANNOTATION} names ${unknown.map((id) => JSON.stringify(id)).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not a rule id: nothing is ignored for ${unknown.length === 1 ? 'it' : 'them'}`,
        about: item,
        field: `metadata.annotations.${IGNORE_ANNOTATION}`,
        evidence: { unknown },
      }),
    );
  }
  return out;
}
