import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../src/checks/index.js';
import { assertValidRegistry } from '../../../src/engine/check.js';
import { SECTIONS } from '../../../src/engine/sections.js';

describe('check catalogue', () => {
  it('has unique area/slug ids and complete documentation for every check', () => {
    expect(() => assertValidRegistry(ALL_CHECKS)).not.toThrow();
    for (const { meta } of ALL_CHECKS) {
      expect(meta.title, meta.id).not.toBe('');
      expect(meta.looksAt.length, meta.id).toBeGreaterThan(10);
      expect(meta.why.length, meta.id).toBeGreaterThan(10);
      expect(meta.remediation.length, meta.id).toBeGreaterThan(5);
      expect(SECTIONS[meta.section], meta.id).toBeDefined();
    }
  });

  it('refuses a duplicate or malformed id', () => {
    const [first] = ALL_CHECKS;
    expect(() => assertValidRegistry([first!, first!])).toThrow(/registered twice/);
    expect(() => assertValidRegistry([{ ...first!, meta: { ...first!.meta, id: 'NoSlash' } }])).toThrow(
      /not area\/slug/,
    );
  });
});
