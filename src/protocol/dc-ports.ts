/**
 * The ports a container host and its containers need on every DC: the rows of the guide's "Check the firewall
 * configuration" table, and the other ports of "Active Directory and AD DS port requirements" that a container
 * uses. The one table: the port probe asks each of them, the firewall check quotes the row.
 */
export interface DcPort {
  port: number;
  proto: 'tcp' | 'udp';
  service: string;
  /** The guide's firewall table row for this port, when the table lists it. */
  guideRow?: string;
}

const DNS = 'TCP and UDP 53 (DNS)';
const KERBEROS = 'TCP and UDP 88 (Kerberos)';
const LDAP = 'TCP and UDP 389 (LDAP)';

export const DC_PORTS: readonly DcPort[] = [
  { port: 53, proto: 'tcp', service: 'DNS', guideRow: DNS },
  { port: 53, proto: 'udp', service: 'DNS', guideRow: DNS },
  { port: 88, proto: 'tcp', service: 'Kerberos', guideRow: KERBEROS },
  { port: 88, proto: 'udp', service: 'Kerberos', guideRow: KERBEROS },
  { port: 139, proto: 'tcp', service: 'NetLogon (NetBIOS session)', guideRow: 'TCP 139 (NetLogon)' },
  { port: 389, proto: 'tcp', service: 'LDAP', guideRow: LDAP },
  { port: 389, proto: 'udp', service: 'LDAP (CLDAP ping)', guideRow: LDAP },
  { port: 445, proto: 'tcp', service: 'SMB (NetLogon over named pipes)' },
  { port: 464, proto: 'tcp', service: 'Kerberos password change' },
  { port: 636, proto: 'tcp', service: 'LDAP SSL', guideRow: 'TCP 636 (LDAP SSL)' },
  { port: 3268, proto: 'tcp', service: 'Global catalog' },
  { port: 3269, proto: 'tcp', service: 'Global catalog SSL' },
];

/** The guide's firewall table row of a port, or undefined when the table does not list it. */
export function guideRowOf(port: number): string | undefined {
  return DC_PORTS.find((p) => p.port === port && p.guideRow)?.guideRow;
}
