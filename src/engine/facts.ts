/**
 * Facts are plain, JSON-serialisable data gathered by probes (or recognisers, or a saved file) and judged by
 * checks. Their keys and shapes are defined once, as zod schemas, in src/facts/. A fact is about the run as a whole
 * (host.windows, net.dns) or about one subject of a kind (ad.gmsa for each gMSA, container.inspect for each
 * container); the store keeps both, and a result recorded for a per-subject key without a subject stands for
 * every subject (a probe that failed before it knew them).
 */
import type { FactResult, FactResults, FactsSnapshot } from '../facts/file.js';
import { factSchema, subjectKindOf } from '../facts/index.js';
import type { FactKey, FactTypes, FactValue } from '../facts/index.js';
import { SUBJECT_KINDS, subjectText } from '../facts/subjects.js';
import type { Subject, SubjectKind } from '../facts/subjects.js';
import { strict } from './strict.js';

export type { FactKey, FactTypes, FactValue };

export type { FactResult, FactResults, FactsSnapshot };

export class MissingFactError extends Error {
  constructor(
    readonly key: FactKey,
    readonly reason: string,
  ) {
    super(`fact ${key} unavailable: ${reason}`);
  }
}

/** A check read a fact it did not declare: a bug in the check, reported as an internal error. */
export class UndeclaredFactError extends Error {
  constructor(
    readonly check: string,
    readonly key: string,
  ) {
    super(`${check} read ${key}, which it does not declare in needs or uses`);
  }
}

/** What probes and checks see: reading only. A check's reader is limited to the facts it declares. */
export interface FactReader<K extends FactKey = FactKey> {
  /** The subject a per-subject check is judging. */
  readonly subject?: Subject;
  /** The value; throws MissingFactError when it is unavailable or was never gathered. */
  get<T extends K>(key: T): FactValue<T>;
  /** The value, or undefined when unavailable: for facts a check can do without. */
  optional<T extends K>(key: T): FactValue<T> | undefined;
  result<T extends K>(key: T): FactResult<FactValue<T>> | undefined;
  /** A per-subject fact's value for every subject that has it. */
  each<T extends K>(key: T): { subject: Subject; value: FactValue<T> }[];
}

const keyOf = (subject: Subject): string => `${subject.kind}:${subject.id}`;

export class FactStore implements FactReader {
  private readonly run = new Map<FactKey, FactResult>();
  private readonly bySubject = new Map<string, { subject: Subject; facts: Map<FactKey, FactResult> }>();

  constructor(initial?: FactsSnapshot) {
    if (!initial) return;
    for (const [key, result] of Object.entries(initial.facts) as [FactKey, FactResult][]) this.run.set(key, result);
    for (const [kind, byId] of Object.entries(initial.subjects) as [SubjectKind, Record<string, FactResults>][]) {
      for (const [id, facts] of Object.entries(byId)) {
        const entry = this.entry({ kind, id });
        for (const [key, result] of Object.entries(facts) as [FactKey, FactResult][]) entry.facts.set(key, result);
      }
    }
  }

  private entry(subject: Subject): { subject: Subject; facts: Map<FactKey, FactResult> } {
    let entry = this.bySubject.get(keyOf(subject));
    if (!entry) {
      entry = { subject: { kind: subject.kind, id: subject.id }, facts: new Map() };
      this.bySubject.set(keyOf(subject), entry);
    }
    return entry;
  }

  /** The map a result for `key` belongs in: the run's, or the subject's (a programming error if they disagree). */
  private target(key: FactKey, subject: Subject | undefined, unavailable: boolean): Map<FactKey, FactResult> {
    const kind = subjectKindOf(key);
    if (subject && subject.kind !== kind)
      throw new Error(`${key} is not a fact about a ${SUBJECT_KINDS[subject.kind].title}`);
    if (!subject && kind && !unavailable)
      throw new Error(`${key} is a fact about each ${SUBJECT_KINDS[kind].title}: give its subject`);
    return subject ? this.entry(subject).facts : this.run;
  }

  set<K extends FactKey>(key: K, value: FactValue<K>, options: { subject?: Subject; source?: string } = {}): void {
    if (strict()) {
      const checked = factSchema(key).safeParse(value);
      if (!checked.success)
        throw new Error(
          `${options.source ?? 'a probe'} yielded ${key} in a shape its schema refuses: ${checked.error.message}`,
        );
    }
    const result: FactResult =
      options.source === undefined ? { status: 'ok', value } : { status: 'ok', value, source: options.source };
    this.target(key, options.subject, false).set(key, result);
  }

