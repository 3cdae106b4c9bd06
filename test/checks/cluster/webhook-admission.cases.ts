import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/**
 * Denials of the windows-gmsa webhook. No public thread shows one pasted (the issues corpus and the repository
 * index were searched for the webhook's texts), so the failure rests on the composed sample of
 * test/fixtures/evidence-samples/ (PROVENANCE.md there): kubectl's and the API server's frames around the
 * webhook's own format strings, one line per denial. The success case is a real paste.
 */
export default cases({
  success: [
    {
      name: 'the API server could not call the webhook at all (amazon-eks-gmsa#6): no denial',
      facts: {
        'paste.observations': pastedObservations(
          'aws-samples-amazon-eks-gmsa-6__replicaset-webhook-no-endpoints-available.txt',
        ),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'composed sample: the five denials of the webhook, one finding each',
      facts: {
        'paste.observations': pastedObservations('evidence-samples/composed__windows-gmsa-webhook-denials.txt'),
      },
      expect: [
        {
          severity: 'error',
          subject: 'admission-webhook.windows-gmsa.sigs.k8s.io',
          link: 'pod',
          fault: 'pod-denied',
          message:
            'The gMSA webhook refused the pod: its service account may not `use` the GMSACredentialSpec (service account default, GMSACredentialSpec gmsa-webapp01).',
        },
        {
          severity: 'error',
          subject: 'admission-webhook.windows-gmsa.sigs.k8s.io',
          link: 'credspec',
          fault: 'k8s-credspec-wrong',
          message:
            'The gMSA webhook refused the pod: the GMSACredentialSpec it names does not exist (GMSACredentialSpec i-sure-dont-exist).',
        },
        {
          severity: 'error',
          subject: 'pod with-unmatching-contents',
          link: 'pod',
          fault: 'pod-denied',
          message:
            'The gMSA webhook refused pod with-unmatching-contents: the pod carries credential spec contents that are not those of the GMSACredentialSpec it names (GMSACredentialSpec gmsa-webapp01).',
        },
        {
          severity: 'error',
          subject: 'pod with-contents-no-name',
          link: 'pod',
          fault: 'pod-denied',
          message:
            'The gMSA webhook refused pod with-contents-no-name: the pod has credential spec contents but no gmsaCredentialSpecName.',
        },
        {
          severity: 'error',
          subject: 'pod with-gmsa',
          link: 'pod',
          fault: 'pod-denied',
          message: 'The gMSA webhook refused pod with-gmsa: a running pod’s gMSA settings cannot be changed.',
        },
      ],
    },
  ],
});
