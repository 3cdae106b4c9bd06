import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/** The windows-gmsa deploy script stopped by kubectl, as its users pasted it (test/fixtures/evidence/). */
export default cases({
  success: [
    {
      name: 'kubectl refused the GMSACredentialSpec kind (windows-gmsa#79): the CRD’s finding, not the install’s',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-79__no-matches-for-kind-GMSACredentialSpec-v1.txt',
        ),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'Kubernetes 1.18: the script asks for a certificates.k8s.io/v1 CSR (windows-gmsa#33)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-33__deploy-script-no-matches-for-kind-CertificateSigningRequest.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'CertificateSigningRequest certificates.k8s.io/v1',
          fault: 'webhook-install-failed',
          link: 'cluster',
          message:
            'The cluster does not serve CertificateSigningRequest in certificates.k8s.io/v1: the install asks for an API version this Kubernetes release does not have.',
        },
      ],
    },
    {
      name: 'the script’s v1 CSR lacks signerName (windows-gmsa#32)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-32__deploy-script-csr-missing-signerName.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          fault: 'webhook-install-failed',
          link: 'cluster',
          message:
            'The cluster requires field CertificateSigningRequest.spec.signerName in CertificateSigningRequest, which the install does not set (an install written for an older API version).',
        },
      ],
    },
  ],
});
