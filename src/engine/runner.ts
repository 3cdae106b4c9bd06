import type { Check } from './check.js';
import { FactStore, MissingFactError } from './facts.js';
import type { FactKey } from './facts.js';
import type { Finding, FindingDraft } from './finding.js';
import { isUnavailable } from './probe.js';
import type { Probe } from './probe.js';
import { sectionDocs } from './sections.js';

export interface ProbeTiming {
  id: string;
  ms: number;
  outcome: 'ok' | 'timeout' | 'error' | 'skipped';
  detail?: string;
}

export interface RunResult {
  findings: Finding[];
  facts: FactStore;
  probes: ProbeTiming[];
  durationMs: number;
}

export interface RunOptions {
  checks: readonly Check[];
  probes?: readonly Probe[];
  /** Facts known before the run (saved facts, command-line input); probes for them are not run. */
  facts?: FactStore;
  /** Default per-probe deadline. */
  timeoutMs?: number;
  /** Told when each probe starts and ends (a progress line on a terminal). */
  onProbe?: (event: { id: string; state: 'start' | 'end' }) => void;
}

export const DEFAULT_TIMEOUT_MS = 3000;

class ProbeTimeout extends Error {}

function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new ProbeTimeout(`no answer within ${ms} ms`));
      reject(new ProbeTimeout(`no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work(controller.signal), deadline]).finally(() => clearTimeout(timer));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the probes that the selected checks need, concurrently, each under its own deadline, then the checks.
 * A probe starts as soon as the facts it needs are settled. A fact that could not be gathered turns each check
 * that needs it into a `skipped` finding that says why.
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const store = options.facts ?? new FactStore();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const probes = options.probes ?? [];
  const timings: ProbeTiming[] = [];
  const running = new Map<Probe, Promise<void>>();

  const probeFor = (key: FactKey): Probe | undefined => probes.find((p) => p.provides.includes(key));

  const ensure = async (key: FactKey): Promise<void> => {
    if (store.has(key)) return;
    const probe = probeFor(key);
    if (!probe) {
      store.setUnavailable(key, 'not gathered in this run');
      return;
    }
    let pending = running.get(probe);
    if (!pending) {
      pending = runProbe(probe);
      running.set(probe, pending);
    }
    await pending;
  };

  const runProbe = async (probe: Probe): Promise<void> => {
    await Promise.all((probe.needs ?? []).map(ensure));
    const t0 = performance.now();
    const missing = (probe.needs ?? []).map((k) => [k, store.result(k)] as const).find(([, r]) => r?.status !== 'ok');
    if (missing && !probe.tolerant) {
      const [key, result] = missing;
      const reason = `needs ${key}, which is unavailable: ${result?.status === 'unavailable' ? result.reason : 'not gathered'}`;
      for (const k of probe.provides) if (!store.has(k)) store.setUnavailable(k, reason);
      timings.push({ id: probe.id, ms: 0, outcome: 'skipped', detail: reason });
      return;
    }
    const ms = probe.timeoutMs ?? timeoutMs;
    options.onProbe?.({ id: probe.id, state: 'start' });
    try {
      const output = await withDeadline((signal) => probe.run({ signal, facts: store, timeoutMs: ms }), ms);
      for (const key of probe.provides) {
        const value: unknown = output[key];
        if (isUnavailable(value)) store.setUnavailable(key, value.reason);
        else if (value === undefined) store.setUnavailable(key, `probe ${probe.id} did not produce it`);
        else store.set(key, value as never, probe.id);
      }
      timings.push({ id: probe.id, ms: performance.now() - t0, outcome: 'ok' });
    } catch (error) {
      const timedOut = error instanceof ProbeTimeout;
      const reason = `${probe.id}: ${errorText(error)}`;
      for (const k of probe.provides) if (!store.has(k)) store.setUnavailable(k, reason);
      timings.push({ id: probe.id, ms: performance.now() - t0, outcome: timedOut ? 'timeout' : 'error', detail: errorText(error) });
    } finally {
      options.onProbe?.({ id: probe.id, state: 'end' });
    }
  };

  const wanted = new Set<FactKey>();
  for (const check of options.checks) for (const key of [...check.needs, ...(check.uses ?? [])]) wanted.add(key);
  await Promise.all([...wanted].map(ensure));

  const findings = options.checks.flatMap((check) => runCheck(check, store));
  return { findings, facts: store, probes: timings, durationMs: performance.now() - started };
}

export function runCheck(check: Check, store: FactStore): Finding[] {
  const complete = (draft: FindingDraft): Finding => ({
    id: check.meta.id,
    title: check.meta.title,
    section: check.meta.section,
    docs: sectionDocs(check.meta.section),
    ...draft,
  });
  for (const key of check.needs) {
    const result = store.result(key);
    if (result?.status !== 'ok') {
      const reason = result?.status === 'unavailable' ? result.reason : 'not gathered';
      return [complete({ severity: 'skipped', message: `Skipped: ${key} is unavailable (${reason}).` })];
    }
  }
  try {
    return check.run(store).map(complete);
  } catch (error) {
    if (error instanceof MissingFactError) {
      return [complete({ severity: 'skipped', message: `Skipped: ${error.key} is unavailable (${error.reason}).` })];
    }
    return [complete({ severity: 'skipped', message: `Skipped: internal error in the check: ${errorText(error)}` })];
  }
}
