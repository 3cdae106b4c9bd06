import { describe, expect, it, vi } from 'vitest';
import { defineCheck } from '../../../src/engine/check.js';
import type { Check } from '../../../src/engine/check.js';
import { FactStore, UndeclaredFactError } from '../../../src/engine/facts.js';
import { mostLikelyCause } from '../../../src/report/likely-cause.js';
import { unavailable } from '../../../src/engine/probe.js';
import type { Probe } from '../../../src/engine/probe.js';
import { run } from '../../../src/engine/runner.js';

// Two real fact keys of the tool, used here as plain values.
const DOCS = 'credspec.documents' as const;
const ROOT = 'docker.rootDir' as const;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}

const rootCheck: Check = defineCheck({
  meta: {
    id: 'test/root',
    title: 'root is known',
    section: 'credspec',
    link: null,
    looksAt: 'root',
    why: 'test',
    remediation: 'none',
  },
  needs: [ROOT],
  run: (facts) => [{ severity: 'pass', message: `root is ${facts.get(ROOT)}` }],
});

function rootProbe(ms: number, value = 'C:\\ProgramData\\Docker'): Probe & { calls: number } {
  const probe = {
    id: 'root',
    title: 'reading the root',
    provides: [ROOT] as const,
    calls: 0,
    async run({ signal }: { signal: AbortSignal }) {
      probe.calls++;
      await sleep(ms, signal);
      return { [ROOT]: value };
    },
  };
  return probe;
}

describe('runner', () => {
  it('runs a check on the facts its probe gathered', async () => {
    const result = await run({ checks: [rootCheck], probes: [rootProbe(1)] });
    expect(result.findings).toMatchObject([
      { id: 'test/root', severity: 'pass', message: 'root is C:\\ProgramData\\Docker', section: 'credspec' },
    ]);
  });

  it('turns a probe that misses its deadline into a skipped finding with the reason, in about one timeout', async () => {
    const t0 = performance.now();
    const result = await run({ checks: [rootCheck], probes: [rootProbe(5_000)], timeoutMs: 100 });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(result.findings[0]).toMatchObject({ severity: 'skipped' });
    expect(result.findings[0]?.message).toMatch(
      /^Skipped: it needs Docker's root directory, which could not be had: reading the root: no answer within 100 ms\.$/,
    );
    expect(result.probes[0]).toMatchObject({ id: 'root', outcome: 'timeout' });
  });

  it('runs independent probes concurrently: two slow probes take the time of one', async () => {
    const docsProbe: Probe = {
      id: 'docs',
      title: 'reading the docs',
      provides: [DOCS],
      run: async () => (await sleep(300), { [DOCS]: [] }),
    };
    const docsCheck = defineCheck({
      ...rootCheck,
      meta: { ...rootCheck.meta, id: 'test/docs' },
      needs: [DOCS],
      run: () => [],
    });
    const t0 = performance.now();
    await run({ checks: [rootCheck, docsCheck], probes: [rootProbe(300), docsProbe] });
    expect(performance.now() - t0).toBeLessThan(550);
  });

  it('runs a probe once even when several checks need its fact', async () => {
    const probe = rootProbe(1);
    const again = defineCheck({ ...rootCheck, meta: { ...rootCheck.meta, id: 'test/again' } });
    await run({ checks: [rootCheck, again], probes: [probe] });
    expect(probe.calls).toBe(1);
  });

  it('does not run a probe whose fact was given (saved facts, analyze)', async () => {
    const probe = rootProbe(1);
    const facts = new FactStore({ facts: { [ROOT]: { status: 'ok', value: 'D:\\docker' } }, subjects: {} });
    const result = await run({ checks: [rootCheck], probes: [probe], facts });
    expect(probe.calls).toBe(0);
    expect(result.findings[0]?.message).toBe('root is D:\\docker');
  });

  it('passes a probe\'s "unavailable" reason to the skipped finding', async () => {
    const probe: Probe = {
      id: 'root',
      title: 'reading the root',
      provides: [ROOT],
      run: () => Promise.resolve({ [ROOT]: unavailable('docker is not installed') }),
    };
    const result = await run({ checks: [rootCheck], probes: [probe] });
    expect(result.findings[0]?.message).toBe(
      "Skipped: it needs Docker's root directory, which could not be had: docker is not installed.",
    );
  });

  it('skips a probe whose needed fact is unavailable, saying which and why', async () => {
    const dependent: Probe = {
      id: 'docs',
      title: 'reading the docs',
      provides: [DOCS],
      needs: [ROOT],
      run: () => Promise.resolve({ [DOCS]: [] }),
    };
    const failing: Probe = {
      id: 'root',
      title: 'reading the root',
      provides: [ROOT],
      run: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const docsCheck = defineCheck({
      ...rootCheck,
      meta: { ...rootCheck.meta, id: 'test/docs' },
      needs: [DOCS],
      run: () => [],
    });
    const result = await run({ checks: [docsCheck], probes: [dependent, failing] });
    expect(result.findings[0]?.message).toMatch(
      /reading the docs needs Docker's root directory, which could not be had \(reading the root: ECONNREFUSED\)/,
    );
  });

  it('reports a fact no probe gathers as not gathered', async () => {
    const result = await run({ checks: [rootCheck] });
    expect(result.findings[0]?.message).toMatch(
      /^Skipped: it needs Docker's root directory, which this run did not gather\.$/,
    );
  });

  describe('a check that throws is a bug', () => {
    const broken = defineCheck({
      ...rootCheck,
      meta: { ...rootCheck.meta, id: 'test/broken' },
      run: () => {
        throw new Error('boom');
      },
    });
    // Reads a fact it does not declare: the compiler refuses it, and so does the runner when the type is cast away.
    const sneaky = defineCheck({
      meta: { ...rootCheck.meta, id: 'test/sneaky' },
      needs: [ROOT],
      run: (facts) => {
        // @ts-expect-error credspec.documents is not among this check's declared facts
        const documents = facts.optional(DOCS);
        return [{ severity: 'pass', message: `${documents?.length ?? 0} documents` }];
      },
    });

    it('fails loudly in the test suite (GMSA_DOCTOR_STRICT=1)', async () => {
      await expect(run({ checks: [broken], probes: [rootProbe(1)] })).rejects.toThrow('boom');
      await expect(run({ checks: [sneaky], probes: [rootProbe(1)] })).rejects.toThrow(
        new UndeclaredFactError('test/sneaky', DOCS),
      );
    });

    it('is reported to a user as an internal error with a request to report it, not as skipped; the run goes on', async () => {
      vi.stubEnv('GMSA_DOCTOR_STRICT', '');
      try {
        const result = await run({ checks: [broken, sneaky, rootCheck], probes: [rootProbe(1)] });
        expect(result.findings.map((f) => [f.id, f.severity, f.internal])).toEqual([
          ['test/broken', 'error', true],
          ['test/sneaky', 'error', true],
          ['test/root', 'pass', undefined],
        ]);
        expect(result.findings[0]?.message).toMatch(
          /^Internal error in this check: boom\. This is a bug in gmsa-doctor.*please report it at https:/,
        );
        expect(result.findings[1]?.message).toMatch(/test\/sneaky read credspec\.documents, which it does not declare/);
        expect(mostLikelyCause(result.findings)).toBeUndefined();
      } finally {
        vi.unstubAllEnvs();
      }
    });
  });
});
