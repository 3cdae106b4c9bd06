/**
 * What each fact is, in the words of a report: a check that could not run says which of these it missed, never the
 * fact's key.
 */
import type { FactKey } from './index.js';

export const FACT_TITLES: Record<FactKey, string> = {
  'ad.connection': 'the LDAP connection to the DC',
  'ad.domain': 'the domain as AD describes it',
  'ad.gmsa': 'the gMSA account in AD',
  'ad.accounts': 'the other gMSAs the credential specs name, in AD',
  'ad.host': "the container host's computer account in AD",
  'ad.hostGroups': "the container host's groups in AD",
  'ad.similarNames': 'the accounts named like the gMSA',
  'ad.spns': "the gMSA's SPNs and who else holds them",
  'ad.sidNames': "the names of the accounts in the gMSA's password permission",
  'dc.candidates': 'the domain controllers',
  'net.domain': 'the domain name',
  'net.dns': "DNS's answers for the domain",
  'net.ports': "the DC ports of the guide's firewall table",
  'net.cldap': "the DCs' answers to the LDAP ping",
  'net.tls': "the DCs' LDAPS certificates",
  'net.kerberos': "the KDCs' answers",
  'docker.info': 'docker info of the container host',
  'docker.rootDir': "Docker's root directory",
  'container.inspect': "the container's docker inspect data",
  'docker.inspectProblems': 'the saved docker inspect files',
  'container.exec': 'what nltest, klist and whoami showed inside the container',
  'host.windows': "the container host's Windows build and domain",
  'host.commands': 'what nltest, klist and Test-ADServiceAccount showed on the container host',
  'host.ccgPlugins': "the container host's CCG plug-in registrations",
  'host.credentialSpecs': "the container host's CredentialSpecs folder",
  'credspec.documents': 'the credential specs',
  'credspec.readErrors': 'the credential spec files',
  'credspec.securityOpts': 'the --security-opt values',
  'events.log': 'the event logs',
  'paste.observations': 'the pasted errors and transcripts',
};
