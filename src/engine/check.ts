import type { FactKey, FactReader } from './facts.js';
import type { FindingDraft } from './finding.js';
import type { SectionId } from './sections.js';

export interface CheckMeta {
  /** Stable id, `area/slug` (like ESLint rule names). */
  id: string;
  title: string;
  section: SectionId;
  /** What the check looks at: which facts, fields, commands. */
  looksAt: string;
  /** Why it matters: what breaks for the container when it fails. */
  why: string;
  /** How to fix it, in general; findings carry the exact commands with real values. */
  remediation: string;
}

export interface Check {
  meta: CheckMeta;
  /** Facts without which the check cannot judge: if one is unavailable, the check is skipped with the reason. */
  needs: readonly FactKey[];
  /** Facts the check uses when they are there. */
  uses?: readonly FactKey[];
  /** Pure: facts in, findings out. No I/O. */
  run(facts: FactReader): FindingDraft[];
}

export function defineCheck(check: Check): Check {
  return check;
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
