/**
 * The facts the LDAP probe reads from Active Directory. Plain JSON (binary values as hex or strings), so a run
 * can be saved and judged elsewhere, and checks can be tested without a DC.
 */

/** How the LDAP session went; the probe always yields this, and says what failed when something did. */
export interface AdConnection {
  /** The DC the probe talked to (host name or address) and the address it connected to. */
  dc: string;
  address?: string;
  port: number;
  transport: 'ldaps' | 'starttls' | 'ldap';
  bind: 'simple' | 'gssapi' | 'anonymous';
  /** The identity bound as (the --user value or the Kerberos principal). */
  identity?: string;
  /** Why integrated (Kerberos) authentication was not used when it was tried (no --user, no --kerberos). */
  integratedAuth?: string;
  ok: boolean;
  problem?: AdConnectionProblem;
}

export type AdProblemKind =
  | 'strong-auth-required'
  | 'invalid-credentials'
  | 'unreachable'
  | 'timeout'
  | 'tls-certificate'
  | 'kerberos'
  | 'integrated-auth-unavailable'
  | 'no-dc'
  | 'bind-required'
  | 'other';

export interface AdConnectionProblem {
  kind: AdProblemKind;
  /** LDAP result code (8, 49...) when the DC answered with one. */
  resultCode?: number;
  /** AD's sub-code from the diagnostic message ("data 52e") for invalidCredentials. */
  dataCode?: string;
  /** The underlying error text (DC diagnostic message, socket or TLS error). */
  detail: string;
}

export interface AdDomain {
  dnsName: string;
  netbiosName?: string;
  /** DNS name of the forest root domain: a credential spec's DnsTreeName. */
  forestDnsName?: string;
  sid: string;
  guid: string;
  baseDn: string;
  /** The DC's own dNSHostName from rootDSE. */
  dcDnsHostName?: string;
}

export interface AdObjectSummary {
  dn: string;
  sAMAccountName?: string;
  objectClass: string[];
}

export interface AdAccount extends AdObjectSummary {
  objectSid: string;
  userAccountControl: number;
  servicePrincipalNames: string[];
  dnsHostName?: string;
  /** msDS-SupportedEncryptionTypes; undefined when the attribute is not set. */
  supportedEncryptionTypes?: number;
  /** msDS-GroupMSAMembership as hex; undefined when the attribute is not set. */
  membershipDescriptorHex?: string;
}

export interface AdAccountLookup {
  /** The name searched for, without the trailing $. */
  name: string;
  account: AdAccount | null;
}

export interface AdHost extends AdObjectSummary {
  objectSid: string;
  dnsHostName?: string;
  /** SIDs of every group the computer is in, nested ones included (tokenGroups, computed by the DC). */
  tokenGroups: string[];
  /** RID of the primary group (515 Domain Computers for a computer): a membership memberOf does not list. */
  primaryGroupId?: number;
  /** Distinguished names of the groups the computer is directly a member of (memberOf). */
  memberOf: string[];
  /** lastLogonTimestamp (replicated to every DC; may lag the real logon by up to ~14 days), ISO 8601. */
  lastLogonTimestamp?: string;
  /** lastLogon as this DC saw it (not replicated), ISO 8601. */
  lastLogon?: string;
}

export interface AdHostLookup {
  name: string;
  /** The host's DNS domain when --host was given as a FQDN. */
  domain?: string;
  /** null: no such computer in the gMSA's domain (or the FQDN names another domain, so it was not looked up). */
  host: AdHost | null;
}

/** A group among the host's tokenGroups, with when each of the host's memberships in it was made. */
export interface AdGroup {
  dn: string;
  sid: string;
  sAMAccountName?: string;
  whenChanged?: string;
  /** memberOf of the group itself (for nested paths). */
  memberOf: string[];
  /**
   * When each member DN that matters (the host, or one of the host's groups) was added, from msDS-ReplValueMetaData;
   * absent when the DC does not expose value metadata (then whenChanged is the best evidence).
   */
  memberAddedAt?: Record<string, string>;
}

export interface AdSpnFacts {
  /** The names clients use to reach the app (--client-name). */
  clientNames: string[];
  /** For each SPN looked up (lower-case), every object that holds it. */
  holders: Record<string, AdObjectSummary[]>;
}

declare module '../engine/facts.js' {
  interface FactTypes {
    'ad.connection': AdConnection;
    'ad.domain': AdDomain;
    'ad.gmsa': AdAccountLookup;
    'ad.host': AdHostLookup;
    /** Groups in the host's tokenGroups, for the "added to a group after its last logon" check. */
    'ad.hostGroups': AdGroup[];
    /** Objects whose sAMAccountName starts with the gMSA's name (the guide's `-like "NAME*"` search). */
    'ad.similarNames': AdObjectSummary[];
    /** Who holds each SPN of interest: the gMSA's own, and host/NAME, HTTP/NAME for each --client-name. */
    'ad.spns': AdSpnFacts;
    /** sAMAccountName of the SIDs in the password descriptor and the host's groups, e.g. WebApp01Hosts. */
    'ad.sidNames': Record<string, string>;
    /** Other gMSAs named in credential specs (additional accounts), by lower-case name. */
    'ad.accounts': Record<string, AdAccountLookup>;
  }
}
