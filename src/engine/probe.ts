import type { FactKey, RunFactKey, SubjectFactKey } from '../facts/index.js';
import type { Subject } from '../facts/subjects.js';
import type { FactReader, FactValue } from './facts.js';

const UNAVAILABLE = Symbol('unavailable');

export interface Unavailable {
  [UNAVAILABLE]: true;
  reason: string;
}

/** A probe's way to say "this fact could not be gathered, and here is why". */
export function unavailable(reason: string): Unavailable {
  return { [UNAVAILABLE]: true, reason };
}

export function isUnavailable(value: unknown): value is Unavailable {
  return typeof value === 'object' && value !== null && UNAVAILABLE in value;
}

/** Facts a probe yields about one subject it found or was asked about. */
export interface SubjectOutput {
  subject: Subject;
  facts: { [K in SubjectFactKey]?: FactValue<K> | Unavailable };
}

/**
 * A probe's facts about the run, and about each subject. A per-subject fact given at the top level can only be
 * unavailable, for every subject (the probe failed before it could name them).
 */
export type ProbeOutput = { [K in RunFactKey]?: FactValue<K> | Unavailable } & {
  [K in SubjectFactKey]?: Unavailable;
} & {
  subjects?: SubjectOutput[];
};

export interface ProbeContext {
  /** Aborted when the probe's deadline passes: stop sockets and child processes. */
  signal: AbortSignal;
  /** Facts gathered so far (the probe's `needs` are settled). */
  facts: FactReader;
  timeoutMs: number;
}

/** All I/O lives in probes. A probe gathers one or more facts. */
export interface Probe {
  id: string;
  /** What it does, in plain words, for the progress line: "asking DNS for the domain controllers". */
  title: string;
  provides: readonly FactKey[];
  /** Facts this probe starts from (e.g. the DC address found by DNS). */
  needs?: readonly FactKey[];
  /** Run even when a needed fact is unavailable (the probe copes by itself). */
  tolerant?: boolean;
  /** Overrides the run's per-probe timeout. */
  timeoutMs?: number;
  run(ctx: ProbeContext): Promise<ProbeOutput>;
}
