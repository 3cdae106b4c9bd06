import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { PastedObservationOf } from '../../facts/pasted.js';
import { aboutObservation, observed } from '../_paste.js';

const COMMANDS = [
  'kubectl get validatingwebhookconfiguration,mutatingwebhookconfiguration -o yaml | grep -A3 -i gmsa',
  'kubectl get csr',
];

function callFinding(o: PastedObservationOf<'webhook-call'>): FindingDraft | undefined {
  if (o.problem !== 'x509-unknown-authority' && o.problem !== 'x509' && o.problem !== 'tls') return undefined;
  const why =
    o.problem === 'x509-unknown-authority'
      ? "its serving certificate is not signed by the caBundle of the webhook configuration (the configuration's caBundle and the certificate in the webhook's secret come from different CAs)"
      : `the TLS connection failed (${o.detail})`;
  return aboutObservation(o, {
    severity: 'error',
    subject: o.webhook,
    message: `The API server does not trust webhook ${o.webhook}: ${why}.`,
    remediation: {
      text: "Reissue the webhook's serving certificate and put its CA in the webhook configurations' caBundle (re-run the chart or deploy script).",
      commands: COMMANDS,
    },
  });
}

const LOG_WHY = {
  'tls-bad-certificate':
    'its log shows `tls: bad certificate` from the API server: the API server does not trust the certificate the webhook serves (caBundle and certificate differ)',
  'tls-handshake': 'its log shows TLS handshakes with the API server failing',
  'no-pem-data':
    'its certificate secret holds no PEM data (seen after the cluster certificates were rotated), so it cannot start',
  certificate: 'it cannot read or use its certificate',
  'certificate-not-issued':
    'its CertificateSigningRequest was approved but never issued a certificate: the cluster has no signer for the signer name it asks for (EKS, for one, signs no legacy-unknown requests)',
  other: 'it reports a certificate problem',
} as const;

/** Why a request listed by `kubectl get csr` has no certificate yet. */
function csrState(condition: string, denied: boolean, signer: string | undefined): string {
  if (denied) return 'it was refused';
  const by = signer ? ` for ${signer}` : '';
  if (/\bApproved\b/i.test(condition))
    return `it was approved but never issued: no signer of the cluster issues certificates${by}`;
  return `no one approved it (kubectl certificate approve), and a signer must then issue it${by}`;
}

export default defineCheck({
  meta: {
    id: 'cluster/webhook-certificate',
    title: "The gMSA webhook's serving certificate is issued and trusted",
    section: 'kubernetes',
    link: 'cluster',
    fault: 'webhook-certificate',
    looksAt:
      "Pasted webhook call errors (`x509: certificate signed by unknown authority`), the webhook's own log (`tls: bad certificate`, no PEM data), its deploy script's output and `kubectl get csr` (Approved but not Issued).",
    why: 'The API server calls the webhook over TLS: without a certificate it trusts, every pod the webhook admits is refused.',
    remediation:
      "Issue the webhook a certificate from a signer the cluster has (cert-manager, or the chart's own CA) and put that CA in the webhook configurations' caBundle.",
  },
  needs: ['paste.observations'],
  run(facts) {
    const calls = observed(facts, 'webhook-call').flatMap((o) => callFinding(o) ?? []);
    const logs = observed(facts, 'webhook-log').map((o) =>
      aboutObservation(o, {
        severity: o.problem === 'other' ? 'warning' : 'error',
        subject: 'gMSA webhook',
        message: `The gMSA webhook's certificate is unusable: ${LOG_WHY[o.problem]}.`,
        remediation: {
          text: "Reissue the webhook's certificate (cert-manager, or the chart's CA) and restart the webhook pods.",
          commands: COMMANDS,
        },
      }),
    );
    // `kubectl get csr` pasted twice (Pending, then Approved): the last state of each request is its state.
    const latest = new Map(observed(facts, 'csr').map((o) => [o.name, o]));
    const csrs = [...latest.values()].map((o) => {
      const issued = /\bIssued\b/i.test(o.condition);
      const denied = /\b(?:Denied|Failed)\b/i.test(o.condition);
      return aboutObservation(o, {
        severity: issued ? 'pass' : 'error',
        subject: `CSR ${o.name}`,
        message: issued
          ? `CertificateSigningRequest ${o.name} was issued a certificate (${o.condition}).`
          : `CertificateSigningRequest ${o.name} is ${o.condition}: ${csrState(o.condition, denied, o.signerName)}; the webhook gets no certificate.`,
        ...(issued
          ? {}
          : {
              remediation: {
                text: 'Use a signer the cluster runs (EKS: use cert-manager or the chart’s self-signed CA rather than a CSR), or approve the request if it is Pending.',
                commands: [`kubectl get csr ${o.name} -o yaml`],
              },
            }),
      });
    });
    return [...calls, ...logs, ...csrs];
  },
});
