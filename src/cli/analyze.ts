import type { Command } from 'commander';
import { FactStore } from '../engine/facts.js';
import { run } from '../engine/runner.js';
import { FactsFileError, readFactsFile } from '../facts/file.js';
import type { FactsFileMeta } from '../facts/file.js';
import { inputErrorsOf } from './input-errors.js';
import { idleNotChecked, planSaved } from '../plan/plan.js';
import { INPUT_LIMITS, readInputText } from '../probes/input-file.js';
import { NestingLimitError, parseBoundedJson } from '../protocol/json-depth.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { InputError, Report } from '../report/model.js';
import { withExamples } from './help.js';
import { emit, readNamedFile, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';
import { scopeOf } from './scope.js';

export interface SavedFacts {
  facts: FactStore;
  meta: FactsFileMeta;
  /** Fields of the file that could not be read: each costs its fact only, and makes the exit code 2. */
  inputErrors: InputError[];
  /** The file the facts were read from, for messages. */
  file?: string;
}

/** A file that holds pasted evidence (a transcript, an error, docker inspect output) belongs to `explain`. */
async function pasteHint(text: string, file: string): Promise<string> {
  // Loaded only for a file that is not a facts file: judging a facts file never loads the recognisers.
  const { recognise } = await import('../evidence/index.js');
  const kinds = [...new Set(recognise(text.slice(0, 1024 * 1024)).items.map((i) => i.kind))].filter(
    (kind) => kind !== 'command',
  );
  if (kinds.length === 0) return '';
  return `. It holds pasted evidence (${kinds.slice(0, 4).join(', ')}): judge it with \`gmsa-doctor explain ${file}\``;
}

/** Reads a facts file written by `collect` (any version); the errors name the file, the field and the reason. */
export function loadFactsFile(text: string, file: string): SavedFacts {
  let json: unknown;
  try {
    json = parseBoundedJson(text);
  } catch (error) {
    if (error instanceof NestingLimitError) throw new UsageError(`${file}: ${error.message}`);
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
  }
  try {
    const { meta, snapshot, problems } = readFactsFile(json);
    return {
      facts: new FactStore(snapshot),
      meta,
      inputErrors: problems.map((p) => ({ file, field: p.field, reason: p.reason })),
      file,
    };
  } catch (error) {
    if (error instanceof FactsFileError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

/** What collect was asked to judge, as its facts file records it (a file from elsewhere may hold anything). */
function askedOf(options: Record<string, unknown> = {}): { domain?: string; gmsas: string[]; host?: string } {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const domain = text(options.domain);
  const host = text(options.host);
  const gmsas = Array.isArray(options.gmsas) ? options.gmsas.filter((g): g is string => typeof g === 'string') : [];
  return { ...(domain ? { domain } : {}), gmsas, ...(host ? { host } : {}) };
}

/** Judges saved facts with the same checks as `check`, without any I/O: every check whose facts were saved. */
export async function analyzeFacts(saved: Pick<SavedFacts, 'facts'> & Partial<SavedFacts>): Promise<Report> {
  const plan = planSaved(saved.facts);
  // As `check` refuses a run with nothing to judge: a file without a fact any check needs says nothing.
  if (plan.checks.length === 0 && !saved.inputErrors?.length)
    throw new UsageError(
      `${saved.file ?? 'the facts file'}: holds no fact any check judges (collect gathered nothing there): run collect again on the container host, with --domain or --dc, --gmsa and --host, or the files to judge`,
    );
  const result = await run({ checks: plan.checks, facts: saved.facts });
  const host = saved.meta?.host;
  return {
    command: 'analyze',
    scope: scopeOf(saved.facts, askedOf(saved.meta?.options)),
    findings: result.findings,
    inputErrors: [...(saved.inputErrors ?? []), ...inputErrorsOf(result.facts)],
    durationMs: result.durationMs,
    vantagePoint: host
      ? `${host} (facts collected ${saved.meta?.collectedAt ?? 'earlier'})`
      : 'the container host whose facts were collected',
    mostLikelyCause: mostLikelyCause(result.findings),
    notChecked: [...plan.notChecked, ...idleNotChecked(result.idle)],
  };
}

export function registerAnalyze(program: Command): void {
  const command = program
    .command('analyze')
    .description('judge facts saved by `gmsa-doctor collect` on a container host, anywhere, with the same checks')
    .argument('<file>', 'facts file written by collect -o FILE');
  withOutputOptions(command, ['text', 'json', 'html']);
  withExamples(command, [
    { does: 'judge the facts a container host saved', run: 'gmsa-doctor analyze host.json' },
    { does: 'every passing check too', run: 'gmsa-doctor analyze host.json -v' },
    { does: 'as an HTML report', run: 'gmsa-doctor analyze host.json --format html -o report.html' },
  ]).action(async (file: string, flags: OutputOptions) => {
    const text = readNamedFile(() => readInputText(file, INPUT_LIMITS.factsFile));
    let saved: SavedFacts;
    try {
      saved = loadFactsFile(text, file);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`${error.message}${await pasteHint(text, file)}`);
      throw error;
    }
    await emit(await analyzeFacts(saved), flags);
  });
}
