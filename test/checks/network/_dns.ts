import type { DnsFacts, DnsLookup } from '../../../src/facts/network.js';

export const SRV = '_ldap._tcp.dc._msdcs.contoso.com';
export const lookup = (
  name: string,
  transport: 'udp' | 'tcp',
  outcome: DnsLookup['outcome'],
  type: DnsLookup['type'] = 'SRV',
): DnsLookup => ({ name, type, transport, outcome, ms: 5 });
export const dns = (lookups: DnsLookup[]): { 'net.dns': DnsFacts } => ({
  'net.dns': { server: { address: '10.213.37.2', port: 53, source: 'option' }, domain: 'contoso.com', lookups },
});
