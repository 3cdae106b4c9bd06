/**
 * The catalogue: one file per check, at checks/<area>/<slug>.ts for the check id area/slug, in the order of the
 * guide's sections. A command runs the part of it that concerns it; planning (src/plan/) decides which checks of
 * that part the facts at hand can judge.
 */
import type { Check } from '../engine/check.js';
import { assertValidRegistry } from '../engine/check.js';
import knownHostnameMustMatch from './known-issues/hostname-must-match.js';
import knownSharedGmsa from './known-issues/shared-gmsa.js';
import knownHypervIsolation from './known-issues/hyperv-isolation.js';
import hostWindowsBuild from './host/windows-build.js';
import hostDomainJoined from './host/domain-joined.js';
import hostDcReachable from './host/dc-reachable.js';
import hostTestAdserviceaccount from './host/test-adserviceaccount.js';
import hostCcgPluginRegistered from './host/ccg-plugin-registered.js';
import hostCredentialSpecsFolder from './host/credential-specs-folder.js';
import hostCanRetrievePassword from './host/can-retrieve-password.js';
import hostGroupChangeNeedsReboot from './host/group-change-needs-reboot.js';
import credspecReadable from './credspec/readable.js';
import credspecCmsPlugins from './credspec/cms-plugins.js';
import credspecDomainSid from './credspec/domain-sid.js';
import credspecMachineAccountName from './credspec/machine-account-name.js';
import credspecDomainGuid from './credspec/domain-guid.js';
import credspecDnsNames from './credspec/dns-names.js';
import credspecNetbiosName from './credspec/netbios-name.js';
import credspecGmsaEntries from './credspec/gmsa-entries.js';
import credspecHostAccountConfig from './credspec/host-account-config.js';
import credspecPluginGuid from './credspec/plugin-guid.js';
import credspecPlaceholders from './credspec/placeholders.js';
import credspecPlaintextSecret from './credspec/plaintext-secret.js';
import credspecUnknownKeys from './credspec/unknown-keys.js';
import credspecDuplicateKeys from './credspec/duplicate-keys.js';
import credspecK8sResource from './credspec/k8s-resource.js';
import credspecK8sDocumentsGlued from './credspec/k8s-documents-glued.js';
import credspecLocation from './credspec/location.js';
import credspecSecurityOpt from './credspec/security-opt.js';
import credspecMatchesDomain from './credspec/matches-domain.js';
import networkDcDiscovery from './network/dc-discovery.js';
import networkDnsSrv from './network/dns-srv.js';
import networkDnsTransport from './network/dns-transport.js';
import networkFirewall from './network/firewall.js';
import networkLdapPing from './network/ldap-ping.js';
import networkLdaps from './network/ldaps.js';
import networkKerberos from './network/kerberos.js';
import networkClockSkew from './network/clock-skew.js';
import containerInspectReadable from './container/inspect-readable.js';
import containerCredspecApplied from './container/credspec-applied.js';
import containerCredspecResolves from './container/credspec-resolves.js';
import containerStartError from './container/start-error.js';
import containerWindowsPlatform from './container/windows-platform.js';
import containerDcLocated from './container/dc-located.js';
import containerSecureChannel from './container/secure-channel.js';
import containerKerberosTgt from './container/kerberos-tgt.js';
import containerToolsPresent from './container/tools-present.js';
import containerAppIdentity from './container/app-identity.js';
import accountLdapConnection from './account/ldap-connection.js';
import accountExists from './account/exists.js';
import accountSameDomain from './account/same-domain.js';
import accountDuplicateName from './account/duplicate-name.js';
import accountWorkstationTrustFlag from './account/workstation-trust-flag.js';
import accountSpns from './account/spns.js';
import accountEncryptionTypes from './account/encryption-types.js';
import eventsLogReadable from './events/log-readable.js';
import eventsCcgCredspecParse from './events/ccg-credspec-parse.js';
import eventsCcgPluginLoad from './events/ccg-plugin-load.js';
import eventsCcgPluginCredentials from './events/ccg-plugin-credentials.js';
import eventsCcgGmsaFetch from './events/ccg-gmsa-fetch.js';
import eventsCcgPluginGuid from './events/ccg-plugin-guid.js';
import eventsCcgActivity from './events/ccg-activity.js';
import eventsHypervExternalCredentials from './events/hyperv-external-credentials.js';
import eventsNetlogonSecureChannel from './events/netlogon-secure-channel.js';
import knownLookAlike from './known-issues/look-alike.js';
import clusterGmsaCrd from './cluster/gmsa-crd.js';
import clusterWebhookInstall from './cluster/webhook-install.js';
import clusterWebhookCertificate from './cluster/webhook-certificate.js';
import clusterWebhookReachable from './cluster/webhook-reachable.js';
import clusterWebhookAdmission from './cluster/webhook-admission.js';
import hostAdCmdletErrors from './host/ad-cmdlet-errors.js';
import hostCredentialsFetcher from './host/credentials-fetcher.js';
import credspecDaemonRefused from './credspec/daemon-refused.js';
import containerNetlogonLog from './container/netlogon-log.js';
import accountAdObject from './account/ad-object.js';
import accountKerberosClient from './account/kerberos-client.js';
import eventsLogonTypeGranted from './events/logon-type-granted.js';

