import { describe, expect, it } from 'vitest';
import {
  describeBuild,
  hostnameMustMatch,
  hypervIsolationBroken,
  releaseOf,
  sharedGmsaIntermittent,
  WINDOWS_RELEASES,
} from '../../../src/checks/known-issues/_builds.js';

describe('known issues by Windows build, over the whole build table', () => {
  for (const { build, names } of WINDOWS_RELEASES) {
    const beforeServer2019 = build < 17763;
    it(`${build} (${names[0]}): hostname rule ${beforeServer2019 ? 'applies' : 'does not apply'}, shared gMSA rule likewise`, () => {
      expect(Boolean(hostnameMustMatch(build))).toBe(beforeServer2019);
      expect(Boolean(sharedGmsaIntermittent(build))).toBe(beforeServer2019);
    });
    const hypervBroken = [15063, 16299, 17134].includes(build);
    it(`${build} (${names[0]}): Hyper-V isolation with a gMSA ${hypervBroken ? 'fails' : 'works'}`, () => {
      expect(Boolean(hypervIsolationBroken(build))).toBe(hypervBroken);
    });
  }

  it('treats a servicing build as its release (17134.1 family, 16299 + UBR)', () => {
    expect(releaseOf(17135)?.version).toBe('1803');
    expect(hypervIsolationBroken(16300)).toBeDefined();
    expect(hypervIsolationBroken(14393)).toBeUndefined();
  });

  it('explains with the release name', () => {
    expect(hostnameMustMatch(14393)?.explanation).toContain('Windows Server 2016');
    expect(describeBuild(20348)).toBe('build 20348 (Windows Server 2022)');
    expect(describeBuild(12345)).toBe('build 12345');
  });
});
