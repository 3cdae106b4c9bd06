/**
 * The facts file `collect` writes and `analyze` reads: every fact of a run, about the run and per subject, each
 * validated against its schema on reading. A bad value costs that fact only (it becomes unavailable, the problem is
 * reported with its field), so the rest of the file is still judged. Version 1 files (one gMSA's facts at the top
 * level, the others under `accounts`, containers as one list) are read into the same shape.
 */
import { z } from 'zod';
import { factSchema, isFactKey, subjectKindOf } from './index.js';
import type { FactKey } from './index.js';
import { containerInspect } from './docker.js';
import { gmsaSubject, isSubjectKind, SUBJECT_KINDS } from './subjects.js';
import type { SubjectKind } from './subjects.js';

export type FactResult<T = unknown> =
  { status: 'ok'; value: T; source?: string } | { status: 'unavailable'; reason: string };
export type FactResults = Partial<Record<FactKey, FactResult>>;

/** Facts about the run, and by subject kind and id. A per-subject fact under `facts` is unavailable for every subject. */
export interface FactsSnapshot {
  facts: FactResults;
  subjects: Partial<Record<SubjectKind, Record<string, FactResults>>>;
}

export const FACTS_FILE_FORMAT = 'gmsa-doctor-facts';
/** Bump on any change a reader of the previous version would misread; keep a reader for the old shape. */
export const FACTS_FILE_VERSION = 2;

export interface FactsFileMeta {
  collectedAt?: string;
  /** The host the facts were collected on. */
  host?: string;
  options?: Record<string, unknown>;
}

export interface FactsFile extends FactsFileMeta, FactsSnapshot {
  format: typeof FACTS_FILE_FORMAT;
  version: typeof FACTS_FILE_VERSION;
}

/** A field of the file that could not be read; the fact it belongs to is left out (unavailable). */
export interface FactsFileProblem {
  field: string;
  reason: string;
}

/** The file cannot be read at all: not JSON, not a facts file, a version this release does not know. */
export class FactsFileError extends Error {}

const envelope = z.object({
  format: z.literal(FACTS_FILE_FORMAT, {
    error: `not "${FACTS_FILE_FORMAT}" (is this a file written by gmsa-doctor collect?)`,
  }),
  version: z.union([z.literal(1), z.literal(2)], {
    error: `not a version this gmsa-doctor reads (1 or ${FACTS_FILE_VERSION})`,
  }),
  collectedAt: z.string().optional(),
  host: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  facts: z.record(z.string(), z.unknown()),
  subjects: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
  accounts: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

const resultShape = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), value: z.unknown(), source: z.string().optional() }),
  z.object({ status: z.literal('unavailable'), reason: z.string() }),
]);

/** `a.b[0].c` for a zod issue path. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

class Reader {
  readonly snapshot: FactsSnapshot = { facts: {}, subjects: {} };
  readonly problems: FactsFileProblem[] = [];

  problem(field: string, reason: string): void {
    this.problems.push({ field, reason });
  }

  /** The result's shape, or a problem; the value is validated by `accept`. */
  result(raw: unknown, field: string): FactResult | undefined {
    const shaped = resultShape.safeParse(raw);
    if (shaped.success) return shaped.data;
    const issue = shaped.error.issues[0];
    this.problem(`${field}${pathText(issue?.path ?? [])}`, issue?.message ?? 'invalid');
    return undefined;
  }

  /** Validates one result against its key's schema and stores it (for the run, or for one subject). */
  accept(
    key: FactKey,
    result: FactResult,
    field: string,
    subject?: { kind: SubjectKind; id: string },
    schema = factSchema(key),
  ): void {
    let stored = result;
    if (result.status === 'ok') {
      const checked = schema.safeParse(result.value);
      if (checked.success) stored = { ...result, value: checked.data };
      else {
        const issue = checked.error.issues[0];
        const where = `${field}.value${pathText(issue?.path ?? [])}`;
        this.problem(where, issue?.message ?? 'invalid');
        stored = {
          status: 'unavailable',
          reason: `the saved value is malformed (${where}: ${issue?.message ?? 'invalid'})`,
        };
      }
    }
    if (!subject) this.snapshot.facts[key] = stored;
    else ((this.snapshot.subjects[subject.kind] ??= {})[subject.id] ??= {})[key] = stored;
  }

  key(key: string, field: string): FactKey | undefined {
    if (isFactKey(key)) return key;
    this.problem(field, 'not a fact this gmsa-doctor knows (a file from a newer version?)');
    return undefined;
  }
}

function readV2(reader: Reader, file: z.infer<typeof envelope>): void {
  for (const [name, raw] of Object.entries(file.facts)) {
    const field = `facts.${name}`;
    const key = reader.key(name, field);
    const result = key && reader.result(raw, field);
    if (!key || !result) continue;
    const kind = subjectKindOf(key);
    if (kind && result.status === 'ok') {
      reader.problem(field, `a fact about each ${SUBJECT_KINDS[kind].title}: it belongs under subjects.${kind}.<id>`);
      continue;
    }
    reader.accept(key, result, field);
  }
  for (const [kind, byId] of Object.entries(file.subjects ?? {})) {
    if (!isSubjectKind(kind)) {
      reader.problem(`subjects.${kind}`, `not a kind of subject (${Object.keys(SUBJECT_KINDS).join(', ')})`);
      continue;
    }
    for (const [id, facts] of Object.entries(byId)) {
      (reader.snapshot.subjects[kind] ??= {})[id] ??= {};
      for (const [name, raw] of Object.entries(facts)) {
        const field = `subjects.${kind}.${id}.${name}`;
        const key = reader.key(name, field);
        const result = key && reader.result(raw, field);
        if (!key || !result) continue;
        if (subjectKindOf(key) !== kind) reader.problem(field, `not a fact about a ${SUBJECT_KINDS[kind].title}`);
        else reader.accept(key, result, field, { kind, id });
      }
    }
  }
}

