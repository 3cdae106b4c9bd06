import { cases } from '../_harness.js';
import { kdc, krb } from '../_fixtures.js';

const skew = (ms: number) => ({
  'net.kerberos': {
    account: 'webapp01$',
    realm: 'CONTOSO.COM',
    exchanges: [kdc('udp', krb('krb-error-6-unknown.bin'), 'krb-error', ms)],
  },
});

export default cases({
  success: [
    {
      name: 'within a second',
      facts: skew(-400),
      expect: [
        {
          severity: 'pass',
          subject: 'dc1.contoso.com',
          message: /Clock skew with the KDC: 0\.4 s ahead of dc1\.contoso\.com \(limit 5 minutes\)/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'over five minutes',
      facts: skew(301_000),
      expect: [
        {
          severity: 'error',
          message: /This machine's clock is 301\.0 s behind dc1\.contoso\.com: more than the 5 minutes Kerberos allows/,
        },
      ],
    },
  ],
});
