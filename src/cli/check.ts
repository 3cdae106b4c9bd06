import { Option } from 'commander';
import type { Command } from 'commander';
import { planEvents } from '../checks/events.js';
import { planHost } from '../checks/host.js';
import { planNetwork } from '../checks/network.js';
import type { Check } from '../engine/check.js';
import type { CheckOptions, LdapTransport, Planner } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { run } from '../engine/runner.js';
import type { FactStore } from '../engine/facts.js';
import { discoverHost, currentEnvironment } from '../probes/discovery.js';
import { planCredspec } from '../probes/credspec-files.js';
import { planActiveDirectory } from '../probes/ldap-plan.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { Report } from '../report/model.js';
import { resolvePassword } from './credentials.js';
import { emit, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';

/** Each check family plans its probes and checks from the options. One line per family. */
export const PLANNERS: Planner[] = [planHost, planCredspec, planEvents, planActiveDirectory, planNetwork];

interface CheckFlags extends OutputOptions {
  domain?: string;
  dc?: string;
  gmsa?: string;
  host?: string;
  credspec: string[];
  clientName: string[];
  inspect: string[];
  events: string[];
  container: string[];
  dnsServer?: string;
  timeout: string;
  ldap: LdapTransport;
  ca?: string;
  insecureTls?: boolean;
  user?: string;
  passwordFile?: string;
  kerberos?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export async function toCheckOptions(flags: CheckFlags): Promise<CheckOptions> {
  const timeoutMs = Number(flags.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout ${flags.timeout}: not a number of seconds`);
  if (flags.user && flags.kerberos) throw new UsageError('--user and --kerberos are exclusive: pick simple bind or Kerberos');
  return {
    domain: flags.domain,
    dc: flags.dc,
    gmsa: flags.gmsa?.replace(/\$$/, ''),
    host: flags.host?.replace(/\$$/, ''),
    credspec: flags.credspec,
    clientNames: flags.clientName,
    inspect: flags.inspect,
    events: flags.events,
    containers: flags.container,
    dnsServer: flags.dnsServer,
    timeoutMs,
    ldap: {
      transport: flags.ldap,
      caFile: flags.ca,
      insecureTls: flags.insecureTls ?? false,
      user: flags.user,
      password: flags.user ? await resolvePassword(flags.passwordFile) : undefined,
      kerberos: flags.kerberos ?? false,
    },
  };
}

export async function runCheck(options: CheckOptions, planners: readonly Planner[] = PLANNERS, known?: FactStore): Promise<Report> {
  const checks: Check[] = [];
  const probes: Probe[] = [];
  for (const plan of planners.map((p) => p(options))) {
    checks.push(...plan.checks);
    probes.push(...plan.probes);
  }
  const result = await run({ checks, probes, timeoutMs: options.timeoutMs, ...(known ? { facts: known } : {}) });
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

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('run every check that applies: host, credential spec, network, AD account, containers, events')
    .option('--domain <dns-name>', 'the gMSA\'s domain, e.g. contoso.com')
    .option('--dc <host>', 'domain controller to use (default: discovered through DNS)')
    .option('--gmsa <name>', 'gMSA SAM account name, with or without the trailing $')
    .option('--host <computer>', 'container host computer account to judge (its right to the gMSA password)')
    .option('--credspec <file>', 'credential spec file (repeatable)', collect, [])
    .option('--client-name <name>', 'a name clients use to reach the app, e.g. a load balancer (repeatable)', collect, [])
    .option('--inspect <file>', 'saved `docker inspect` (or `docker info`) output to judge (repeatable)', collect, [])
    .option('--events <file>', 'exported CCG event log: .evtx, XML or JSON (repeatable)', collect, [])
    .option('--container <id>', 'only this container (repeatable)', collect, [])
    .option('--dns-server <address>', 'DNS server to ask (default: the system\'s)')
    .option('--timeout <seconds>', 'deadline of each probe', '3')
    .addOption(new Option('--ldap <transport>', 'LDAP transport').choices(['ldaps', 'starttls', 'ldap']).default('ldaps'))
    .option('--ca <file>', 'CA certificates (PEM) to verify the DC\'s LDAPS certificate')
    .option('--insecure-tls', 'do not verify the DC\'s certificate (not recommended)')
    .option('--user <user>', 'simple bind as this user (password from GMSA_DOCTOR_PASSWORD, --password-file or a prompt)')
    .option('--password-file <file>', 'file holding the bind password')
    .option('--kerberos', 'bind with SASL GSSAPI using the current Kerberos ticket (kinit / logged-on user)');
  withOutputOptions(command, ['text', 'json', 'html']).action(async (flags: CheckFlags) => {
    // On a Windows host: Docker, credential specs, containers, domain and gMSAs in use fill in the options.
    const discovered = await discoverHost(await toCheckOptions(flags), currentEnvironment());
    const report = await runCheck(discovered.options, PLANNERS, discovered.facts);
    await emit(report, flags);
  });
}
