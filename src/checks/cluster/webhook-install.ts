import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

export default defineCheck({
  meta: {
    id: 'cluster/webhook-install',
    title: "The gMSA webhook's install asks only for what the cluster serves",
    section: 'kubernetes',
    link: 'cluster',
    fault: 'webhook-install-failed',
    looksAt:
      'kubectl errors pasted from the webhook deploy script or chart: `no matches for kind "CertificateSigningRequest" in version "certificates.k8s.io/v1"`, `missing required field "signerName"`, invalid values.',
    why: 'A deploy script written for another Kubernetes version stops half way: no certificate, no webhook, and pods that need a credential spec are refused or run without it.',
    remediation:
      'Use the release of the chart or deploy script made for the cluster’s Kubernetes version (`kubectl version`), or install with the Helm chart.',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'kubectl-error')
      .filter((o) => !/^GMSACredentialSpec$/i.test(o.resourceKind ?? ''))
      .filter(
        (o) =>
          o.problem === 'no-matches-for-kind' ||
          o.problem === 'missing-required-field' ||
          o.problem === 'invalid-value',
      )
      .map((o) =>
        aboutObservation(o, {
          severity: 'error',
          subject: [o.resourceKind, o.apiVersion].filter(Boolean).join(' ') || 'kubectl apply',
          message:
            o.problem === 'no-matches-for-kind'
              ? `The cluster does not serve ${o.resourceKind ?? 'the kind'}${o.apiVersion ? ` in ${o.apiVersion}` : ''}: the install asks for an API version this Kubernetes release does not have.`
              : o.problem === 'missing-required-field'
                ? `The cluster requires field ${o.field ?? '(named in the error)'} in ${o.resourceKind ?? 'the resource'}, which the install does not set (an install written for an older API version).`
                : `kubectl refused a value of the install: ${o.message}`,
          remediation: {
            text: 'Match the install to the cluster: see which versions it serves, then use the chart or script release made for it.',
            commands: [
              'kubectl version',
              `kubectl api-versions | grep -i ${(o.apiVersion ?? 'certificates').split('/')[0]}`,
            ],
          },
        }),
      );
  },
});
