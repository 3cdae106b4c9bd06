import { cases } from '../_harness.js';
import { ping } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'the lab DC knows webapp01$',
      facts: { 'net.cldap': [ping('cldap-ping-user-webapp01.bin', 'webapp01$')] },
      expect: [
        {
          severity: 'pass',
          subject: 'dc1.contoso.com',
          message: /answers the LDAP ping \(site Default-First-Site-Name, knows webapp01\$\)/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'the DC does not know the account',
      facts: { 'net.cldap': [ping('cldap-ping-user-unknown.bin', 'nosuch$')] },
      expect: [
        {
          severity: 'error',
          fault: 'account-unusable',
          link: 'account',
          echoes: 'account/exists',
          message: /does not know nosuch\$ as a workstation trust account \(LOGON_SAM_USER_UNKNOWN_EX\)/,
        },
      ],
    },
    {
      name: 'UDP 389 dropped',
      facts: { 'net.cldap': [{ dc: 'dc1.contoso.com', address: '10.213.37.2', outcome: 'filtered', ms: 3000 }] },
      expect: [{ severity: 'error', message: /LDAP ping \(UDP 389\) to dc1\.contoso\.com filtered/ }],
    },
  ],
});
