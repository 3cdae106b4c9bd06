import type { FactKey, FactReader, FactTypes } from './facts.js';

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

export type ProbeOutput = { [K in FactKey]?: FactTypes[K] | Unavailable };

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
  provides: readonly FactKey[];
  /** Facts this probe starts from (e.g. the DC address found by DNS). */
  needs?: readonly FactKey[];
  /** Run even when a needed fact is unavailable (the probe copes by itself). */
  tolerant?: boolean;
  /** Overrides the run's per-probe timeout. */
  timeoutMs?: number;
  run(ctx: ProbeContext): Promise<ProbeOutput>;
}
