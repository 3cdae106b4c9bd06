/**
 * Facts are plain, JSON-serialisable data gathered by probes and judged by checks. Their keys and shapes are
 * defined once, as zod schemas, in src/facts/.
 */
import type { FactKey, FactTypes } from '../facts/index.js';

export type { FactKey, FactTypes };

export type FactResult<T = unknown> =
  | { status: 'ok'; value: T; source?: string }
  | { status: 'unavailable'; reason: string };

/** A snapshot of facts, as saved by `collect` and loaded by `analyze`. */
export type FactSnapshot = Record<string, FactResult>;

export class MissingFactError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`fact ${key} unavailable: ${reason}`);
  }
}

export class FactStore {
  private readonly results = new Map<string, FactResult>();

  constructor(initial?: FactSnapshot) {
    if (initial) for (const [key, result] of Object.entries(initial)) this.results.set(key, result);
  }

  set<K extends FactKey>(key: K, value: FactTypes[K], source?: string): void {
    this.results.set(key, source === undefined ? { status: 'ok', value } : { status: 'ok', value, source });
  }

  setUnavailable(key: string, reason: string): void {
    this.results.set(key, { status: 'unavailable', reason });
  }

  has(key: string): boolean {
    return this.results.has(key);
  }

  result(key: string): FactResult | undefined {
    return this.results.get(key);
  }

  /** The fact's value; throws MissingFactError when it is unavailable or was never gathered. */
  get<K extends FactKey>(key: K): FactTypes[K] {
    const r = this.results.get(key);
    if (!r) throw new MissingFactError(key, 'not gathered');
    if (r.status === 'unavailable') throw new MissingFactError(key, r.reason);
    return r.value as FactTypes[K];
  }

  /** The fact's value, or undefined when unavailable: for facts a check can do without. */
  optional<K extends FactKey>(key: K): FactTypes[K] | undefined {
    const r = this.results.get(key);
    return r?.status === 'ok' ? (r.value as FactTypes[K]) : undefined;
  }

  snapshot(): FactSnapshot {
    return Object.fromEntries(this.results);
  }
}

/** What checks see: reading only. */
export type FactReader = Pick<FactStore, 'get' | 'optional' | 'result' | 'has'>;
