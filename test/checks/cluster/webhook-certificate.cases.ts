import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/**
 * The gMSA webhook's serving certificate, as its users pasted its trouble (test/fixtures/evidence/): the API
 * server's x509 error, the webhook's log, the deploy script's CSR. No public paste shows an Issued CSR, the one
 * thing the check passes.
 */
export default cases({
  success: [
    {
      name: 'the webhook has no endpoint (amazon-eks-gmsa#6): nothing about its certificate',
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
      name: 'x509: certificate signed by unknown authority, on Rancher (windows-gmsa#54)',
      facts: {
        'paste.observations': pastedObservations('kubernetes-sigs-windows-gmsa-54__webhook-x509-unknown-authority.txt'),
      },
      expect: [
        {
          severity: 'error',
          subject: 'admission-webhook.windows-gmsa.sigs.k8s.io',
          fault: 'webhook-certificate',
          link: 'cluster',
          message:
            /^The API server does not trust webhook admission-webhook\.windows-gmsa\.sigs\.k8s\.io: its serving certificate is not signed by the caBundle of the webhook configuration/,
        },
      ],
    },
    {
      name: 'the webhook logs tls: bad certificate from the API server (windows-gmsa#153)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-153__webhook-log-tls-bad-certificate.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'gMSA webhook',
          fault: 'webhook-certificate',
          message:
            /^The gMSA webhook's certificate is unusable: its log shows `tls: bad certificate` from the API server/,
        },
      ],
    },
    {
      name: 'the webhook panics: no PEM data after the AKS certificates were rotated (Azure/AKS#2658)',
      facts: {
        'paste.observations': pastedObservations('Azure-AKS-2658__gmsa-webhook-panic-no-PEM-after-cert-rotation.txt'),
      },
      expect: [
        {
          severity: 'error',
          subject: 'gMSA webhook',
          fault: 'webhook-certificate',
          message: /its certificate secret holds no PEM data \(seen after the cluster certificates were rotated\)/,
        },
      ],
    },
    {
      name: 'Rancher: the CSR is Pending, then Approved, and never signed; the script gives up (windows-gmsa#19)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-19__deploy-script-signed-certificate-did-not-appear.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'gMSA webhook',
          fault: 'webhook-certificate',
          message:
            /its CertificateSigningRequest was approved but never issued a certificate: the cluster has no signer for the signer name it asks for/,
        },
        {
          severity: 'error',
          subject: 'CSR gmsa-webhook.gmsa-webhook',
          fault: 'webhook-certificate',
          message:
            /^CertificateSigningRequest gmsa-webhook.gmsa-webhook is Approved,? ?.*: it was approved but never issued: no signer of the cluster issues certificates/,
        },
      ],
    },
    {
      name: 'EKS approves the CSR and never signs it (windows-gmsa#49)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-49__deploy-script-eks-signed-certificate-did-not-appear.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'gMSA webhook',
          fault: 'webhook-certificate',
          message:
            /approved but never issued a certificate: the cluster has no signer for the signer name it asks for \(EKS, for one/,
        },
      ],
    },
    {
      name: 'the CSR for signer kubernetes.io/kubelet-serving stays Pending (windows-gmsa#54)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-54__deploy-script-csr-kubelet-serving-pending.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'CSR gmsa-webhook.gmsa-webhook',
          fault: 'webhook-certificate',
          link: 'cluster',
          message:
            'CertificateSigningRequest gmsa-webhook.gmsa-webhook is Pending: no one approved it (kubectl certificate approve), and a signer must then issue it for kubernetes.io/kubelet-serving; the webhook gets no certificate.',
        },
      ],
    },
  ],
});
