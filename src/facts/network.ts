/** What the network probes observed from this machine: DC discovery, DNS, ports, the LDAP ping, TLS, Kerberos. */
import { z } from 'zod';

/** The domain controllers to probe, from --dc or DNS SRV. */
export const dcCandidate = z.object({
  /** Host name (or the address itself when --dc is an IP address). */
  host: z.string(),
  /** IPv4/IPv6 address to connect to; missing when the name did not resolve. */
  address: z.string().optional(),
  /** LDAP port from the SRV record. */
  port: z.number().int().optional(),
  source: z.enum(['option', 'dns-srv']),
  /** Why the address is missing. */
  unresolved: z.string().optional(),
});
export type DcCandidate = z.infer<typeof dcCandidate>;

// ----- DNS

export const DNS_OUTCOMES = [
  'answer',
  'nodata',
  'nxdomain',
  'servfail',
  /** rcode REFUSED: the server will not answer this client. */
  'refused',
  'truncated',
  'timeout',
  /** TCP reset or ICMP port unreachable: nothing listens on 53 (or a firewall rejects). */
  'connection-refused',
  'unreachable',
  'error',
] as const;
/** Each way a lookup can end is its own finding: NXDOMAIN, SERVFAIL, timeout and truncation differ. */
export type DnsOutcome = (typeof DNS_OUTCOMES)[number];
export type DnsTransport = 'udp' | 'tcp';
export type DnsRecordType = 'SRV' | 'A' | 'AAAA' | 'SOA';

export const srvTarget = z.object({
  target: z.string(),
  port: z.number().int(),
  priority: z.number().int(),
  weight: z.number().int(),
});
export type SrvTarget = z.infer<typeof srvTarget>;

export const dnsLookup = z.object({
  name: z.string(),
  type: z.enum(['SRV', 'A', 'AAAA', 'SOA']),
  transport: z.enum(['udp', 'tcp']),
  outcome: z.enum(DNS_OUTCOMES),
  ms: z.number().nonnegative(),
  rcode: z.string().optional(),
  srv: z.array(srvTarget).optional(),
  addresses: z.array(z.string()).optional(),
  /** A records the server sent along with an SRV answer (Windows DNS does), by target name. */
  glue: z.record(z.string(), z.string()).optional(),
  detail: z.string().optional(),
});
export type DnsLookup = z.infer<typeof dnsLookup>;

export const dnsServer = z.object({
  address: z.string(),
  port: z.number().int(),
  source: z.enum(['option', 'system']),
});
export type DnsServer = z.infer<typeof dnsServer>;

/** SRV and A/AAAA lookups for the domain, each over UDP and over TCP, against one server. */
export const dnsFacts = z.object({ server: dnsServer, domain: z.string(), lookups: z.array(dnsLookup) });
export type DnsFacts = z.infer<typeof dnsFacts>;

// ----- ports

/** open: connected / answered; refused: RST or ICMP unreachable; filtered: no answer before the deadline. */
export const PORT_STATES = ['open', 'refused', 'filtered', 'unreachable', 'error'] as const;
export type PortState = (typeof PORT_STATES)[number];
export type PortProto = 'tcp' | 'udp';

export const portResult = z.object({
  port: z.number().int(),
  proto: z.enum(['tcp', 'udp']),
  service: z.string(),
  dc: z.string(),
  address: z.string(),
  state: z.enum(PORT_STATES),
  ms: z.number().nonnegative(),
  /** How the state was learned: a TCP connect, or the protocol exchange used on a UDP port. */
  method: z.enum(['tcp-connect', 'dns-query', 'kerberos-as-req', 'cldap-ping']),
  detail: z.string().optional(),
});
export type PortResult = z.infer<typeof portResult>;

// ----- LDAP ping

/** How one exchange ended. `filtered` = no answer at all (a firewall that drops); `refused` = RST or ICMP. */
export const EXCHANGE_OUTCOMES = ['ok', 'filtered', 'refused', 'unreachable', 'error'] as const;
export type ExchangeOutcome = (typeof EXCHANGE_OUTCOMES)[number];

/** NETLOGON_SAM_LOGON_RESPONSE_EX ([MS-ADTS] 6.3.1.9), decoded. */
export const netlogonResponse = z.object({
  opcode: z.number().int(),
  /** LOGON_SAM_LOGON_RESPONSE_EX (23), LOGON_SAM_USER_UNKNOWN_EX (25), ... */
  opcodeName: z.string(),
  flags: z.number().int(),
  flagNames: z.array(z.string()),
  /** Canonical GUID text, lower case. */
  domainGuid: z.string(),
  dnsForestName: z.string(),
  dnsDomainName: z.string(),
  dnsHostName: z.string(),
  netbiosDomainName: z.string(),
  netbiosComputerName: z.string(),
  userName: z.string(),
  dcSiteName: z.string(),
  clientSiteName: z.string(),
  /** The DC's IPv4 address, present when NtVersion asked for NETLOGON_NT_VERSION_5EX_WITH_IP. */
  dcAddress: z.string().optional(),
  nextClosestSiteName: z.string().optional(),
  ntVersion: z.number().int(),
});
export type NetlogonResponse = z.infer<typeof netlogonResponse>;

