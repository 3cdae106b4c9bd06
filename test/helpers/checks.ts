import { ALL_CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/engine/check.js';
import { FactStore } from '../../src/engine/facts.js';
import type { FactKey, FactResult, FactResults, FactsSnapshot } from '../../src/engine/facts.js';
import { subjectKindOf } from '../../src/facts/index.js';
import { containerSubject, gmsaSubject } from '../../src/facts/subjects.js';
import type { Subject, SubjectKind } from '../../src/facts/subjects.js';
import type { Finding } from '../../src/engine/finding.js';
import { judge } from '../../src/engine/runner.js';

/** The check with this id, from the catalogue. */
export function check(id: string): Check {
  const found = ALL_CHECKS.find((c) => c.meta.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

/** The checks whose id starts with `prefix` (`container/`), in catalogue order. */
export function checks(prefix: string): Check[] {
  return ALL_CHECKS.filter((c) => c.meta.id.startsWith(prefix));
}

/** Runs checks on a store as a run does: each once, or once per subject of its kind. */
export function findingsOf(selected: readonly Check[], facts: FactStore): Finding[] {
  return judge(selected, facts).findings;
}

/**
 * A store from facts written flat, as one gMSA's (or one container's) view: the facts about a gMSA go to the
 * subject that ad.gmsa names, those about a container to the one container.inspect describes.
 */
export function flatStore(flat: FactResults): FactStore {
  const field = (key: FactKey, name: string): string | undefined => {
    const r = flat[key];
    const value = r?.status === 'ok' ? (r.value as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const subjects: Partial<Record<SubjectKind, Subject>> = {
    gmsa: gmsaSubject(field('ad.gmsa', 'name') ?? 'gmsa'),
    container: containerSubject(field('container.inspect', 'id') ?? 'container'),
  };
  const snapshot: FactsSnapshot = { facts: {}, subjects: {} };
  for (const [key, result] of Object.entries(flat) as [FactKey, FactResult][]) {
    const kind = subjectKindOf(key);
    const subject = kind && subjects[kind];
    if (!subject) snapshot.facts[key] = result;
    else ((snapshot.subjects[subject.kind] ??= {})[subject.id] ??= {})[key] = result;
  }
  return new FactStore(snapshot);
}
