import { cases } from '../_harness.js';
import { dns, lookup, SRV } from './_dns.js';

export default cases({
  success: [
    {
      name: "the locator record and the DC's A record answer (no AAAA is normal)",
      facts: dns([
        lookup(SRV, 'udp', 'answer'),
        lookup('dc1.contoso.com', 'udp', 'answer', 'A'),
        lookup('dc1.contoso.com', 'udp', 'nodata', 'AAAA'),
      ]),
      expect: [
        {
          severity: 'pass',
          message: "The AD SRV records for contoso.com and the DCs' host records resolve at 10.213.37.2.",
        },
      ],
    },
  ],
  failure: [
    {
      name: 'NXDOMAIN over both transports',
      facts: dns([lookup(SRV, 'udp', 'nxdomain'), lookup(SRV, 'tcp', 'nxdomain')]),
      expect: [{ severity: 'error', subject: SRV, message: /NXDOMAIN, the name does not exist/ }],
    },
    // It used to say nothing at all here: a silent pass.
    {
      name: 'no answer over either transport',
      facts: dns([lookup(SRV, 'udp', 'connection-refused'), lookup(SRV, 'tcp', 'timeout')]),
      expect: [
        {
          severity: 'skipped',
          message:
            'Skipped: 10.213.37.2 answered no lookup over UDP or TCP 53, so the AD records are unknown (see network/dns-transport).',
        },
      ],
    },
  ],
});