export const cldapPing = z.object({
  dc: z.string(),
  address: z.string(),
  /** `ok`: the DC answered with a readable NETLOGON_SAM_LOGON_RESPONSE_EX. */
  outcome: z.enum(EXCHANGE_OUTCOMES),
  ms: z.number().nonnegative(),
  /** The account asked about with User=, if any. */
  user: z.string().optional(),
  response: netlogonResponse.optional(),
  detail: z.string().optional(),
});
export type CldapPing = z.infer<typeof cldapPing>;

// ----- TLS

export type TlsMode = 'ldaps' | 'starttls';

export const certificateSummary = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  subjectAltNames: z.array(z.string()),
  fingerprint256: z.string(),
});
export type CertificateSummary = z.infer<typeof certificateSummary>;

export const tlsResult = z.object({
  dc: z.string(),
  address: z.string(),
  port: z.number().int(),
  mode: z.enum(['ldaps', 'starttls']),
  outcome: z.enum(['ok', 'timeout', 'refused', 'unreachable', 'starttls-refused', 'error']),
  ms: z.number().nonnegative(),
  /** TLSv1.2, TLSv1.3, ... */
  protocol: z.string().optional(),
  cipher: z.string().optional(),
  /** What the chain was checked against; 'not-verified' with --insecure-tls. */
  trust: z.enum(['system', 'ca-file', 'not-verified']),
  caFile: z.string().optional(),
  chainValid: z.boolean().optional(),
  /** OpenSSL's reason, e.g. UNABLE_TO_GET_ISSUER_CERT_LOCALLY, SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED. */
  chainError: z.string().optional(),
  /** The name the certificate must carry: the DC's host name (or the address given with --dc). */
  expectedName: z.string(),
  nameMatches: z.boolean().optional(),
  nameError: z.string().optional(),
  certificate: certificateSummary.optional(),
  detail: z.string().optional(),
});
export type TlsResult = z.infer<typeof tlsResult>;

// ----- Kerberos

export const etypeInfo2Entry = z.object({ etype: z.number().int(), name: z.string(), salt: z.string().optional() });
export type EtypeInfo2Entry = z.infer<typeof etypeInfo2Entry>;

export const krbError = z.object({
  kind: z.literal('krb-error'),
  code: z.number().int(),
  /** KDC_ERR_PREAUTH_REQUIRED, ... or `error <n>`. */
  name: z.string(),
  /** The KDC's clock: stime + susec, ISO text. */
  serverTime: z.string(),
  serverTimeMs: z.number(),
  realm: z.string(),
  serverPrincipal: z.string(),
  clientRealm: z.string().optional(),
  clientPrincipal: z.string().optional(),
  eText: z.string().optional(),
  /** From e-data PA-ETYPE-INFO2, for error 25: the account's key types and salt. */
  etypeInfo2: z.array(etypeInfo2Entry),
});
export type KrbError = z.infer<typeof krbError>;

export const KDC_OUTCOMES = [
  /** The KDC answered with a KRB-ERROR (the normal answer to this request). */
  'krb-error',
  /** The KDC issued a ticket without pre-authentication (the account has DONT_REQUIRE_PREAUTH). */
  'as-rep',
  'timeout',
  'refused',
  'unreachable',
  'error',
] as const;
export type KdcOutcome = (typeof KDC_OUTCOMES)[number];
export type KdcTransport = 'udp' | 'tcp';

export const kdcExchange = z.object({
  address: z.string(),
  port: z.number().int(),
  transport: z.enum(['udp', 'tcp']),
  /** `name@REALM` asked about. */
  principal: z.string(),
  outcome: z.enum(KDC_OUTCOMES),
  ms: z.number().nonnegative(),
  error: krbError.optional(),
  /** KDC clock minus ours, in ms (positive: the KDC is ahead), from stime/susec. */
  clockSkewMs: z.number().optional(),
  detail: z.string().optional(),
});
export type KdcExchange = z.infer<typeof kdcExchange>;

export const kdcProbeEntry = kdcExchange.extend({ dc: z.string() });
export type KdcProbeEntry = z.infer<typeof kdcProbeEntry>;

export const kerberosFacts = z.object({
  /** Client name asked about; absent when only reachability and the clock were probed. */
  account: z.string().optional(),
  realm: z.string(),
  exchanges: z.array(kdcProbeEntry),
});
export type KerberosFacts = z.infer<typeof kerberosFacts>;
