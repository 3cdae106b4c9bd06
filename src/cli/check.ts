import type { Command } from 'commander';
import { planEvents } from '../checks/events.js';
import { planHost } from '../checks/host.js';
import { planNetwork } from '../checks/network.js';
import type { Check } from '../engine/check.js';
import type { Finding } from '../engine/finding.js';
import type { CheckOptions, Planner } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { run } from '../engine/runner.js';
import type { RunOptions } from '../engine/runner.js';
import type { FactStore } from '../engine/facts.js';
import { discoverHost, currentEnvironment } from '../probes/discovery.js';
import { planCredspec } from '../probes/credspec-files.js';
import { planActiveDirectory } from '../probes/ldap-plan.js';
import { PER_ACCOUNT_CHECKS } from '../checks/password-access.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { Report } from '../report/model.js';
import { addBindOptions, addDomainOptions, bareAccountName, checkOptions, ldapOptionsOf, repeatable } from './options.js';
import type { BindFlags, DomainFlags } from './options.js';
import { emit, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';
import { terminalProgress } from './progress.js';

/** Each check family plans its probes and checks from the options. One line per family. */
export const PLANNERS: Planner[] = [planHost, planCredspec, planEvents, planActiveDirectory, planNetwork];

interface CheckFlags extends OutputOptions, DomainFlags, BindFlags {
  gmsa?: string;
  host?: string;
  credspec: string[];
  clientName: string[];
  inspect: string[];
  events: string[];
  container: string[];
}

export async function toCheckOptions(flags: CheckFlags): Promise<CheckOptions> {
  return {
    ...checkOptions(flags, await ldapOptionsOf(flags)),
    gmsa: bareAccountName(flags.gmsa),
    host: bareAccountName(flags.host),
    credspec: flags.credspec,
    clientNames: flags.clientName,
    inspect: flags.inspect,
    events: flags.events,
    containers: flags.container,
  };
}

export async function runCheck(
  options: CheckOptions,
  planners: readonly Planner[] = PLANNERS,
  known?: FactStore,
  onProbe: RunOptions['onProbe'] = terminalProgress(),
): Promise<Report> {
  const checks: Check[] = [];
  const probes: Probe[] = [];
  for (const plan of planners.map((p) => p(options))) {
    checks.push(...plan.checks);
    probes.push(...plan.probes);
  }
  if (checks.length === 0) {
    throw new UsageError(
      'nothing to check here: this is not a Windows container host, and no input was given. Name what to judge: --domain or --dc (with --gmsa and --host for the AD checks), --credspec FILE, --inspect FILE or --events FILE.',
    );
  }
  const result = await run({ checks, probes, timeoutMs: options.timeoutMs, onProbe, ...(known ? { facts: known } : {}) });
  return {
    command: 'check',
    findings: result.findings,
    inputErrors: [],
    durationMs: result.durationMs,
    vantagePoint: 'this machine',
    mostLikelyCause: mostLikelyCause(result.findings),
    probes: result.probes,
  };
}

/**
 * The other gMSAs the host's containers use, each judged like the first: the account itself and whether the host
 * may retrieve its password (the connection and the credential specs were judged once already).
 */
export async function judgeOtherGmsas(options: CheckOptions, gmsas: readonly string[]): Promise<Finding[]> {
  const perAccount = new Set(PER_ACCOUNT_CHECKS.map((c) => c.meta.id));
  // The runs overlap (each waits at most one deadline), so they share one progress line.
  const progress = terminalProgress();
  const runs = await Promise.all(gmsas.map((gmsa) => runCheck({ ...options, gmsa, credspec: [] }, [planActiveDirectory], undefined, progress)));
  return runs.flatMap((r) => r.findings.filter((f) => perAccount.has(f.id)));
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('run every check that applies: host, credential spec, network, AD account, containers, events')
    .option('--gmsa <name>', 'gMSA SAM account name, with or without the trailing $')
    .option('--host <computer>', 'container host computer account to judge (its right to the gMSA password)')
    .option('--credspec <file>', 'credential spec file (repeatable)', repeatable, [])
    .option('--client-name <name>', 'a name clients use to reach the app, e.g. a load balancer (repeatable)', repeatable, [])
    .option('--inspect <file>', 'saved `docker inspect` (or `docker info`) output to judge (repeatable)', repeatable, [])
    .option('--events <file>', 'exported CCG event log: .evtx, XML or JSON (repeatable)', repeatable, [])
    .option('--container <id>', 'only this container (repeatable)', repeatable, []);
  addDomainOptions(command);
  addBindOptions(command);
  withOutputOptions(command, ['text', 'json', 'html']).action(async (flags: CheckFlags) => {
    // On a Windows host: Docker, credential specs, containers, domain and gMSAs in use fill in the options.
    const discovered = await discoverHost(await toCheckOptions(flags), currentEnvironment());
    const report = await runCheck(discovered.options, PLANNERS, discovered.facts);
    if (discovered.otherGmsas.length > 0) {
      report.findings.push(...(await judgeOtherGmsas(discovered.options, discovered.otherGmsas)));
      report.mostLikelyCause = mostLikelyCause(report.findings);
    }
    await emit(report, flags);
  });
}
