/**
 * The facts the LDAP probe reads from Active Directory. Plain JSON (binary values as hex or strings), so a run can
 * be saved and judged elsewhere, and checks can be tested without a DC.
 */
import { z } from 'zod';
import { guid, isoTime, sid } from './common.js';

export const AD_PROBLEM_KINDS = [
  'strong-auth-required',
  'invalid-credentials',
  'unreachable',
  'timeout',
  'tls-certificate',
  'kerberos',
  'integrated-auth-unavailable',
  'no-dc',
  'bind-required',
  'other',
] as const;
export type AdProblemKind = (typeof AD_PROBLEM_KINDS)[number];

export const adConnectionProblem = z.object({
  kind: z.enum(AD_PROBLEM_KINDS),
  /** LDAP result code (8, 49...) when the DC answered with one. */
  resultCode: z.number().int().optional(),
  /** AD's sub-code from the diagnostic message ("data 52e") for invalidCredentials. */
  dataCode: z.string().optional(),
  /** The underlying error text (DC diagnostic message, socket or TLS error). */
  detail: z.string(),
});
export type AdConnectionProblem = z.infer<typeof adConnectionProblem>;

/** How the LDAP session went; the probe always yields this, and says what failed when something did. */
export const adConnection = z.object({
  /** The DC the probe talked to (host name or address) and the address it connected to. */
  dc: z.string(),
  address: z.string().optional(),
  port: z.number().int(),
  transport: z.enum(['ldaps', 'starttls', 'ldap']),
  bind: z.enum(['simple', 'gssapi', 'anonymous']),
  /** The identity bound as (the --user value or the Kerberos principal). */
  identity: z.string().optional(),
  /** Why integrated (Kerberos) authentication was not used when it was tried (no --user, no --kerberos). */
  integratedAuth: z.string().optional(),
  ok: z.boolean(),
  problem: adConnectionProblem.optional(),
});
export type AdConnection = z.infer<typeof adConnection>;

export const adDomain = z.object({
  dnsName: z.string(),
  netbiosName: z.string().optional(),
  /** DNS name of the forest root domain: a credential spec's DnsTreeName. */
  forestDnsName: z.string().optional(),
  sid,
  guid,
  baseDn: z.string(),
  /** The DC's own dNSHostName from rootDSE. */
  dcDnsHostName: z.string().optional(),
});
export type AdDomain = z.infer<typeof adDomain>;

export const adObjectSummary = z.object({
  dn: z.string(),
  sAMAccountName: z.string().optional(),
  objectClass: z.array(z.string()),
});
export type AdObjectSummary = z.infer<typeof adObjectSummary>;

export const adAccount = adObjectSummary.extend({
  objectSid: sid,
  userAccountControl: z.number().int().nonnegative(),
  servicePrincipalNames: z.array(z.string()),
  dnsHostName: z.string().optional(),
  /** msDS-SupportedEncryptionTypes; absent when the attribute is not set. */
  supportedEncryptionTypes: z.number().int().nonnegative().optional(),
  /** msDS-GroupMSAMembership as hex; absent when the attribute is not set. */
  membershipDescriptorHex: z
    .string()
    .regex(/^([0-9a-f]{2})*$/i, 'not hex')
    .optional(),
});
export type AdAccount = z.infer<typeof adAccount>;

export const adAccountLookup = z.object({
  /** The name searched for, without the trailing $. */
  name: z.string(),
  account: adAccount.nullable(),
});
export type AdAccountLookup = z.infer<typeof adAccountLookup>;

export const adHost = adObjectSummary.extend({
  objectSid: sid,
  dnsHostName: z.string().optional(),
  /** SIDs of every group the computer is in, nested ones included (tokenGroups, computed by the DC). */
  tokenGroups: z.array(sid),
  /** RID of the primary group (515 Domain Computers for a computer): a membership memberOf does not list. */
  primaryGroupId: z.number().int().optional(),
  /** Distinguished names of the groups the computer is directly a member of (memberOf). */
  memberOf: z.array(z.string()),
  /** lastLogonTimestamp (replicated to every DC; may lag the real logon by up to ~14 days), ISO 8601. */
  lastLogonTimestamp: isoTime.optional(),
  /** lastLogon as this DC saw it (not replicated), ISO 8601. */
  lastLogon: isoTime.optional(),
});
export type AdHost = z.infer<typeof adHost>;

export const adHostLookup = z.object({
  name: z.string(),
  /** The name came from --host (not from this host): naming no computer is then a usage error. */
  given: z.boolean().optional(),
  /** The host's DNS domain when --host was given as a FQDN. */
  domain: z.string().optional(),
  /** null: no such computer in the gMSA's domain (or the FQDN names another domain, so it was not looked up). */
  host: adHost.nullable(),
});
export type AdHostLookup = z.infer<typeof adHostLookup>;

/** A group among the host's tokenGroups, with when each of the host's memberships in it was made. */
export const adGroup = z.object({
  dn: z.string(),
  sid,
  sAMAccountName: z.string().optional(),
  whenChanged: isoTime.optional(),
  /** memberOf of the group itself (for nested paths). */
  memberOf: z.array(z.string()),
  /**
   * When each member DN that matters (the host, or one of the host's groups) was added, from msDS-ReplValueMetaData;
   * absent when the DC does not expose value metadata (then whenChanged is the best evidence).
   */
  memberAddedAt: z.record(z.string(), isoTime).optional(),
});
export type AdGroup = z.infer<typeof adGroup>;

export const adSpnFacts = z.object({
  /** The names clients use to reach the app (--client-name). */
  clientNames: z.array(z.string()),
  /** For each SPN looked up (lower-case), every object that holds it. */
  holders: z.record(z.string(), z.array(adObjectSummary)),
});
export type AdSpnFacts = z.infer<typeof adSpnFacts>;

export const adSidNames = z.record(sid, z.string());