const V1_GMSA_KEYS: readonly FactKey[] = ['ad.gmsa', 'ad.similarNames', 'ad.spns', 'ad.sidNames'];

/** Version 1: one gMSA's facts at the top level and the others under `accounts`; containers as one list. */
function readV1(reader: Reader, file: z.infer<typeof envelope>): void {
  // What the other entries depend on, read ahead: the main gMSA's name, the containers that were looked into.
  const raw = (name: string): unknown => (file.facts[name] as { value?: unknown } | undefined)?.value;
  const mainName = (raw('ad.gmsa') as { name?: unknown } | undefined)?.name;
  const mainGmsa = typeof mainName === 'string' ? gmsaSubject(mainName).id : undefined;
  const exec = raw('container.exec');
  const execIds = exec && typeof exec === 'object' ? Object.keys(exec) : [];
  for (const [name, entry] of Object.entries(file.facts)) {
    const field = `facts.${name}`;
    const result = reader.result(entry, field);
    if (!result) continue;
    if (name === 'docker.containers') readV1Containers(reader, result, field, execIds);
    else if (name === 'container.exec') {
      if (result.status !== 'ok' || !result.value || typeof result.value !== 'object')
        reader.accept('container.exec', result, field);
      else
        for (const [id, value] of Object.entries(result.value))
          reader.accept('container.exec', { status: 'ok', value }, `${field}.value.${id}`, { kind: 'container', id });
    } else if ((V1_GMSA_KEYS as readonly string[]).includes(name)) {
      const key = name as FactKey;
      if (mainGmsa) reader.accept(key, result, field, { kind: 'gmsa', id: mainGmsa });
      else if (result.status === 'unavailable') reader.accept(key, result, field);
    } else {
      const key = reader.key(name, field);
      if (key) reader.accept(key, result, field);
    }
  }
  for (const [name, snapshot] of Object.entries(file.accounts ?? {})) {
    const subject = gmsaSubject(name);
    for (const key of V1_GMSA_KEYS) {
      const field = `accounts.${name}.${key}`;
      const result = key in snapshot ? reader.result(snapshot[key], field) : undefined;
      if (result) reader.accept(key, result, field, subject);
    }
  }
}

/** v1's docker.containers: the judged ones (a credential spec, named by the user, or looked into) become subjects. */
function readV1Containers(reader: Reader, result: FactResult, field: string, execIds: readonly string[]): void {
  if (result.status !== 'ok') {
    reader.accept('container.inspect', result, field);
    return;
  }
  const list = z.array(containerInspect).safeParse(result.value);
  if (!list.success) {
    const issue = list.error.issues[0];
    reader.problem(`${field}.value${pathText(issue?.path ?? [])}`, issue?.message ?? 'invalid');
    reader.accept(
      'container.inspect',
      { status: 'unavailable', reason: `the saved value is malformed (${field}.value${pathText(issue?.path ?? [])})` },
      field,
    );
    return;
  }
  const judged = (c: (typeof list.data)[number]): boolean =>
    c.credentialSpecOption !== undefined || c.selected === true || execIds.includes(c.id);
  if (!list.data.some(judged))
    reader.accept('container.inspect', { status: 'unavailable', reason: NO_GMSA_CONTAINER }, field);
  list.data.forEach((c, i) => {
    if (judged(c))
      reader.accept('container.inspect', { status: 'ok', value: c }, `${field}.value[${i}]`, {
        kind: 'container',
        id: c.id,
      });
  });
}

/** What the container facts say when no container uses a credential spec. */
export const NO_GMSA_CONTAINER = 'no running container uses a credential spec';

/** Reads a facts file (version 1 or 2); throws FactsFileError when it is not one at all. */
export function readFactsFile(json: unknown): {
  meta: FactsFileMeta;
  snapshot: FactsSnapshot;
  problems: FactsFileProblem[];
} {
  const top = envelope.safeParse(json);
  if (!top.success) {
    const issue = top.error.issues[0];
    const field = pathText(issue?.path ?? []).replace(/^\./, '') || '(top level)';
    throw new FactsFileError(`field ${field}: ${issue?.message ?? 'invalid'}`);
  }
  const reader = new Reader();
  if (top.data.version === 1) readV1(reader, top.data);
  else readV2(reader, top.data);
  const { collectedAt, host, options } = top.data;
  const meta: FactsFileMeta = {
    ...(collectedAt ? { collectedAt } : {}),
    ...(host ? { host } : {}),
    ...(options ? { options } : {}),
  };
  return { meta, snapshot: reader.snapshot, problems: reader.problems };
}

export function factsFile(snapshot: FactsSnapshot, meta: FactsFileMeta): FactsFile {
  return { format: FACTS_FILE_FORMAT, version: FACTS_FILE_VERSION, ...meta, ...snapshot };
}
