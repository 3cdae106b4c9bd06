import { cases } from '../_harness.js';
import { kdc, krb } from '../_fixtures.js';

const kerberos = (...exchanges: ReturnType<typeof kdc>[]) => ({
  'net.kerberos': { account: 'webapp01$', realm: 'CONTOSO.COM', exchanges },
});

export default cases({
  success: [
    {
      name: 'known, with its keys (captured from the lab KDC)',
      facts: kerberos(kdc('tcp', krb('krb-error-25-containerhost01-etype-info2.bin'))),
      expect: [
        {
          severity: 'pass',
          subject: 'dc1.contoso.com TCP 88',
          message: /the KDC knows the account; its keys: aes256-cts-hmac-sha1-96/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'unknown to the KDC',
      facts: kerberos(kdc('udp', krb('krb-error-6-unknown.bin'))),
      expect: [
        { severity: 'error', message: /KDC_ERR_C_PRINCIPAL_UNKNOWN, the KDC does not know webapp01\$@CONTOSO\.COM/ },
      ],
    },
    {
      name: 'known, but no keys (Samba never computes gMSA keys)',
      facts: kerberos(kdc('udp', krb('krb-error-25-webapp01-gmsa.bin'))),
      expect: [{ severity: 'warning', message: /lists no keys for it/ }],
    },
  ],
});
