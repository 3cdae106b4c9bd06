import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/** Kerberos errors of Linux tools that use a gMSA, as pasted in their repositories' threads. */
export default cases({
  success: [
    {
      name: 'ldap_child: the KDC has no support for the keytab’s encryption type (SSSD/sssd#6427): the host’s keytab, a look-alike',
      facts: {
        'paste.observations': pastedObservations(
          'SSSD-sssd-6427__ldap_child-KDC-has-no-support-for-encryption-type-tilde-fence.txt',
        ),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'gmsad: KDC_ERR_CLIENT_REVOKED for a disabled gMSA (cea-sec/gmsad#7)',
      facts: {
        'paste.observations': pastedObservations('cea-sec-gmsad-7__gmsad-KDC_ERR_CLIENT_REVOKED-disabled-gmsa.txt'),
      },
      expect: [
        {
          severity: 'error',
          subject: 'mygmsa$',
          link: 'account',
          fault: 'account-disabled',
          message:
            'gmsad could not get a ticket for mygmsa$: the KDC says the account is disabled, locked out or expired (KDC_ERR_CLIENT_REVOKED).',
        },
      ],
    },
    {
      name: 'credentials-fetcherd: kinit finds no such client in the Kerberos database (aws/credentials-fetcher#178, real sample)',
      facts: {
        'paste.observations': pastedObservations(
          'evidence-samples/aws-credentials-fetcher-178__kinit-client-not-found.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'EXAMPLE.LOCALEXAMPLE.LOCAL@EXAMPLE.LOCAL',
          link: 'account',
          fault: 'account-missing',
          message:
            /^kinit could not get a ticket for EXAMPLE\.LOCALEXAMPLE\.LOCAL@EXAMPLE\.LOCAL: the KDC does not know the principal/,
        },
      ],
    },
  ],
});
