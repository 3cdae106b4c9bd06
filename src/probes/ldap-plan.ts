/** What `gmsa-doctor check` runs against Active Directory, given the options. */
import { ACCOUNT_CHECKS, sameDomainCheck } from '../checks/account.js';
import { credspecMatchesDomainCheck } from '../checks/credspec-domain.js';
import { PASSWORD_ACCESS_CHECKS } from '../checks/password-access.js';
import { credspecIdentity, uniqueNames } from '../credspec/identity.js';
import type { Check } from '../engine/check.js';
import type { FactKey, FactReader } from '../engine/facts.js';
import type { CheckOptions, Plan } from '../engine/options.js';
import { dcDiscoveryProbe } from './dc-discovery.js';
import { ldapProbe } from './ldap.js';
import type { AdQuery } from './ldap.js';

/** `containerhost01` for `containerhost01`, `containerhost01$` or `containerhost01.contoso.com`. */
export function computerName(host: string): string {
  return host.replace(/\$$/, '').split('.')[0]!;
}

/** `contoso.com` for `containerhost01.contoso.com`; undefined for a bare computer name. */
export function domainOfHostName(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot > 0 && dot < host.length - 1 ? host.slice(dot + 1).toLowerCase() : undefined;
}

/** Account names a set of credential specs mention: MachineAccountName first, then each gMSA entry's Name. */
export function accountNamesInCredspecs(specs: readonly unknown[]): string[] {
  return uniqueNames(specs.flatMap((spec) => credspecIdentity(spec).accounts));
}

export function adQuery(options: CheckOptions, facts: FactReader): AdQuery {
  const named = accountNamesInCredspecs((facts.optional('credspec.documents') ?? []).map((d) => d.spec));
  const gmsa = options.gmsa ?? named[0];
  return {
    ...(gmsa ? { gmsa } : {}),
    ...(options.host ? { host: computerName(options.host) } : {}),
    ...(options.host && domainOfHostName(options.host) ? { hostDomain: domainOfHostName(options.host) } : {}),
    clientNames: options.clientNames,
    otherAccounts: named.filter((n) => n.toLowerCase() !== gmsa?.toLowerCase()),
  };
}

/** The AD checks apply when a gMSA or host is named, or a credential spec is to be compared with a domain. */
export function planActiveDirectory(options: CheckOptions): Plan {
  const credspecWithDomain = options.credspec.length > 0 && (options.domain !== undefined || options.dc !== undefined);
  if (!options.gmsa && !options.host && !credspecWithDomain) return { checks: [], probes: [] };
  const checks: Check[] = ACCOUNT_CHECKS.filter((c) => options.host || c !== sameDomainCheck);
  if (options.host) checks.push(...PASSWORD_ACCESS_CHECKS);
  if (options.credspec.length > 0) checks.push(credspecMatchesDomainCheck);
  const needs: FactKey[] = ['dc.candidates', ...(options.credspec.length > 0 ? (['credspec.documents'] as const) : [])];
  return { checks, probes: [dcDiscoveryProbe(options), ldapProbe(options, (facts) => adQuery(options, facts), needs)] };
}
