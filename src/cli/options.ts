import { Option } from 'commander';
import type { Command } from 'commander';
import type { CheckOptions, LdapTransport } from '../engine/options.js';
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

export function timeoutMsOf(flags: Pick<DomainFlags, 'timeout'>): number {
  const ms = Number(flags.timeout) * 1000;
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--timeout ${flags.timeout}: not a number of seconds`);
  return ms;
}

export async function ldapOptionsOf(flags: BindFlags): Promise<CheckOptions['ldap']> {
  if (flags.user && flags.kerberos)
    throw new UsageError('--user and --kerberos are exclusive: pick simple bind or Kerberos');
  return {
    transport: flags.ldap,
    caFile: flags.ca,
    insecureTls: flags.insecureTls ?? false,
    user: flags.user,
    password: flags.user ? await resolvePassword(flags.passwordFile, flags.user) : undefined,
    kerberos: flags.kerberos ?? false,
  };
}

/** gMSA and computer names are given with or without the trailing $; the checks use the bare name. */
export function bareAccountName(name: string | undefined): string | undefined {
  return name?.replace(/\$$/, '');
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
