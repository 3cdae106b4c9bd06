import { cases } from '../_harness.js';
import { dns, lookup, SRV } from './_dns.js';

export default cases({
  success: [
    {
      name: 'UDP and TCP 53 answer',
      facts: dns([lookup(SRV, 'udp', 'answer'), lookup(SRV, 'tcp', 'answer')]),
      expect: [
        { severity: 'pass', message: 'DNS server 10.213.37.2 (option) answers over UDP 53 and TCP 53 (2 lookups).' },
      ],
    },
  ],
  failure: [
    {
      name: 'TCP 53 blocked',
      facts: dns([lookup(SRV, 'udp', 'answer'), lookup(SRV, 'tcp', 'timeout')]),
      expect: [
        {
          severity: 'error',
          subject: '10.213.37.2:53/tcp',
          message: /DNS over TCP 53 to 10\.213\.37\.2: filtered.*while UDP 53 answers/,
        },
      ],
    },
  ],
});