const KNOWN_ISSUE_CHECKS: readonly Check[] = [knownHostnameMustMatch, knownSharedGmsa, knownHypervIsolation];
const HOST_CHECKS: readonly Check[] = [
  hostWindowsBuild,
  hostDomainJoined,
  hostDcReachable,
  hostTestAdserviceaccount,
  hostCcgPluginRegistered,
  hostCredentialSpecsFolder,
  hostCanRetrievePassword,
  hostGroupChangeNeedsReboot,
];
/** The checks that judge credential spec documents alone, with no Docker or host facts (credspec lint on files). */
export const CREDSPEC_DOCUMENT_CHECKS: readonly Check[] = [
  credspecReadable,
  credspecCmsPlugins,
  credspecDomainSid,
  credspecMachineAccountName,
  credspecDomainGuid,
  credspecDnsNames,
  credspecNetbiosName,
  credspecGmsaEntries,
  credspecHostAccountConfig,
  credspecPluginGuid,
  credspecPlaceholders,
  credspecPlaintextSecret,
  credspecUnknownKeys,
  credspecDuplicateKeys,
  credspecK8sResource,
  credspecK8sDocumentsGlued,
];
/** Where the specs lie and how a container names them: credspec lint --docker-root and --security-opt. */
const CREDSPEC_PLACEMENT_CHECKS: readonly Check[] = [credspecLocation, credspecSecurityOpt];
const CREDSPEC_DOMAIN_CHECKS: readonly Check[] = [credspecMatchesDomain];
/** What `gmsa-doctor dc` runs. */
export const NETWORK_CHECKS: readonly Check[] = [
  networkDcDiscovery,
  networkDnsSrv,
  networkDnsTransport,
  networkFirewall,
  networkLdapPing,
  networkLdaps,
  networkKerberos,
  networkClockSkew,
];
const CONTAINER_CHECKS: readonly Check[] = [
  containerInspectReadable,
  // First: for a Linux container it is the only thing to say (the others skip it).
  containerWindowsPlatform,
  containerCredspecApplied,
  containerCredspecResolves,
  containerStartError,
  containerDcLocated,
  containerSecureChannel,
  containerKerberosTgt,
  containerToolsPresent,
  containerAppIdentity,
];
const ACCOUNT_CHECKS: readonly Check[] = [
  accountLdapConnection,
  accountExists,
  accountSameDomain,
  accountDuplicateName,
  accountWorkstationTrustFlag,
  accountSpns,
  accountEncryptionTypes,
];
/** What `gmsa-doctor events` runs. */
export const EVENT_CHECKS: readonly Check[] = [
  eventsLogReadable,
  eventsCcgCredspecParse,
  eventsCcgPluginLoad,
  eventsCcgPluginCredentials,
  eventsCcgGmsaFetch,
  eventsCcgPluginGuid,
  eventsCcgActivity,
  eventsHypervExternalCredentials,
  eventsNetlogonSecureChannel,
  eventsLogonTypeGranted,
];

/**
 * The checks of what only a paste shows (Kubernetes and webhook errors, AD cmdlet errors, Linux Kerberos errors,
 * netlogon.log, look-alikes): `explain` runs them; a live run or a facts file never holds their facts.
 */
export const PASTE_CHECKS: readonly Check[] = [
  knownLookAlike,
  clusterGmsaCrd,
  clusterWebhookInstall,
  clusterWebhookCertificate,
  clusterWebhookReachable,
  clusterWebhookAdmission,
  hostAdCmdletErrors,
  hostCredentialsFetcher,
  credspecDaemonRefused,
  containerNetlogonLog,
  accountAdObject,
  accountKerberosClient,
];

/** credspec lint: the documents, and their placement when the Docker root or a --security-opt is given. */
export const CREDSPEC_LINT_CHECKS: readonly Check[] = [...CREDSPEC_DOCUMENT_CHECKS, ...CREDSPEC_PLACEMENT_CHECKS];

/** What a run on a host (check, collect, analyze) can judge: every check but the paste's own. */
export const RUN_CHECKS: readonly Check[] = [
  ...KNOWN_ISSUE_CHECKS,
  ...HOST_CHECKS,
  ...CREDSPEC_DOCUMENT_CHECKS,
  ...CREDSPEC_PLACEMENT_CHECKS,
  ...CREDSPEC_DOMAIN_CHECKS,
  ...NETWORK_CHECKS,
  ...CONTAINER_CHECKS,
  ...ACCOUNT_CHECKS,
  ...EVENT_CHECKS,
];

/** Every check: what a run can judge, then what only a paste shows. */
export const ALL_CHECKS: readonly Check[] = [...RUN_CHECKS, ...PASTE_CHECKS];

assertValidRegistry(ALL_CHECKS);
