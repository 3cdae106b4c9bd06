import { cases } from '../_harness.js';
import { port } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'every port answers',
      facts: { 'net.ports': [port(88, 'udp', 'open'), port(88, 'tcp', 'open'), port(636, 'tcp', 'open', 'LDAP SSL')] },
      expect: [{ severity: 'pass', subject: 'dc1.contoso.com', message: /All 3 DC ports answer on dc1\.contoso\.com/ }],
    },
  ],
  failure: [
    {
      name: 'TCP 88 dropped by a firewall',
      facts: { 'net.ports': [port(88, 'tcp', 'filtered'), port(88, 'udp', 'open')] },
      expect: [
        {
          severity: 'error',
          subject: 'dc1.contoso.com TCP 88',
          message:
            /TCP 88 \(Kerberos\) on dc1\.contoso\.com is filtered: .*the guide's firewall table requires TCP and UDP 88 \(Kerberos\)/,
        },
      ],
    },
  ],
});