  /** Without a subject, a per-subject fact is unavailable for every subject. */
  setUnavailable(key: FactKey, reason: string, subject?: Subject): void {
    this.target(key, subject, true).set(key, { status: 'unavailable', reason });
  }

  /** A subject the run judges, facts or not (a gMSA named on the command line). */
  addSubject(subject: Subject): void {
    this.entry(subject);
  }

  /** Something was recorded for the key: for the run, or for at least one subject. */
  has(key: FactKey): boolean {
    return this.run.has(key) || [...this.bySubject.values()].some((e) => e.facts.has(key));
  }

  /** Nothing says the fact is unavailable for everyone (a probe that needs it may run). */
  available(key: FactKey): boolean {
    return this.run.get(key)?.status !== 'unavailable' && (subjectKindOf(key) !== undefined || this.run.has(key));
  }

  /** A per-subject fact's result for that subject, falling back to what was recorded for every subject. */
  resultFor(key: FactKey, subject?: Subject): FactResult | undefined {
    const own =
      subject && subjectKindOf(key) === subject.kind ? this.bySubject.get(keyOf(subject))?.facts.get(key) : undefined;
    return own ?? this.run.get(key);
  }

  subjects(kind: SubjectKind): Subject[] {
    return [...this.bySubject.values()].filter((e) => e.subject.kind === kind).map((e) => e.subject);
  }

  values<K extends FactKey>(key: K): { subject: Subject; value: FactValue<K> }[] {
    return [...this.bySubject.values()].flatMap(({ subject, facts }) => {
      const r = facts.get(key);
      return r?.status === 'ok' ? [{ subject, value: r.value as FactValue<K> }] : [];
    });
  }

  snapshot(): FactsSnapshot {
    const subjects: FactsSnapshot['subjects'] = {};
    for (const { subject, facts } of this.bySubject.values()) {
      (subjects[subject.kind] ??= {})[subject.id] = Object.fromEntries(facts);
    }
    return { facts: Object.fromEntries(this.run), subjects };
  }

  /** Everything, for probes and for code that gathers facts; checks get a reader limited to their declarations. */
  reader(subject?: Subject): FactReader {
    return new StoreReader(this, subject);
  }

  // The store reads like a reader of the run's facts, for the commands and tests that hold one.
  result<K extends FactKey>(key: K): FactResult<FactValue<K>> | undefined {
    return this.reader().result(key);
  }

  get<K extends FactKey>(key: K): FactValue<K> {
    return this.reader().get(key);
  }

  optional<K extends FactKey>(key: K): FactValue<K> | undefined {
    return this.reader().optional(key);
  }

  each<K extends FactKey>(key: K): { subject: Subject; value: FactValue<K> }[] {
    return this.values(key);
  }
}

/**
 * Reads the store for one run of one check (or a probe): per-subject facts for the subject being judged, the run's
 * facts as they are, and, when `allowed` is given, nothing the check did not declare.
 */
export class StoreReader implements FactReader {
  constructor(
    private readonly store: FactStore,
    readonly subject?: Subject,
    private readonly allowed?: { check: string; keys: ReadonlySet<FactKey> },
  ) {}

  private allow(key: FactKey): void {
    if (this.allowed && !this.allowed.keys.has(key)) throw new UndeclaredFactError(this.allowed.check, key);
  }

  result<T extends FactKey>(key: T): FactResult<FactValue<T>> | undefined {
    this.allow(key);
    const kind = subjectKindOf(key);
    if (kind && (!this.subject || this.subject.kind !== kind)) {
      throw new Error(
        `${key} is a fact about each ${SUBJECT_KINDS[kind].title}: read it with each()${this.subject ? ` (this reader judges ${subjectText(this.subject)})` : ''}`,
      );
    }
    return this.store.resultFor(key, this.subject) as FactResult<FactValue<T>> | undefined;
  }

  get<T extends FactKey>(key: T): FactValue<T> {
    const r = this.result(key);
    if (!r) throw new MissingFactError(key, 'not gathered');
    if (r.status === 'unavailable') throw new MissingFactError(key, r.reason);
    return r.value;
  }

  optional<T extends FactKey>(key: T): FactValue<T> | undefined {
    const r = this.result(key);
    return r?.status === 'ok' ? r.value : undefined;
  }

  each<T extends FactKey>(key: T): { subject: Subject; value: FactValue<T> }[] {
    this.allow(key);
    if (!subjectKindOf(key)) throw new Error(`${key} is a fact about the run: read it with get()`);
    return this.store.values(key);
  }
}
