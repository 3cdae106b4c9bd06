import type { Command } from 'commander';
import type { CheckOptions } from '../engine/options.js';
import { run } from '../engine/runner.js';
import type { RunOptions } from '../engine/runner.js';
import { discoverHost } from '../plan/discovery.js';
import { currentEnvironment } from '../plan/environment.js';
import type { HostEnvironment } from '../plan/environment.js';
import { inputErrorsOf } from './input-errors.js';
import { idleNotChecked, planRun } from '../plan/plan.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { Report } from '../report/model.js';
import { accountNameOf, addBindOptions, addDomainOptions, checkOptions, ldapOptionsOf, repeatable } from './options.js';
import type { BindFlags, DomainFlags } from './options.js';
import { withExamples } from './help.js';
import { emit, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';
import { terminalProgress } from './progress.js';
import { scopeOf } from './scope.js';

interface CheckFlags extends OutputOptions, DomainFlags, BindFlags {
  gmsa: string[];
  host?: string;
  credspec: string[];
  clientName: string[];
  inspect: string[];
  events: string[];
  container: string[];
}

export async function toCheckOptions(flags: CheckFlags): Promise<CheckOptions> {
  const gmsas = flags.gmsa.map((g) => accountNameOf('--gmsa', g, flags.domain));
  const host = flags.host === undefined ? undefined : accountNameOf('--host', flags.host, flags.domain, true);
  return {
    ...checkOptions(flags, await ldapOptionsOf(flags)),
    gmsas,
    host,
    credspec: flags.credspec,
    clientNames: flags.clientName,
    inspect: flags.inspect,
    events: flags.events,
    containers: flags.container,
  };
}

export const NOTHING_TO_CHECK =
  'nothing to check here: this is not a Windows container host, and no input was given. Name what to judge: --domain or --dc (with --gmsa and --host for the AD checks), --credspec FILE, --inspect FILE or --events FILE.';

/** --gmsa and --host are read from AD: without a domain to ask (given or this host's), say what to pass. */
export function requireDomain(given: CheckOptions, discovered: CheckOptions): void {
  if (discovered.domain || discovered.dc) return;
  const named = [...given.gmsas.map((g) => `--gmsa ${g}`), ...(given.host ? [`--host ${given.host}`] : [])];
  if (named.length > 0)
    throw new UsageError(
      `${named.join(' ')}: read from Active Directory, which needs its domain: pass --domain DOMAIN (its DCs found through DNS) or --dc HOST`,
    );
}

/**
 * Everything that applies where the tool runs, in one run: discovery on a container host (every gMSA its containers
 * use becomes a subject), then the probes and checks the plan allows, and what it could not check, and why.
 */
export async function checkReport(
  options: CheckOptions,
  env: HostEnvironment = currentEnvironment(),
  onProbe: RunOptions['onProbe'] = terminalProgress(),
): Promise<Report> {
  const discovered = await discoverHost(options, env);
  requireDomain(options, discovered.options);
  const plan = planRun(discovered.options, env, discovered.facts);
  if (plan.checks.length === 0) throw new UsageError(NOTHING_TO_CHECK);
  const result = await run({ ...plan, facts: discovered.facts, timeoutMs: discovered.options.timeoutMs, onProbe });
  return {
    command: 'check',
    scope: scopeOf(result.facts, discovered.options),
    findings: result.findings,
    inputErrors: inputErrorsOf(result.facts),
    durationMs: result.durationMs,
    vantagePoint: 'this machine',
    mostLikelyCause: mostLikelyCause(result.findings),
    notChecked: [...plan.notChecked, ...idleNotChecked(result.idle)],
    probes: result.probes,
  };
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('run every check that applies: host, credential spec, network, AD account, containers, events')
    .option('--gmsa <name>', 'gMSA SAM account name, with or without the trailing $ (repeatable)', repeatable, [])
    .option('--host <computer>', 'container host computer account to judge (its right to the gMSA password)')
    .option('--credspec <file>', 'credential spec file (repeatable)', repeatable, [])
    .option(
      '--client-name <name>',
      'a name clients use to reach the app, e.g. a load balancer (repeatable)',
      repeatable,
      [],
    )
    .option(
      '--inspect <file>',
      'saved `docker inspect` (or `docker info`) output to judge (repeatable)',
      repeatable,
      [],
    )
    .option(
      '--events <file>',
      'event log: .evtx, XML or JSON export, or events as text (Event Viewer, Format-List, Security 4625); - for standard input (repeatable)',
      repeatable,
      [],
    )
    .option('--container <id>', 'only this container (repeatable)', repeatable, []);
  addDomainOptions(command);
  addBindOptions(command);
  withOutputOptions(command, ['text', 'json', 'html']);
  withExamples(command, [
    {
      does: 'on a Windows container host: everything it finds (Docker, its containers, their gMSAs)',
      run: 'gmsa-doctor check',
    },
    {
      does: "from any machine: the gMSA in AD, the DCs, and a host's right to the password",
      run: 'gmsa-doctor check --domain contoso.com --gmsa webapp01 --host containerhost02 --user admin@contoso.com',
    },
    {
      does: 'files saved on the host, as an HTML report',
      run: 'gmsa-doctor check --inspect inspect.json --events ccg.evtx --credspec webapp01.json --format html -o report.html',
    },
  ]).action(async (flags: CheckFlags) => {
    await emit(await checkReport(await toCheckOptions(flags)), flags);
  });
}
