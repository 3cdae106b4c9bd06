/**
 * What gathers each fact, in the words of the command line: the "not checked here" part of a report names it for
 * every check that could not run. A fact needs one or more things (a flag, or running on the container host); a
 * check that misses several facts needs all of them, said once each.
 */
import type { FactKey } from '../facts/index.js';
import type { SubjectKind } from '../facts/subjects.js';

const ON_HOST = 'run on the container host';
const GMSA = '--gmsa NAME';
const HOST = '--host COMPUTER';
const CREDSPEC = '--credspec FILE';
const ANY_AD = `${GMSA}, ${HOST} or ${CREDSPEC}`;
const DOMAIN = '--domain D or --dc HOST';

export type Needs = readonly string[];

export const HOW: Record<FactKey, Needs> = {
  'ad.connection': [ANY_AD, DOMAIN],
  'ad.domain': [ANY_AD, DOMAIN],
  'ad.accounts': [CREDSPEC, DOMAIN],
  'ad.gmsa': [GMSA, DOMAIN],
  'ad.similarNames': [GMSA, DOMAIN],
  'ad.spns': [GMSA, DOMAIN],
  'ad.sidNames': [GMSA, DOMAIN],
  'ad.host': [HOST, DOMAIN],
  'ad.hostGroups': [HOST, DOMAIN],
  'dc.candidates': [DOMAIN],
  'net.domain': [DOMAIN],
  'net.dns': [DOMAIN],
  'net.ports': [DOMAIN],
  'net.cldap': [DOMAIN],
  'net.tls': [DOMAIN],
  'net.kerberos': [DOMAIN],
  'docker.info': [`${ON_HOST} (or --inspect a saved \`docker info\`)`],
  'docker.rootDir': [ON_HOST],
  'docker.inspectProblems': ['--inspect FILE'],
  'container.inspect': [`--inspect FILE, or ${ON_HOST}`],
  'container.exec': [`${ON_HOST} (docker or crictl exec in each container)`],
  'host.windows': [ON_HOST],
  'host.commands': [ON_HOST],
  'host.ccgPlugins': [ON_HOST],
  'host.credentialSpecs': [ON_HOST],
  'credspec.documents': [CREDSPEC],
  'credspec.readErrors': [CREDSPEC],
  'credspec.securityOpts': ['`gmsa-doctor credspec lint --security-opt VALUE` judges it'],
  'events.log': ['--events FILE'],
  'paste.observations': ['`gmsa-doctor explain -` with the pasted error or transcript'],
};

/**
 * All of `needs`, once each: what names a subject makes the generic "name something in AD" redundant, and on the
 * container host the credential specs are found in <DockerRootDir>\CredentialSpecs. The DC comes last, as "with".
 */
export function howText(needs: readonly Needs[]): string {
  let all = [...new Set(needs.flat())];
  if (all.some((n) => n === GMSA || n === HOST || n === CREDSPEC)) all = all.filter((n) => n !== ANY_AD);
  if (all.some((n) => n.startsWith(ON_HOST))) all = all.filter((n) => n !== CREDSPEC && !n.endsWith(`or ${ON_HOST}`));
  const rest = all.filter((n) => n !== DOMAIN);
  if (rest.length === 0) return all.join('');
  return `${rest.join(' and ')}${all.includes(DOMAIN) ? `, with ${DOMAIN}` : ''}`;
}

/** Any one of `alternatives` (the facts a check uses, when it needs none): the one that says the most. */
export function anyOfText(alternatives: readonly Needs[]): string {
  const texts = [...new Set(alternatives.map((needs) => howText([needs])))];
  return texts.filter((t) => !texts.some((other) => other !== t && other.startsWith(t))).join(', or ');
}

/** What `collect` needs to save the facts of `text` (analyze's "not checked here"). */
export function collectText(text: string): string {
  if (text.startsWith(ON_HOST)) return `collect ${text.replace(ON_HOST, 'on the container host')}`;
  return text.startsWith('`') ? text : `collect with ${text}`;
}

/** When a run found no subject of a kind to judge. */
export const HOW_SUBJECTS: Record<SubjectKind, string> = {
  gmsa: `no gMSA to judge: ${GMSA}, or a credential spec that names one`,
  computer: HOST,
  container: `no container uses a credential spec here (--inspect FILE, or ${ON_HOST})`,
  credspec: CREDSPEC,
  dc: DOMAIN,
  pod: 'a Kubernetes cluster scan',
  node: 'a Kubernetes cluster scan',
};
