import { cases } from '../_harness.js';

export default cases({
  success: [
    {
      name: 'one DC from the SRV record, with its address',
      facts: { 'dc.candidates': [{ host: 'dc1.contoso.com', port: 389, source: 'dns-srv', address: '10.213.37.2' }] },
      expect: [
        { severity: 'pass', message: 'Found 1 DC (from DNS SRV _ldap._tcp.dc._msdcs): dc1.contoso.com 10.213.37.2.' },
      ],
    },
  ],
  failure: [
    {
      name: 'no SRV record',
      unavailable: { 'dc.candidates': 'SRV _ldap._tcp.dc._msdcs.contoso.com @10.213.37.2 over UDP: nxdomain' },
      expect: [
        {
          severity: 'error',
          message: 'No domain controller found: SRV _ldap._tcp.dc._msdcs.contoso.com @10.213.37.2 over UDP: nxdomain.',
        },
      ],
    },
    {
      name: 'a DC name that does not resolve',
      facts: {
        'dc.candidates': [
          {
            host: 'dc2.contoso.com',
            port: 389,
            source: 'dns-srv',
            unresolved: 'A dc2.contoso.com @10.213.37.2: nxdomain',
          },
        ],
      },
      expect: [{ severity: 'error', subject: 'dc2.contoso.com', message: /has no address: A dc2\.contoso\.com/ }],
    },
  ],
});
