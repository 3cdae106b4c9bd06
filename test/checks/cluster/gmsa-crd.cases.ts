import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/** kubectl refusing the GMSACredentialSpec kind, as pasted in public threads (test/fixtures/evidence/). */
export default cases({
  success: [
    {
      name: 'kubectl refused a CertificateSigningRequest, not the GMSACredentialSpec (windows-gmsa#33): nothing of the CRD',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-33__deploy-script-no-matches-for-kind-CertificateSigningRequest.txt',
        ),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1" (windows-gmsa#79)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-79__no-matches-for-kind-GMSACredentialSpec-v1.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'GMSACredentialSpec windows.k8s.io/v1',
          fault: 'crd-missing',
          link: 'cluster',
          message:
            'The cluster does not serve GMSACredentialSpec in windows.k8s.io/v1: the windows-gmsa CRD is not installed.',
        },
      ],
    },
    {
      name: 'kubectl apply of a v1alpha1 GMSACredentialSpec on AKS 1.22 (MicrosoftDocs/azure-docs#94224): the CRD, or an old version',
      facts: {
        'paste.observations': pastedObservations(
          'MicrosoftDocs-azure-docs-94224__kubectl-apply-no-matches-GMSACredentialSpec-v1alpha1.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'GMSACredentialSpec windows.k8s.io/v1alpha1',
          fault: 'crd-missing',
          link: 'cluster',
          message:
            'The cluster does not serve GMSACredentialSpec in windows.k8s.io/v1alpha1: the windows-gmsa CRD is not installed, or the manifest asks for a version it no longer serves (windows.k8s.io/v1 is current).',
        },
      ],
    },
  ],
});
