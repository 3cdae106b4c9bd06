import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { ALL_CHECKS } from '../checks/index.js';
import { PER_ACCOUNT_CHECKS } from '../checks/password-access.js';
import type { Check } from '../engine/check.js';
import { FactStore } from '../engine/facts.js';
import type { FactResults as FactSnapshot } from '../engine/facts.js';
import { run } from '../engine/runner.js';
import { factSchema, isFactKey } from '../facts/index.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { Report } from '../report/model.js';
import { emit, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';

/** What `collect` writes and `analyze` reads. Bump FACTS_FILE_VERSION on any incompatible change. */
export const FACTS_FILE_FORMAT = 'gmsa-doctor-facts';
export const FACTS_FILE_VERSION = 1;

const factResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), value: z.unknown(), source: z.string().optional() }),
  z.object({ status: z.literal('unavailable'), reason: z.string() }),
]);

const factsFileSchema = z.object({
  format: z.literal(FACTS_FILE_FORMAT),
  version: z.literal(FACTS_FILE_VERSION),
  collectedAt: z.string().optional(),
  host: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  facts: z.record(z.string(), factResult),
  /** The AD facts of each further gMSA the host's containers use, by gMSA name. */
  accounts: z.record(z.string(), z.record(z.string(), factResult)).optional(),
});

export type FactsFile = z.infer<typeof factsFileSchema>;

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
}

function subPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  const rest = fieldPath(path);
  return rest.startsWith('[') ? rest : `.${rest}`;
}

/** What the runner records for a fact no probe of the run provides: no information, so not worth keeping. */
export const NOT_GATHERED = 'not gathered in this run';

export function gathered(snapshot: FactSnapshot): FactSnapshot {
  return Object.fromEntries(Object.entries(snapshot).filter(([, r]) => !(r.status === 'unavailable' && r.reason === NOT_GATHERED)));
}

/** Parses and validates a facts file; the error names the file, the field and the reason. */
export function parseFactsFile(text: string, file: string): FactsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
  }
  const top = factsFileSchema.safeParse(json);
  if (!top.success) {
    const issue = top.error.issues[0];
    throw new UsageError(`${file}: field ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'} (is this a file written by gmsa-doctor collect?)`);
  }
  const snapshots: Array<[string, FactSnapshot]> = [
    ['facts', top.data.facts],
    ...Object.entries(top.data.accounts ?? {}).map(([gmsa, snapshot]): [string, FactSnapshot] => [`accounts.${gmsa}`, snapshot]),
  ];
  for (const [where, snapshot] of snapshots) {
    for (const [key, result] of Object.entries(snapshot)) {
      if (!isFactKey(key) || result.status !== 'ok') continue;
      const checked = factSchema(key).safeParse(result.value);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new UsageError(`${file}: field ${where}.${key}.value${subPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`);
      }
      snapshot[key] = { ...result, value: checked.data };
    }
  }
  return top.data;
}

/** A check applies to saved facts when every fact it needs (or, needing none, one it uses) was gathered at all. */
function applies(check: Check, snapshot: FactSnapshot): boolean {
  if (check.needs.length > 0) return check.needs.every((key) => key in snapshot);
  return (check.uses ?? []).some((key) => key in snapshot);
}

/** Judges saved facts with the same checks as `check`, without any I/O; each further gMSA's account too. */
export async function analyzeFacts(saved: FactSnapshot, checks: readonly Check[] = ALL_CHECKS, accounts: Record<string, FactSnapshot> = {}): Promise<Report> {
  const started = performance.now();
  const judge = async (snapshot: FactSnapshot, selected: readonly Check[]) => {
    const facts = gathered(snapshot);
    return (await run({ checks: selected.filter((c) => applies(c, facts)), probes: [], facts: new FactStore({ facts, subjects: {} }) })).findings;
  };
  const findings = await judge(saved, checks);
  for (const account of Object.values(accounts)) findings.push(...(await judge({ ...saved, ...account }, PER_ACCOUNT_CHECKS)));
  return {
    command: 'analyze',
    findings,
    inputErrors: [],
    durationMs: performance.now() - started,
    vantagePoint: 'the container host whose facts were collected',
    mostLikelyCause: mostLikelyCause(findings),
  };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function registerAnalyze(program: Command): void {
  const command = program
    .command('analyze')
    .description('judge facts saved by `gmsa-doctor collect` on a container host, anywhere, with the same checks')
    .argument('<file>', 'facts file written by collect --out');
  withOutputOptions(command, ['text', 'json', 'html']).action(async (file: string, flags: OutputOptions) => {
    const saved = parseFactsFile(readText(file), file);
    const report = await analyzeFacts(saved.facts, ALL_CHECKS, saved.accounts);
    if (saved.host) report.vantagePoint = `${saved.host} (facts collected ${saved.collectedAt ?? 'earlier'})`;
    await emit(report, flags);
  });
}
