import { hostname } from 'node:os';
import type { Command } from 'commander';
import { declaredFacts } from '../engine/check.js';
import { printableText } from '../engine/printable.js';
import { FactStore } from '../engine/facts.js';
import type { FactKey, FactResults, FactsSnapshot } from '../engine/facts.js';
import type { CheckOptions } from '../engine/options.js';
import { redact } from '../engine/redact.js';
import { gather, NOT_GATHERED } from '../engine/runner.js';
import { factsFile } from '../facts/file.js';
import type { FactsFile } from '../facts/file.js';
import { discoverHost } from '../plan/discovery.js';
import { currentEnvironment } from '../plan/environment.js';
import type { HostEnvironment } from '../plan/environment.js';
import { inputErrorsOf } from './input-errors.js';
import { planRun } from '../plan/plan.js';
import { eventLogProbe } from '../probes/eventlog.js';
import { EXIT_USAGE } from '../report/model.js';
import { inputErrorText } from '../report/text.js';
import { TOOL_NAME, TOOL_VERSION } from '../tool-info.js';
import { NOTHING_TO_CHECK, requireDomain, toCheckOptions } from './check.js';
import { addBindOptions, addDomainOptions, repeatable } from './options.js';
import type { BindFlags, DomainFlags } from './options.js';
import { outputFileOf, withExamples, withOutputFile } from './help.js';
import { UsageError, writeOutput } from './output.js';
import { terminalProgress } from './progress.js';

/** What the runner records for a fact no probe of the run provides carries no information: it is not saved. */
function gathered(snapshot: FactsSnapshot): FactsSnapshot {
  const keep = (results: FactResults): FactResults =>
    Object.fromEntries(
      Object.entries(results).filter(([, r]) => !(r.status === 'unavailable' && r.reason === NOT_GATHERED)),
    );
  const subjects = Object.fromEntries(
    Object.entries(snapshot.subjects).map(([kind, byId]) => [
      kind,
      Object.fromEntries(Object.entries(byId).map(([id, facts]) => [id, keep(facts)])),
    ]),
  );
  return { facts: keep(snapshot.facts), subjects };
}

/**
 * Gathers every fact `check` would judge here (every gMSA the containers use, each its own subject), plus the CCG
 * log read live on a Windows host, as a facts file with secrets redacted.
 */
export async function collectFacts(
  given: CheckOptions,
  env: HostEnvironment,
  onProbe = terminalProgress(),
): Promise<FactsFile> {
  const { options, facts } = await discoverHost(given, env);
  requireDomain(given, options);
  const plan = planRun(options, env, facts);
  if (plan.checks.length === 0 && !env.windows) throw new UsageError(NOTHING_TO_CHECK);
  const keys: FactKey[] = plan.checks.flatMap((check) => [...declaredFacts(check)]);
  const probes = [...plan.probes];
  if (env.windows && options.events.length === 0) {
    probes.push(eventLogProbe({ files: [], live: true, runner: env.runner }));
    keys.push('events.log');
  }
  await gather(keys, { probes, facts, subjects: plan.subjects, timeoutMs: options.timeoutMs, onProbe });
  return factsFile(redact(gathered(facts.snapshot())), {
    collectedAt: new Date().toISOString(),
    host: facts.optional('host.windows')?.computerName ?? hostname(),
    options: {
      domain: options.domain,
      dc: options.dc,
      gmsas: options.gmsas,
      host: options.host,
      containers: options.containers,
    },
  });
}

interface CollectFlags extends DomainFlags, BindFlags {
  output?: string;
  out?: string;
  gmsa: string[];
  host?: string;
  credspec: string[];
  inspect: string[];
  events: string[];
  container: string[];
}

/** How many facts were gathered (status ok), of all those recorded, run-level and per subject. */
function counted(file: FactsFile): { ok: number; all: number } {
  const results = [
    ...Object.values(file.facts),
    ...Object.values(file.subjects).flatMap((byId) => Object.values(byId).flatMap((f) => Object.values(f))),
  ];
  return { ok: results.filter((r) => r.status === 'ok').length, all: results.length };
}

function collectSummary(file: FactsFile): string {
  const { ok, all } = counted(file);
  return `${TOOL_NAME} ${TOOL_VERSION}: ${ok} of ${all} facts gathered on ${file.host ?? 'this host'}`;
}

/**
 * `collect -o -`, as a node-check Job's pod prints it (its log is the result): the summary on standard error,
 * the facts file on standard output as one line, so that a line-based container log cannot put standard error's
 * lines inside it.
 */
export function factsOnStandardOutput(file: FactsFile): { stderr: string; stdout: string } {
  return { stderr: `${collectSummary(file)}, written to standard output\n`, stdout: JSON.stringify(file) + '\n' };
}

export function registerCollect(program: Command): void {
  const command = program
    .command('collect')
    .description(
      'save every fact about this container host (secrets redacted, CCG log included) for `gmsa-doctor analyze` elsewhere',
    )
    .option('--gmsa <name>', 'gMSA SAM account name (default: those the containers use; repeatable)', repeatable, [])
    .option('--host <computer>', 'computer account to judge (default: this host)')
    .option('--credspec <file>', 'extra credential spec file (repeatable)', repeatable, [])
    .option('--inspect <file>', 'saved `docker inspect` output instead of asking Docker (repeatable)', repeatable, [])
    .option('--events <file>', 'exported CCG event log instead of the live one (repeatable)', repeatable, [])
    .option('--container <id>', 'only this container (repeatable)', repeatable, []);
  withOutputFile(command, 'where to write the facts (JSON), required; `-`: standard output, on one line');
  addDomainOptions(command, '10');
  addBindOptions(command);
  withExamples(command, [
    {
      does: 'on the container host: every fact, for every gMSA its containers use',
      run: 'gmsa-doctor collect -o host.json',
    },
    {
      does: 'one gMSA, its AD facts read with the logged-on identity',
      run: 'gmsa-doctor collect -o host.json --gmsa webapp01 --kerberos',
    },
    { does: 'then, on any machine', run: 'gmsa-doctor analyze host.json' },
  ]).action(async (flags: CollectFlags) => {
    const file = outputFileOf(flags);
    if (!file) throw new UsageError('collect needs -o FILE: where to write the facts (then: gmsa-doctor analyze FILE)');
    const options = await toCheckOptions({ ...flags, clientName: [], format: 'json', color: false });
    const saved = await collectFacts(options, currentEnvironment());
    const { ok, all } = counted(saved);
    if (ok === 0)
      throw new UsageError(
        `nothing gathered (${all} facts, none available here), ${file} not written. ${NOTHING_TO_CHECK}`,
      );
    if (file === '-') {
      const { stderr, stdout } = factsOnStandardOutput(saved);
      process.stderr.write(stderr);
      process.stdout.write(stdout);
    } else {
      writeOutput(JSON.stringify(saved, null, 2) + '\n', file);
      process.stderr.write(`${collectSummary(saved)}, saved to ${file}\n`);
    }
    // The facts are saved; what could not be read is said as `check` says it, with exit code 2.
    const problems = inputErrorsOf(new FactStore(saved));
    for (const p of problems) process.stderr.write(`${TOOL_NAME}: ${printableText(inputErrorText(p))}\n`);
    if (problems.length > 0) process.exitCode = EXIT_USAGE;
  });
}
