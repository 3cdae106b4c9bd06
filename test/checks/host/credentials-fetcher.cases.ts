import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/**
 * credentials-fetcher's test client and daemon, as pasted in aws/credentials-fetcher threads (its failure line is
 * in evidence-samples/, from the description of credentials-fetcher#56; the daemon log of #178 fails in kinit,
 * which is account/kerberos-client's finding).
 */
export default cases({
  success: [
    {
      name: 'gmsa_test_client creates, deletes and creates again tickets for WebApp01 and WebApp03 (credentials-fetcher#54)',
      facts: {
        'paste.observations': pastedObservations('aws-credentials-fetcher-54__gmsa_test_client-create-success.txt'),
      },
      expect: [
        { severity: 'pass', subject: 'WebApp01', message: 'credentials-fetcher: ticket created for WebApp01.' },
        { severity: 'pass', subject: 'WebApp03', message: 'credentials-fetcher: ticket created for WebApp03.' },
        { severity: 'pass', subject: 'credentials-fetcher', message: 'credentials-fetcher: lease added.' },
        { severity: 'pass', subject: 'WebApp01', message: 'credentials-fetcher: ticket deleted for WebApp01.' },
        { severity: 'pass', subject: 'WebApp03', message: 'credentials-fetcher: ticket deleted for WebApp03.' },
        { severity: 'pass', subject: 'credentials-fetcher', message: 'credentials-fetcher: lease deleted.' },
        { severity: 'pass', subject: 'WebApp01', message: 'credentials-fetcher: ticket created for WebApp01.' },
        { severity: 'pass', subject: 'WebApp03', message: 'credentials-fetcher: ticket created for WebApp03.' },
        { severity: 'pass', subject: 'credentials-fetcher', message: 'credentials-fetcher: lease added.' },
      ],
    },
  ],
  failure: [
    {
      name: 'gmsa_test_client cannot get the gMSA ticket for a domainless lease (credentials-fetcher#56)',
      facts: {
        'paste.observations': pastedObservations(
          'evidence-samples/aws-credentials-fetcher-56__gmsa_test_client-cannot-get-krb-ticket.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'credentials-fetcher',
          fault: 'plugin-no-credentials',
          message: 'credentials-fetcher failed: 13: ERROR: Cannot get gMSA krb ticket',
        },
        {
          severity: 'error',
          subject: 'credentials-fetcher',
          message:
            'credentials-fetcher failed: Client received output for add kerberos lease non domain joined: RPC failed',
        },
      ],
    },
  ],
});
