import { Option } from 'commander';
import type { Command } from 'commander';
import { bareAccountName as samName } from '../credspec/identity.js';
import type { CheckOptions, LdapTransport } from '../engine/options.js';
import { readCaFile } from './ca.js';
import { resolvePassword } from './credentials.js';
import { UsageError } from './output.js';

/** Command-line options shared by the commands that talk to a domain: check, dc, collect, credspec new. */
export interface DomainFlags {
  domain?: string;
  dc?: string;
  dnsServer?: string;
  timeout: string;
}

export interface TlsFlags {
  ca?: string;
  insecureTls?: boolean;
}

export interface BindFlags extends TlsFlags {
  ldap: LdapTransport;
  user?: string;
  passwordFile?: string;
  kerberos?: boolean;
}

/** For options given several times: `--credspec a.json --credspec b.json`. */
export const repeatable = (value: string, previous: string[]): string[] => [...previous, value];

export function addDomainOptions(command: Command, defaultTimeoutSeconds = '3'): Command {
  return command
    .option('--domain <dns-name>', "the gMSA's domain, e.g. contoso.com (its DCs are found through DNS)")
    .option('--dc <host>', 'domain controller to use, name or address (default: discovered through DNS)')
    .option('--dns-server <address>', "DNS server to ask (default: the system's)")
    .option('--timeout <seconds>', 'deadline of each probe', defaultTimeoutSeconds);
}

export function addTlsOptions(command: Command): Command {
  return command
    .option('--ca <file>', "CA certificates (PEM) to verify the DC's LDAPS certificate")
    .option('--insecure-tls', "do not verify the DC's certificate (not recommended)");
}

export function addBindOptions(command: Command): Command {
  command.addOption(
    new Option('--ldap <transport>', 'LDAP transport').choices(['ldaps', 'starttls', 'ldap']).default('ldaps'),
  );
  return addTlsOptions(command)
    .option(
      '--user <user>',
      'simple bind as this user (password from GMSA_DOCTOR_PASSWORD, --password-file or a prompt)',
    )
    .option('--password-file <file>', 'file holding the bind password')
    .option('--kerberos', 'bind with SASL GSSAPI using the current Kerberos ticket (kinit / logged-on user)');
}

/**
 * A probe's deadline: above an hour nothing is waiting for a DC, and Node's timers end at 2^31 ms anyway; below a
 * tenth of a second not even a DC next door answers, and every probe would fail as if the DC did not.
 */
export const MAX_TIMEOUT_SECONDS = 3600;
export const MIN_TIMEOUT_SECONDS = 0.1;

/** A flag's value as a positive number, or the usage error naming it. */
export function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${value}: not a positive number`);
  return n;
}

export function timeoutMsOf(flags: Pick<DomainFlags, 'timeout'>): number {
  const seconds = Number(flags.timeout);
  if (flags.timeout.trim() === '' || !Number.isFinite(seconds))
    throw new UsageError(`--timeout ${flags.timeout}: not a number of seconds (e.g. --timeout 3)`);
  if (seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS)
    throw new UsageError(
      `--timeout ${flags.timeout}: out of range, give ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} seconds`,
    );
  return Math.round(seconds * 1000);
}

export async function ldapOptionsOf(flags: BindFlags): Promise<CheckOptions['ldap']> {
  if (flags.user && flags.kerberos)
    throw new UsageError('--user and --kerberos are exclusive: pick simple bind or Kerberos');
  return {
    transport: flags.ldap,
    caFile: caFileOf(flags),
    insecureTls: flags.insecureTls ?? false,
    user: flags.user,
    password: flags.user ? await resolvePassword(flags.passwordFile, flags.user) : undefined,
    kerberos: flags.kerberos ?? false,
  };
}

/** --ca, refused before any probe runs when it is not a readable file of PEM certificates (exit code 2). */
export function caFileOf(flags: TlsFlags): string | undefined {
  if (flags.ca !== undefined) readCaFile(flags.ca);
  return flags.ca;
}

const NAME_FORMS = 'the SAM account name, e.g. webapp01 (also webapp01$, CONTOSO\\webapp01 or webapp01.contoso.com)';

/**
 * The SAM account name (without $) of a gMSA or computer given as `webapp01`, `webapp01$`, `CONTOSO\webapp01`,
 * `webapp01$@contoso.com` or `webapp01.contoso.com` (a dot followed by a DNS name with a dot, or by --domain).
 * Anything else is refused with the form to use. `keepDomain` keeps a DNS name whole (--host: its domain matters).
 */
export function accountNameOf(option: string, given: string, domain?: string, keepDomain = false): string {
  const refuse = (why: string): never => {
    throw new UsageError(`${option} ${given}: ${why}; give ${NAME_FORMS}`);
  };
  let name = given.trim();
  if (/^(cn|ou|dc)=/i.test(name)) refuse('a distinguished name');
  name = name.replace(/^[^\\]+\\/, '').replace(/@[^@]+$/, '');
  const dot = name.indexOf('.');
  const suffix = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const fqdn = suffix.includes('.') || (domain !== undefined && suffix === domain.toLowerCase());
  if (fqdn && keepDomain) {
    if (samName(name.slice(0, dot)) === undefined || !/^[a-z0-9.-]+$/i.test(suffix)) refuse('not a computer name');
    return name.replace(/\$$/, '');
  }
  const bare = samName(fqdn ? name.slice(0, dot) : name);
  return bare ?? refuse(name === '' ? 'empty' : 'not an account name');
}

/** Options with every input list empty, to fill in. */
export function checkOptions(domain: DomainFlags, ldap: CheckOptions['ldap']): CheckOptions {
  return {
    domain: domain.domain,
    dc: domain.dc,
    dnsServer: domain.dnsServer,
    timeoutMs: timeoutMsOf(domain),
    gmsas: [],
    credspec: [],
    clientNames: [],
    inspect: [],
    events: [],
    containers: [],
    ldap,
  };
}
