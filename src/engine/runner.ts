import { subjectKindOf } from '../facts/index.js';
import type { Subject } from '../facts/subjects.js';
import { SUBJECT_KINDS } from '../facts/subjects.js';
import { declaredFacts } from './check.js';
import { networkDeadline } from './deadline.js';
import type { Deadline } from './deadline.js';
import type { Check } from './check.js';
import { FactStore, MissingFactError, StoreReader } from './facts.js';
import type { FactKey } from './facts.js';
import { REPORT_BUGS_AT } from './finding.js';
import type { Finding, FindingDraft } from './finding.js';
import { FACT_TITLES } from '../facts/titles.js';
import { isUnavailable } from './probe.js';
import type { Probe, ProbeOutput } from './probe.js';
import { sectionDocs } from './sections.js';
import { strict } from './strict.js';

export interface ProbeTiming {
  id: string;
  ms: number;
  outcome: 'ok' | 'timeout' | 'error' | 'skipped';
  detail?: string;
}

export interface GatherOptions {
  probes?: readonly Probe[];
  /** Facts known before the run (saved facts, command-line input); probes for them are not run. */
  facts?: FactStore;
  /** Subjects the run judges whatever the probes find (a gMSA named with --gmsa). */
  subjects?: readonly Subject[];
  /** Default per-probe deadline. */
  timeoutMs?: number;
  /** Told when each probe starts and ends (a progress line on a terminal). */
  onProbe?: (event: ProbeEvent) => void;
}

/** A probe starting or ending (or skipped: an end without a start), with how far the whole gather has to go. */
export interface ProbeEvent {
  id: string;
  /** The probe's title, in plain words ("finding the domain controllers"). */
  title: string;
  state: 'start' | 'end';
  /** How many probes this gather runs in all. */
  total: number;
  /** The latest the gather can end, in ms from its start: the slowest chain of probe deadlines. */
  deadlineMs: number;
}

export interface RunOptions extends GatherOptions {
  checks: readonly Check[];
}

export interface Gathered {
  facts: FactStore;
  probes: ProbeTiming[];
}

export interface RunResult extends Gathered {
  findings: Finding[];
  /** Checks about a kind of subject of which the run found none (no gMSA named, no container with a spec). */
  idle: Check[];
  durationMs: number;
}

export const DEFAULT_TIMEOUT_MS = 3000;
export const NOT_GATHERED = 'not gathered in this run';

class ProbeTimeout extends Error {}

function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: Deadline | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = networkDeadline(ms, () => {
      controller.abort(new ProbeTimeout(`no answer within ${ms} ms`));
      reject(new ProbeTimeout(`no answer within ${ms} ms`));
    });
  });
  return Promise.race([work(controller.signal), deadline]).finally(() => timer?.cancel());
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const probeTitle = (probe: Probe): string => probe.title ?? probe.id;

/**
 * The probes a gather starts for `keys` (those of facts not known yet, and the probes they need first), and the
 * latest time the last of them can end: the slowest chain of deadlines, each probe starting when its needs end.
 */
function plannedProbes(
  keys: readonly FactKey[],
  probes: readonly Probe[],
  store: FactStore,
  timeoutMs: number,
): { total: number; deadlineMs: number } {
  const ends = new Map<Probe, number>();
  const endOf = (key: FactKey): number => {
    const probe = probes.find((p) => p.provides.includes(key));
    if (!probe || store.has(key)) return 0;
    const known = ends.get(probe);
    if (known !== undefined) return known;
    ends.set(probe, 0); // a cycle of needs counts once
    const end = Math.max(0, ...(probe.needs ?? []).map(endOf)) + (probe.timeoutMs ?? timeoutMs);
    ends.set(probe, end);
    return end;
  };
  const deadlineMs = Math.max(0, ...keys.map(endOf));
  return { total: ends.size, deadlineMs };
}

/** Stores what a probe yielded; a fact it declares but did not yield is recorded as such, for the run. */
function record(store: FactStore, probe: Probe, output: ProbeOutput): void {
  const yielded = new Set<FactKey>();
  for (const { subject, facts } of output.subjects ?? []) {
    store.addSubject(subject);
    for (const [key, value] of Object.entries(facts) as [FactKey, unknown][]) {
      if (!probe.provides.includes(key)) throw new Error(`probe ${probe.id} yielded ${key}, which it does not provide`);
      yielded.add(key);
      if (isUnavailable(value)) store.setUnavailable(key, value.reason, subject);
      else store.set(key, value as never, { subject, source: probe.id });
    }
  }
  for (const key of probe.provides) {
    const value: unknown = (output as Record<string, unknown>)[key];
    if (isUnavailable(value)) store.setUnavailable(key, value.reason);
    else if (value !== undefined) store.set(key, value as never, { source: probe.id });
    // A per-subject fact yielded for no subject: there was nothing to find (no container uses a credential spec).
    else if (!yielded.has(key) && subjectKindOf(key) === undefined)
      store.setUnavailable(key, `${probeTitle(probe)} did not give it`);
  }
}

/**
 * Runs the probes for `keys`, concurrently, each under its own deadline, and returns the facts. A probe starts as
 * soon as the facts it needs are settled; a probe is run once however many facts are wanted from it.
 */
