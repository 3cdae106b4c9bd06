/** What a run asks Active Directory about: the gMSAs to judge, the container host, the names clients use. */
import { credspecIdentity, gmsasOf, uniqueNames } from '../credspec/identity.js';
import type { FactReader } from '../engine/facts.js';
import type { CheckOptions } from '../engine/options.js';
import type { AdQuery } from '../probes/ldap.js';

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

/**
 * The gMSAs judged are those given (--gmsa, or the ones the host's containers use), else the one each credential
 * spec runs as; the other accounts the specs name are looked up for credspec/matches-domain.
 */
export function adQuery(options: CheckOptions, facts: FactReader): AdQuery {
  const documents = facts.optional('credspec.documents') ?? [];
  const gmsas = options.gmsas.length > 0 ? options.gmsas : gmsasOf(documents);
  const judged = new Set(gmsas.map((g) => g.toLowerCase()));
  return {
    gmsas,
    ...(options.host ? { host: computerName(options.host), hostGiven: !options.hostDiscovered } : {}),
    ...(options.host && domainOfHostName(options.host) ? { hostDomain: domainOfHostName(options.host) } : {}),
    clientNames: options.clientNames,
    otherAccounts: accountNamesInCredspecs(documents.map((d) => d.spec)).filter((n) => !judged.has(n.toLowerCase())),
  };
}
