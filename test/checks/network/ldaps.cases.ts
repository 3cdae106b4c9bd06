import { cases } from '../_harness.js';
import { tls } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'a verified certificate for the DC name',
      facts: { 'net.tls': [tls()] },
      expect: [
        {
          severity: 'pass',
          subject: 'dc1.contoso.com:636',
          message: /LDAPS \(TCP 636\): TLSv1\.3, certificate for dc1\.contoso\.com verifies \(lab-ca\.pem\)/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'an untrusted chain',
      facts: { 'net.tls': [tls({ chainValid: false, chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' })] },
      expect: [
        {
          severity: 'error',
          message: /chain does not verify against the CA file lab-ca\.pem: UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
        },
      ],
    },
  ],
});
