import { cases } from '../_harness.js';
import { domain, host, webapp01 } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'gMSA and host of one domain',
      facts: { 'ad.domain': domain(), 'ad.host': { name: 'containerhost01', host: host() } },
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [
        {
          severity: 'pass',
          subject: 'containerhost01$',
          message: /webapp01\$ and containerhost01\$ are both in contoso\.com/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a host named by a FQDN of another domain',
      facts: { 'ad.domain': domain(), 'ad.host': { name: 'containerhost01', domain: 'fabrikam.com', host: null } },
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [
        {
          severity: 'error',
          subject: 'containerhost01.fabrikam.com',
          message: /is in fabrikam\.com, the gMSA webapp01\$ in contoso\.com/,
        },
      ],
    },
  ],
});