export async function gather(keys: Iterable<FactKey>, options: GatherOptions = {}): Promise<Gathered> {
  const store = options.facts ?? new FactStore();
  for (const subject of options.subjects ?? []) store.addSubject(subject);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const probes = options.probes ?? [];
  const timings: ProbeTiming[] = [];
  const running = new Map<Probe, Promise<void>>();
  const wanted = [...new Set(keys)];
  const { total, deadlineMs } = plannedProbes(wanted, probes, store, timeoutMs);
  const tell = (probe: Probe, state: ProbeEvent['state']): void =>
    options.onProbe?.({ id: probe.id, title: probeTitle(probe), state, total, deadlineMs });

  const ensure = async (key: FactKey): Promise<void> => {
    const probe = probes.find((p) => p.provides.includes(key));
    const pending = probe && running.get(probe);
    if (pending) return pending;
    if (store.has(key)) return; // known before the run
    if (!probe) {
      store.setUnavailable(key, NOT_GATHERED);
      return;
    }
    const started = runProbe(probe);
    running.set(probe, started);
    await started;
  };

  const runProbe = async (probe: Probe): Promise<void> => {
    await Promise.all((probe.needs ?? []).map(ensure));
    const t0 = performance.now();
    const missing = (probe.needs ?? []).find((k) => !store.available(k));
    if (missing && !probe.tolerant) {
      const result = store.resultFor(missing);
      const reason = `${probeTitle(probe)} needs ${FACT_TITLES[missing]}, which could not be had (${result?.status === 'unavailable' ? result.reason : NOT_GATHERED})`;
      for (const k of probe.provides) if (!store.has(k)) store.setUnavailable(k, reason);
      timings.push({ id: probe.id, ms: 0, outcome: 'skipped', detail: reason });
      tell(probe, 'end');
      return;
    }
    const ms = probe.timeoutMs ?? timeoutMs;
    tell(probe, 'start');
    try {
      const output = await withDeadline((signal) => probe.run({ signal, facts: store.reader(), timeoutMs: ms }), ms);
      record(store, probe, output);
      timings.push({ id: probe.id, ms: performance.now() - t0, outcome: 'ok' });
    } catch (error) {
      const timedOut = error instanceof ProbeTimeout;
      const reason = `${probeTitle(probe)}: ${errorText(error)}`;
      for (const k of probe.provides) if (!store.has(k)) store.setUnavailable(k, reason);
      timings.push({
        id: probe.id,
        ms: performance.now() - t0,
        outcome: timedOut ? 'timeout' : 'error',
        detail: errorText(error),
      });
    } finally {
      tell(probe, 'end');
    }
  };

  await Promise.all(wanted.map(ensure));
  return { facts: store, probes: timings };
}

/** Gathers what the checks need and use, then runs each check: once, or once per subject of its kind. */
export async function run(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const gathered = await gather(
    options.checks.flatMap((check) => [...declaredFacts(check)]),
    options,
  );
  const { findings, idle } = judge(options.checks, gathered.facts);
  return { ...gathered, findings, idle, durationMs: performance.now() - started };
}

/** Runs each check on the facts: once, or once per subject of its kind (idle: there was no such subject). */
export function judge(checks: readonly Check[], store: FactStore): { findings: Finding[]; idle: Check[] } {
  const findings: Finding[] = [];
  const idle: Check[] = [];
  for (const check of checks) {
    if (!check.subject) {
      findings.push(...runCheck(check, store));
      continue;
    }
    const subjects = store.subjects(check.subject);
    if (subjects.length === 0) idle.push(check);
    for (const subject of subjects) findings.push(...runCheck(check, store, subject));
  }
  return { findings, idle };
}

/** What a finding about a subject shows when the check named nothing else: `webapp01$`, a container's name. */
function subjectLabel(subject: Subject, store: FactStore): string {
  if (subject.kind === 'gmsa') return `${subject.id}$`;
  const namedBy = SUBJECT_KINDS[subject.kind].namedBy as FactKey | undefined;
  const named = namedBy && store.resultFor(namedBy, subject);
  const name = named?.status === 'ok' ? (named.value as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : subject.id;
}

/** Runs one check on the store (for one subject when it judges subjects one by one). Never throws for a user. */
export function runCheck(check: Check, store: FactStore, subject?: Subject): Finding[] {
  if (check.subject && subject?.kind !== check.subject) {
    throw new Error(`${check.meta.id} judges each ${SUBJECT_KINDS[check.subject].title}: give it one`);
  }
  const complete = (draft: FindingDraft): Finding => ({
    id: check.meta.id,
    title: check.meta.title,
    section: check.meta.section,
    docs: sectionDocs(check.meta.section),
    ...(check.meta.link ? { link: check.meta.link } : {}),
    ...(check.meta.fault && draft.severity === 'error' ? { fault: check.meta.fault } : {}),
    ...(subject ? { subject: subjectLabel(subject, store), about: subject } : {}),
    ...draft,
  });
  const skipped = (key: FactKey, reason: string): Finding[] => [
    complete({
      severity: 'skipped',
      message: `Skipped: it needs ${FACT_TITLES[key]}, which ${reason === NOT_GATHERED ? 'this run did not gather' : `could not be had: ${reason}`}.`,
    }),
  ];
  for (const key of check.needs) {
    const kind = subjectKindOf(key);
    const result = store.resultFor(key, subject);
    // A fact about other subjects (the containers, for a check of the host) is needed as gathered at all.
    const missing =
      kind === undefined || kind === subject?.kind
        ? result?.status !== 'ok'
        : result?.status === 'unavailable' || !store.has(key);
    if (missing) return skipped(key, result?.status === 'unavailable' ? result.reason : 'not gathered');
  }
  try {
    return check
      .run(new StoreReader(store, subject, { check: check.meta.id, keys: declaredFacts(check) }))
      .map(complete);
  } catch (error) {
    if (error instanceof MissingFactError) return skipped(error.key, error.reason);
    if (strict()) throw error;
    return [
      {
        ...complete({
          severity: 'error',
          message: `Internal error in this check: ${errorText(error)}. This is a bug in gmsa-doctor, not a finding about your gMSA: please report it at ${REPORT_BUGS_AT} with this output.`,
        }),
        internal: true,
      },
    ];
  }
}
