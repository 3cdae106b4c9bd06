/**
 * The catalogue: every check lives at src/checks/<area>/<slug>.ts for its id area/slug, and is tested on its own
 * cases, test/checks/<area>/<slug>.cases.ts: facts in, findings out, at least one success and one failure each.
 * The facts of each case are read as analyze reads a saved file (schema-valid), and no check may throw
 * (GMSA_DOCTOR_STRICT=1 turns an internal error into a test failure). A check of what only a paste shows says
 * nothing of a paste that holds nothing of its kind (no finding: absence is not a pass), so its success case may
 * expect no finding at all.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, PASTE_CHECKS } from '../../../src/checks/index.js';
import type { Check } from '../../../src/engine/check.js';
import { FactStore } from '../../../src/engine/facts.js';
import { readFactsFile } from '../../../src/facts/file.js';
import { caseFile } from '../../checks/_harness.js';
import type { CheckCase, CheckCases } from '../../checks/_harness.js';
import { findingsOf } from '../../helpers/checks.js';

const SRC = new URL('../../../src/checks/', import.meta.url).pathname;
const CASES = new URL('../../checks/', import.meta.url).pathname;
const areas = readdirSync(SRC, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const homes = areas.flatMap((area) =>
  readdirSync(join(SRC, area))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => `${area}/${f.replace(/\.ts$/, '')}`),
);

describe('one home per check', () => {
  it('each check file holds the check of its id, and the catalogue holds every check file', async () => {
    for (const home of homes) {
      const module = (await import(join(SRC, `${home}.js`))) as { default?: Check };
      expect(module.default?.meta.id, `src/checks/${home}.ts`).toBe(home);
      expect(ALL_CHECKS, home).toContain(module.default);
    }
    expect(ALL_CHECKS.map((c) => c.meta.id).sort()).toEqual([...homes].sort());
  });
});

function judged(check: Check, c: CheckCase) {
  const { snapshot, problems } = readFactsFile(caseFile(c));
  expect(problems, `${check.meta.id} "${c.name}": the case's facts are valid`).toEqual([]);
  return findingsOf([check], new FactStore(snapshot));
}

const matcher = (c: CheckCase) =>
  c.expect.map(({ message, ...rest }) => ({
    ...rest,
    ...(message === undefined
      ? {}
      : { message: typeof message === 'string' ? message : expect.stringMatching(message) }),
  }));

describe.each(ALL_CHECKS.map((check) => [check.meta.id, check] as const))('%s', (id, check) => {
  const file = join(CASES, `${id}.cases.ts`);

  it('has cases: at least one success (no error, no warning) and one failure (an error, warning or info)', async () => {
    expect(existsSync(file), `test/checks/${id}.cases.ts`).toBe(true);
    const { success, failure } = ((await import(file)) as { default: CheckCases }).default;
    expect(success.length, 'success cases').toBeGreaterThan(0);
    expect(failure.length, 'failure cases').toBeGreaterThan(0);
    for (const c of success)
      expect(
        c.expect.filter((f) => f.severity === 'error' || f.severity === 'warning'),
        c.name,
      ).toEqual([]);
    const silentWhenAbsent = PASTE_CHECKS.includes(check);
    for (const c of success)
      expect(
        c.expect.some((f) => f.severity === 'pass' || f.severity === 'info') ||
          (silentWhenAbsent && c.expect.length === 0),
        c.name,
      ).toBe(true);
    for (const c of failure)
      expect(
        c.expect.some((f) => f.severity !== 'pass'),
        c.name,
      ).toBe(true);
    expect(
      failure.some((c) =>
        c.expect.some((f) => f.severity === 'error' || f.severity === 'warning' || f.severity === 'info'),
      ),
    ).toBe(true);
  });

  it('gives the expected findings on each case', async () => {
    if (!existsSync(file)) return;
    const { success, failure } = ((await import(file)) as { default: CheckCases }).default;
    for (const c of [...success, ...failure]) {
      const findings = judged(check, c);
      expect(
        findings.filter((f) => f.internal),
        c.name,
      ).toEqual([]);
      expect(findings, `${id} "${c.name}"`).toMatchObject(matcher(c));
    }
  });
});
