import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/** The API server failing to call the gMSA webhook, as pasted from EKS clusters (test/fixtures/evidence/). */
export default cases({
  success: [
    {
      name: 'the API server reached the webhook and distrusted its certificate (windows-gmsa#54): the certificate’s finding',
      facts: {
        'paste.observations': pastedObservations('kubernetes-sigs-windows-gmsa-54__webhook-x509-unknown-authority.txt'),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'EKS: no endpoints available for service "webhook-svc" (amazon-eks-gmsa#6)',
      facts: {
        'paste.observations': pastedObservations(
          'aws-samples-amazon-eks-gmsa-6__replicaset-webhook-no-endpoints-available.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'admission-webhook.windows-gmsa.sigs.k8s.io',
          fault: 'webhook-unavailable',
          link: 'cluster',
          message:
            /^The API server cannot call webhook admission-webhook\.windows-gmsa\.sigs\.k8s\.io \(the gMSA webhook\): the webhook Service has no ready endpoint .*; pods it admits are not created\.$/,
        },
      ],
    },
    {
      name: 'EKS node group scaled to 0: the DaemonSet’s FailedCreate, cut after the URL (windows-gmsa#113)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-113__describe-daemonset-FailedCreate-webhook.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'admission-webhook.windows-gmsa.sigs.k8s.io',
          fault: 'webhook-unavailable',
          message:
            /: the call failed \(the rest of the error is not in the paste; the usual causes are webhook pods that are not running or not ready\)/,
        },
      ],
    },
  ],
});
