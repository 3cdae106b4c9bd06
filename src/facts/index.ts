/**
 * The fact model: every fact key, the one zod schema that defines its value, and what it is about. The TypeScript
 * types are inferred from the schemas, so the schema `analyze` validates a saved file with is the type a check reads.
 */
import { z } from 'zod';
import {
  adAccountLookup,
  adConnection,
  adDomain,
  adGroup,
  adHostLookup,
  adObjectSummary,
  adSidNames,
  adSpnFacts,
} from './ad.js';
import { containerExec, containerInspect, dockerInfo, inspectProblem } from './docker.js';
import { credspecDocument, credspecReadError, securityOptFact } from './credspec.js';
import { eventLog } from './events.js';
import { ccgPlugins, credentialSpecsFolder, hostCommands, windowsHost } from './host.js';
import { pastedObservations } from './pasted.js';
import { cldapPing, dcCandidate, dnsFacts, kerberosFacts, portResult, tlsResult } from './network.js';
import type { SubjectKind } from './subjects.js';

interface FactDefinition<S extends z.ZodType = z.ZodType, K extends SubjectKind | undefined = SubjectKind | undefined> {
  schema: S;
  /** The kind of subject each value is about; absent for facts about the run as a whole. */
  subject?: K;
}

/** A fact about the run as a whole. */
const fact = <S extends z.ZodType>(schema: S): FactDefinition<S, undefined> => ({ schema });
/** A fact about each subject of a kind: one value per gMSA, per container... */
const about = <K extends SubjectKind, S extends z.ZodType>(
  subject: K,
  schema: S,
): FactDefinition<S, K> & { subject: K } => ({ schema, subject });

export const FACTS = {
  /** How the LDAP session to the DC went. */
  'ad.connection': fact(adConnection),
  'ad.domain': fact(adDomain),
  /** The gMSA looked up by name. */
  'ad.gmsa': about('gmsa', adAccountLookup),
  /** Other gMSAs named in credential specs (additional accounts), by lower-case name. */
  'ad.accounts': fact(z.record(z.string(), adAccountLookup)),
  /** The computer account of the container host judged in this run (--host, or this host). */
  'ad.host': fact(adHostLookup),
  /** Groups in the host's tokenGroups, for the "added to a group after its last logon" check. */
  'ad.hostGroups': fact(z.array(adGroup)),
  /** Objects whose sAMAccountName starts with the gMSA's name (the guide's `-like "NAME*"` search). */
  'ad.similarNames': about('gmsa', z.array(adObjectSummary)),
  /** Who holds each SPN of interest: the gMSA's own, and host/NAME, HTTP/NAME for each --client-name. */
  'ad.spns': about('gmsa', adSpnFacts),
  /** sAMAccountName of the SIDs in the gMSA's password descriptor and the host's groups, e.g. WebApp01Hosts. */
  'ad.sidNames': about('gmsa', adSidNames),
  /** The domain controllers to probe, from --dc or DNS SRV. */
  'dc.candidates': fact(z.array(dcCandidate)),
  /** The DNS name of the domain the network checks look up, lower case. */
  'net.domain': fact(z.string()),
  'net.dns': fact(dnsFacts),
  /** Every DC port of the firewall table, for each DC that has an address. */
  'net.ports': fact(z.array(portResult)),
  /** One LDAP ping per DC that has an address. */
  'net.cldap': fact(z.array(cldapPing)),
  /** A TLS handshake with each DC on 636 (LDAPS) and via StartTLS on 389. */
  'net.tls': fact(z.array(tlsResult)),
  /** AS-REQ without pre-authentication to each DC over UDP and TCP 88. */
  'net.kerberos': fact(kerberosFacts),
  'docker.info': fact(dockerInfo),
  /** Docker's root directory; credential specs live in its CredentialSpecs folder. */
  'docker.rootDir': fact(z.string()),
  /** Each container judged: a running one that uses a credential spec (or was named), or one of an --inspect file. */
  'container.inspect': about('container', containerInspect),
  /** Saved `docker inspect` files that could not be read. */
  'docker.inspectProblems': fact(z.array(inspectProblem)),
  /** What `docker exec` showed inside the container. */
  'container.exec': about('container', containerExec),
  'host.windows': fact(windowsHost),
  'host.commands': fact(hostCommands),
  'host.ccgPlugins': fact(ccgPlugins),
  'host.credentialSpecs': fact(credentialSpecsFolder),
  /** Every credential spec document found in the given files. */
  'credspec.documents': fact(z.array(credspecDocument)),
  /** Files that were given but hold no readable credential spec. */
  'credspec.readErrors': fact(z.array(credspecReadError)),
  'credspec.securityOpts': fact(z.array(securityOptFact)),
  'events.log': fact(eventLog),
  /** What a paste shows that no probe gathers (Kubernetes and webhook errors, AD cmdlet errors, look-alikes...). */
  'paste.observations': fact(pastedObservations),
} satisfies Record<string, FactDefinition>;

export type FactKey = keyof typeof FACTS;
export type FactValue<K extends FactKey> = z.infer<(typeof FACTS)[K]['schema']>;
export type FactTypes = { [K in FactKey]: FactValue<K> };
/** The subject kind of a fact key's values (undefined for a fact about the run). */
export type SubjectOf<K extends FactKey> = (typeof FACTS)[K] extends { subject: infer S extends SubjectKind }
  ? S
  : undefined;
/** Facts about the run as a whole. */
export type RunFactKey = { [K in FactKey]: SubjectOf<K> extends undefined ? K : never }[FactKey];
/** Facts about one subject each. */
export type SubjectFactKey = Exclude<FactKey, RunFactKey>;

export const FACT_KEYS = Object.keys(FACTS) as FactKey[];

export function isFactKey(key: string): key is FactKey {
  return Object.hasOwn(FACTS, key);
}

export function factSchema(key: FactKey): z.ZodType {
  return FACTS[key].schema;
}

/** The subject kind a fact is about, or undefined for a fact about the run as a whole. */
export function subjectKindOf(key: FactKey): SubjectKind | undefined {
  return (FACTS[key] as FactDefinition).subject;
}
