/**
 * Cases for the catalogue test, RuleTester-style: for each check, in test/checks/<area>/<slug>.cases.ts (the check
 * id), facts in and findings out. A success case expects no error and no warning; a failure case expects the
 * check to find something (an error, a warning or an info). The facts of a case are read like a saved facts file
 * (version 2), so they are validated against the schemas analyze uses.
 */
import type { FactValue, RunFactKey, SubjectFactKey } from '../../src/facts/index.js';
import type { FactKey } from '../../src/facts/index.js';
import type { SubjectKind } from '../../src/facts/subjects.js';
import type { Severity } from '../../src/engine/finding.js';
import type { ChainLinkId } from '../../src/engine/chain.js';
import type { FaultKind } from '../../src/engine/faults.js';

export interface ExpectedFinding {
  severity: Severity;
  message?: RegExp | string;
  subject?: string;
  /** What failed: the headline of the most likely cause. */
  fault?: FaultKind;
  link?: ChainLinkId;
  echoes?: string;
}

export interface CheckCase {
  name: string;
  /** Facts about the run, by key. */
  facts?: { [K in RunFactKey]?: FactValue<K> };
  /** Facts per subject: kind, id, key. */
  subjects?: Partial<Record<SubjectKind, Record<string, { [K in SubjectFactKey]?: FactValue<K> }>>>;
  /** Facts recorded as unavailable, with the reason (for the run, or for every subject). */
  unavailable?: Partial<Record<FactKey, string>>;
  /** The findings, in order (all of them). */
  expect: ExpectedFinding[];
}

export interface CheckCases {
  success: CheckCase[];
  failure: CheckCase[];
}

export function cases(all: CheckCases): CheckCases {
  return all;
}

/** The v2 facts file a case stands for. */
export function caseFile(c: CheckCase): unknown {
  const ok = (value: unknown) => ({ status: 'ok', value });
  const facts: Record<string, unknown> = Object.fromEntries(
    Object.entries(c.facts ?? {}).map(([key, value]) => [key, ok(value)]),
  );
  for (const [key, reason] of Object.entries(c.unavailable ?? {})) facts[key] = { status: 'unavailable', reason };
  const subjects = Object.fromEntries(
    Object.entries(c.subjects ?? {}).map(([kind, byId]) => [
      kind,
      Object.fromEntries(
        Object.entries(byId).map(([id, values]) => [
          id,
          Object.fromEntries(Object.entries(values).map(([key, value]) => [key, ok(value)])),
        ]),
      ),
    ]),
  );
  return { format: 'gmsa-doctor-facts', version: 2, facts, subjects };
}
