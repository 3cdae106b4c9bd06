import { defineCheck } from '../../engine/check.js';
import type { PastedObservationOf } from '../../facts/pasted.js';
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

/** The webhook's Service: named in the error (`ns/name` or `name`), or the host of its URL (`name.ns.svc`). */
function serviceOf(o: PastedObservationOf<'webhook-call'>): { name?: string; namespace?: string } {
  const fromUrl = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\b/i.exec(o.url ?? '');
  const [first, second] = (o.service ?? '').split('/');
  const named = second ? { namespace: first, name: second } : first ? { name: first } : {};
  return {
    ...(fromUrl ? { name: fromUrl[1], namespace: fromUrl[2] } : {}),
    ...named,
    ...(fromUrl && !second ? { namespace: fromUrl[2] } : {}),
  };
}

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
        const { name, namespace } = serviceOf(o);
        const service = name ? `service ${namespace ? `${namespace}/` : ''}${name}` : 'the webhook service';
        return aboutObservation(o, {
          severity: 'error',
          subject: o.webhook,
          message: `The API server cannot call webhook ${o.webhook}${o.gmsaWebhook ? ' (the gMSA webhook)' : ''}: ${WHY[o.problem as keyof typeof WHY]}; pods it admits are not created.`,
          remediation: {
            text: `Look at ${service}: its endpoints, its pods and the nodes they can run on.`,
            commands: [
              `kubectl get endpoints -n ${namespace ?? '<namespace>'} ${name ?? '<webhook-service>'}`,
              `kubectl get pods -n ${namespace ?? '<namespace>'} -o wide`,
              'kubectl get nodes -l kubernetes.io/os=linux',
            ],
          },
        });
      });
  },
});
