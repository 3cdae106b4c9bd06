/**
 * `gmsa-doctor credspec new --gmsa NAME`: New-CredentialSpec without Windows or RSAT. Reads the domain and the
 * accounts over LDAP (same connection options as `check`) and writes the spec New-CredentialSpec would write.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { GMSA_CLASS } from '../checks/account/_account.js';
import ldapConnectionCheck from '../checks/account/ldap-connection.js';
import {
  buildCredSpec,
  defaultCredSpecFileName,
  renderCredSpecJson,
  renderCredSpecResource,
} from '../credspec/generate.js';
import type { FactStore } from '../engine/facts.js';
import type { CheckOptions } from '../engine/options.js';
import { gather, runCheck } from '../engine/runner.js';
import { gmsaSubject } from '../facts/subjects.js';
import { dcDiscoveryProbe } from '../probes/dc-discovery.js';
import { ldapProbe } from '../probes/ldap.js';
import { accountNameOf, addBindOptions, addDomainOptions, checkOptions, ldapOptionsOf, repeatable } from './options.js';
import type { BindFlags, DomainFlags } from './options.js';
import { UsageError } from './output.js';
import { terminalProgress } from './progress.js';
import type { AdAccountLookup } from '../facts/ad.js';

interface NewFlags extends DomainFlags, BindFlags {
  gmsa: string;
  additional: string[];
  out?: string;
  k8s?: boolean;
  force?: boolean;
}

/** The domain, the gMSA and the additional accounts, over one LDAP session. */
async function readAd(options: CheckOptions, gmsa: string, additional: string[]): Promise<FactStore> {
  const query = () => ({ gmsas: [gmsa], clientNames: [], otherAccounts: additional });
  const probes = [dcDiscoveryProbe(options), ldapProbe(options, query)];
  const { facts } = await gather(['ad.connection', 'ad.domain', 'ad.gmsa', 'ad.accounts'], {
    probes,
    timeoutMs: options.timeoutMs,
    onProbe: terminalProgress(),
  });
  return facts;
}

/** Why an account cannot go into a credential spec, as New-CredentialSpec would refuse it; undefined if fine. */
function accountProblem(lookup: AdAccountLookup | undefined, name: string, domain: string): string | undefined {
  if (!lookup?.account)
    return `The group managed service account "${name}" could not be found in the ${domain} domain.`;
  if (!lookup.account.objectClass.includes(GMSA_CLASS))
    return `"${name}$" (${lookup.account.dn}) is not a group managed service account.`;
  return undefined;
}

export async function credspecNew(flags: NewFlags): Promise<void> {
  const gmsa = accountNameOf('--gmsa', flags.gmsa, flags.domain);
  const additional = flags.additional.map((a) => accountNameOf('--additional', a, flags.domain));
  if (!flags.dc && !flags.domain)
    throw new UsageError('credspec new needs --domain DOMAIN (DCs found through DNS) or --dc HOST');
  const options = checkOptions(flags, await ldapOptionsOf(flags));
  const facts = await readAd(options, gmsa, additional);
  const connection = facts.optional('ad.connection');
  if (!connection?.ok) {
    const [finding] = connection ? runCheck(ldapConnectionCheck, facts) : [];
    throw new UsageError(
      finding ? `${finding.message}\n${finding.remediation?.text ?? ''}` : 'could not read Active Directory',
    );
  }
  const domain = facts.get('ad.domain');
  const accounts = facts.get('ad.accounts');
  const lookup = facts.resultFor('ad.gmsa', gmsaSubject(gmsa));
  const problems = [
    accountProblem(lookup?.status === 'ok' ? (lookup.value as AdAccountLookup) : undefined, gmsa, domain.dnsName),
    ...additional.map((a) => accountProblem(accounts[a.toLowerCase()], a, domain.dnsName)),
  ].filter(Boolean);
  if (problems.length) {
    process.stderr.write(`gmsa-doctor: ${problems.join('\ngmsa-doctor: ')}\n`);
    process.exitCode = 1;
    return;
  }
  if (!domain.netbiosName)
    throw new UsageError(`the NetBIOS name of ${domain.dnsName} could not be read (crossRef in CN=Partitions)`);
  const spec = buildCredSpec(
    { ...domain, netbiosName: domain.netbiosName, forestDnsName: domain.forestDnsName ?? domain.dnsName },
    gmsa,
    additional.map((name) => ({ name })),
  );
  const text = flags.k8s ? renderCredSpecResource(spec, gmsa) : renderCredSpecJson(spec);
  const file =
    flags.out ?? defaultCredSpecFileName(domain.netbiosName, gmsa).replace(/\.json$/, flags.k8s ? '.yaml' : '.json');
  if (file === '-') {
    process.stdout.write(text);
    return;
  }
  if (existsSync(file) && !flags.force)
    throw new UsageError(`${file} already exists: pass --force to overwrite it, or --out FILE`);
  writeFileSync(file, text, { encoding: 'ascii' });
  process.stdout.write(`${file}\n`);
}

export function registerCredspecNew(credspec: Command): void {
  const command = credspec
    .command('new')
    .description('write a credential spec for a gMSA from AD, as New-CredentialSpec does (no Windows, no RSAT)')
    .requiredOption('--gmsa <name>', 'gMSA SAM account name, with or without the trailing $')
    .option('--additional <name>', 'another gMSA the container may use (repeatable)', repeatable, [])
    .option('--out <file>', 'where to write (default <netbios>_<account>.json lower-cased; - for standard output)')
    .option('--k8s', 'write a Kubernetes GMSACredentialSpec resource (YAML) instead of the JSON file')
    .option('--force', 'overwrite the file if it exists');
  addDomainOptions(command);
  addBindOptions(command).action(async (flags: NewFlags) => credspecNew(flags));
}
