import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

const WHY = {
  'no-endpoints':
    'the webhook Service has no ready endpoint (its pods are not running: no Linux node, a node group scaled to 0, a crash loop)',
  timeout:
    'the API server got no answer from the webhook in time (its pods are slow or a network policy or firewall drops the call)',
  'connection-refused': 'nothing listens where the webhook Service points (the pod is starting, or the port is wrong)',
  'not-found': 'the webhook Service the configuration names does not exist',
  other:
    'the call failed (the rest of the error is not in the paste; the usual causes are webhook pods that are not running or not ready)',
} as const;

export default defineCheck({
  meta: {
    id: 'cluster/webhook-reachable',
    title: 'The API server can call the gMSA admission webhook',
    section: 'kubernetes',
    link: 'cluster',
    fault: 'webhook-unavailable',
    looksAt:
      'Pasted `failed calling webhook "admission-webhook.windows-gmsa.sigs.k8s.io"` errors (kubectl describe events, kubectl apply, ReplicaSet FailedCreate): no endpoints, timeouts, refused connections.',
    why: 'With failurePolicy Fail, a webhook the API server cannot call blocks every pod it matches: none is created, gMSA or not.',
    remediation:
      'Get the webhook pods running (they need a Linux node), then recreate the pods; look at the webhook Deployment and Service.',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'webhook-call')
      .filter((o) => o.problem in WHY)
      .map((o) => {
        const service = o.service ?? 'the webhook service';
        const [namespace] = (o.service ?? '').split('/');
        return aboutObservation(o, {
          severity: 'error',
          subject: o.webhook,
          message: `The API server cannot call webhook ${o.webhook}${o.gmsaWebhook ? ' (the gMSA webhook)' : ''}: ${WHY[o.problem as keyof typeof WHY]}; pods it admits are not created.`,
          remediation: {
            text: `Look at ${service}: its endpoints, its pods and the nodes they can run on.`,
            commands: [
              `kubectl get endpoints -n ${namespace || '<namespace>'} ${o.service?.split('/')[1] ?? '<webhook-service>'}`,
              `kubectl get pods -n ${namespace || '<namespace>'} -o wide`,
              'kubectl get nodes -l kubernetes.io/os=linux',
            ],
          },
        });
      });
  },
});
