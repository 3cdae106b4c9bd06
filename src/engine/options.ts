export type LdapTransport = 'ldaps' | 'starttls' | 'ldap';

/** Everything `gmsa-doctor check` can be told. Each check family reads what concerns it. */
export interface CheckOptions {
  domain?: string;
  dc?: string;
  /** The gMSAs to judge, bare names; the first is the one the network probes ask DCs and KDCs about. */
  gmsas: string[];
  /** Computer account (container host) whose right to the gMSA password is judged. */
  host?: string;
  /** The host is this machine, found by discovery, rather than named with --host. */
  hostDiscovered?: boolean;
  credspec: string[];
  clientNames: string[];
  inspect: string[];
  events: string[];
  containers: string[];
  dnsServer?: string;
  timeoutMs: number;
  ldap: {
    transport: LdapTransport;
    caFile?: string;
    insecureTls: boolean;
    /** Simple bind; the password never comes from argv (environment, file or prompt). */
    user?: string;
    password?: string;
    /** SASL GSSAPI with the current Kerberos ticket. */
    kerberos: boolean;
  };
}
