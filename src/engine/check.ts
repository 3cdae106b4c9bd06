import type { SubjectKind } from '../facts/subjects.js';
import type { FactKey, FactReader } from './facts.js';
import type { ChainLinkId } from './chain.js';
import type { FaultKind } from './faults.js';
import type { FindingDraft } from './finding.js';
import type { SectionId } from './sections.js';

export interface CheckMeta {
  /** Stable id, `area/slug` (like ESLint rule names). */
  id: string;
  title: string;
  section: SectionId;
  /** Where its failures sit in the chain host -> DC -> account -> credential spec -> container; null: outside it. */
  link: ChainLinkId | null;
  /** What its error findings are, unless a finding names its own kind: the headline of the most likely cause. */
  fault?: FaultKind;
  /** What the check looks at: which facts, fields, commands. */
  looksAt: string;
  /** Why it matters: what breaks for the container when it fails. */
  why: string;
  /** How to fix it, in general; findings carry the exact commands with real values. */
  remediation: string;
}

/**
 * A check: the facts it needs (unavailable: skipped with the reason) and uses when they are there, and a pure
 * function from those facts to findings. A check about a kind of subject runs once per subject; its reader gives
 * that subject's facts. It can read nothing it did not declare.
 */
export interface Check {
  meta: CheckMeta;
  /** Judge each subject of this kind on its own (each gMSA, each container); absent: judge the run once. */
  subject?: SubjectKind;
  needs: readonly FactKey[];
  uses?: readonly FactKey[];
  run(facts: FactReader): FindingDraft[];
}

/** A check as written: its reader is typed by what it declares, so reading anything else does not compile. */
export interface CheckDefinition<N extends FactKey, U extends FactKey> {
  meta: CheckMeta;
  subject?: SubjectKind;
  needs: readonly N[];
  uses?: readonly U[];
  run(facts: FactReader<N | U>): FindingDraft[];
}

export function defineCheck<const N extends FactKey, const U extends FactKey = never>(
  check: CheckDefinition<N, U>,
): Check {
  return check;
}

/** Every fact a check may read. */
export function declaredFacts(check: Check): ReadonlySet<FactKey> {
  return new Set([...check.needs, ...(check.uses ?? [])]);
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Throws when two checks share an id or an id is malformed: a programming error, caught by the unit tests. */
export function assertValidRegistry(checks: readonly Check[]): void {
  const seen = new Set<string>();
  for (const { meta } of checks) {
    if (!ID_PATTERN.test(meta.id)) throw new Error(`check id ${meta.id} is not area/slug`);
    if (seen.has(meta.id)) throw new Error(`check id ${meta.id} is registered twice`);
    seen.add(meta.id);
  }
}

/** A check a run did not run, and the flag or place that would run it. */
export interface NotChecked {
  id: string;
  title: string;
  section: SectionId;
  how: string;
}

export function notChecked(check: Check, how: string): NotChecked {
  return { id: check.meta.id, title: check.meta.title, section: check.meta.section, how };
}
