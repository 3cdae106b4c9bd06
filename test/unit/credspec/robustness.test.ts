import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintCredSpecBytes, lintCredSpecText } from '../../../src/plan/lint.js';
import { validSpec } from './helpers.js';

/** Replaces the value at a random path of the spec with an arbitrary JSON value. */
function mutate(spec: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || spec === null || typeof spec !== 'object') return replacement;
  const entries = Object.entries(spec as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [key, value] = entries[path[0]! % entries.length]!;
  const copy = (Array.isArray(spec) ? [...spec] : { ...spec }) as Record<string, unknown>;
  copy[key] = mutate(value, path.slice(1), replacement);
  return copy;
}

describe('lint never throws', () => {
  it('on random bytes, as JSON or YAML', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom('x.json', 'x.yaml'), (bytes, file) => {
        const findings = lintCredSpecBytes(bytes, file);
        expect(Array.isArray(findings)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.constantFrom('x.json', 'x.yaml'), (text, file) => {
        expect(() => lintCredSpecText(text, file)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('on valid specs with any value replaced by any JSON value, and says something is wrong', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.jsonValue({ maxDepth: 3 }),
        (path, replacement) => {
          const spec = mutate(validSpec(), path, replacement);
          const findings = lintCredSpecText(JSON.stringify(spec), 'mutated.json');
          expect(findings.every((f) => f.severity !== 'skipped')).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on valid specs cut short anywhere', () => {
    const text = JSON.stringify(validSpec(), null, 2);
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), (cut) => {
        const findings = lintCredSpecText(text.slice(0, cut), 'cut.json');
        expect(findings.some((f) => f.severity === 'error' || f.severity === 'warning')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
