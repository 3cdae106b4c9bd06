import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { defineCheck } from '../engine/check.js';
import type { Check } from '../engine/check.js';
import type { CheckOptions, Planner } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { redact } from '../engine/redact.js';
import { run } from '../engine/runner.js';
import type { HostEnvironment } from '../probes/discovery.js';
import { currentEnvironment, discoverHost, gather } from '../probes/discovery.js';
import { planActiveDirectory } from '../probes/ldap-plan.js';
import { PER_ACCOUNT_CHECKS } from '../checks/password-access.js';
import { FactStore } from '../engine/facts.js';
import type { FactResults as FactSnapshot } from '../engine/facts.js';
import { eventLogProbe } from '../probes/eventlog.js';
import { TOOL_NAME, TOOL_VERSION } from '../report/tool-info.js';
import type { FactsFile } from './analyze.js';
import { FACTS_FILE_FORMAT, FACTS_FILE_VERSION, gathered } from './analyze.js';
import { PLANNERS, toCheckOptions } from './check.js';
import { addBindOptions, addDomainOptions, repeatable } from './options.js';
import type { BindFlags, DomainFlags } from './options.js';
import { UsageError } from './output.js';
import { terminalProgress } from './progress.js';

/** Keeps the CCG log (and the related System events) among the facts, read live on a Windows host. */
const ccgLogCollector: Check = defineCheck({
  meta: { id: 'collect/ccg-log', title: 'CCG log', section: 'events', looksAt: '', why: '', remediation: '' },
  needs: [],
  uses: ['events.log'],
  run: () => [],
});

/** Gathers every fact `check` would judge here, plus the CCG log, and returns them as a facts file (secrets redacted). */
export async function collectFacts(given: CheckOptions, env: HostEnvironment, planners: readonly Planner[] = PLANNERS): Promise<FactsFile> {
  const { options, facts, otherGmsas } = await discoverHost(given, env);
  const checks: Check[] = [];
  const probes: Probe[] = [];
  for (const plan of planners.map((p) => p(options))) {
    checks.push(...plan.checks);
    probes.push(...plan.probes);
  }
  if (env.windows && options.events.length === 0) {
    probes.push(eventLogProbe({ files: [], live: true, runner: env.runner }));
    checks.push(ccgLogCollector);
  }
  const result = await run({ checks, probes, facts, timeoutMs: options.timeoutMs, onProbe: terminalProgress() });
  const host = result.facts.optional('host.windows')?.computerName ?? hostname();
  return {
    format: FACTS_FILE_FORMAT,
    version: FACTS_FILE_VERSION,
    collectedAt: new Date().toISOString(),
    host,
    options: { domain: options.domain, dc: options.dc, gmsa: options.gmsa, host: options.host, containers: options.containers },
    facts: redact(gathered(result.facts.snapshot().facts)),
    ...(otherGmsas.length > 0 ? { accounts: await collectOtherGmsas(options, otherGmsas) } : {}),
  };
}

/** The AD facts of each further gMSA the containers use, for `analyze` to judge like `check` does. */
export async function collectOtherGmsas(options: CheckOptions, gmsas: readonly string[]): Promise<Record<string, FactSnapshot>> {
  const keys = [...new Set(PER_ACCOUNT_CHECKS.flatMap((c) => [...c.needs, ...(c.uses ?? [])]))];
  const snapshots = await Promise.all(
    gmsas.map(async (gmsa) => {
      const store = new FactStore();
      await gather(keys, planActiveDirectory({ ...options, gmsa, credspec: [] }).probes, store, options.timeoutMs);
      return [gmsa, redact(gathered(store.snapshot().facts))] as const;
    }),
  );
  return Object.fromEntries(snapshots);
}

interface CollectFlags extends DomainFlags, BindFlags {
  out: string;
  gmsa?: string;
  host?: string;
  credspec: string[];
  inspect: string[];
  events: string[];
  container: string[];
}

export function registerCollect(program: Command): void {
  const command = program
    .command('collect')
    .description('save every fact about this container host (secrets redacted, CCG log included) for `gmsa-doctor analyze` elsewhere')
    .requiredOption('--out <file>', 'where to write the facts (JSON)')
    .option('--gmsa <name>', 'gMSA SAM account name (default: the one the containers use)')
    .option('--host <computer>', 'computer account to judge (default: this host)')
    .option('--credspec <file>', 'extra credential spec file (repeatable)', repeatable, [])
    .option('--inspect <file>', 'saved `docker inspect` output instead of asking Docker (repeatable)', repeatable, [])
    .option('--events <file>', 'exported CCG event log instead of the live one (repeatable)', repeatable, [])
    .option('--container <id>', 'only this container (repeatable)', repeatable, []);
  addDomainOptions(command, '10');
  addBindOptions(command)
    .action(async (flags: CollectFlags) => {
      const options = await toCheckOptions({ ...flags, clientName: [], format: 'json', color: false });
      const saved = await collectFacts(options, currentEnvironment());
      const gathered = Object.values(saved.facts).filter((r) => r.status === 'ok').length;
      try {
        writeFileSync(flags.out, JSON.stringify(saved, null, 2) + '\n');
      } catch (error) {
        throw new UsageError(`--out ${flags.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      process.stderr.write(`${TOOL_NAME} ${TOOL_VERSION}: ${gathered} of ${Object.keys(saved.facts).length} facts gathered on ${saved.host ?? 'this host'}, saved to ${flags.out}\n`);
    });
}
