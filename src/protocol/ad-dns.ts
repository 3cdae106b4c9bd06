/** The DNS records of an Active Directory domain: what a Windows client (and CCG in a container) looks up. */

/** The AD records a Windows client (and CCG in a container) looks up, `%s` being the DNS domain. */
export const AD_SRV_RECORDS = [
  '_ldap._tcp.dc._msdcs.%s',
  '_kerberos._tcp.%s',
  '_kerberos._udp.%s',
  '_gc._tcp.%s',
  '_kpasswd._tcp.%s',
];
export const DC_LOCATOR_SRV = '_ldap._tcp.dc._msdcs.%s';
