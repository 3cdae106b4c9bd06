import { defineCheck } from '../../engine/check.js';
import type { ChainLinkId } from '../../engine/chain.js';
import type { PastedObservationOf } from '../../facts/pasted.js';
import { aboutObservation, observed } from '../_paste.js';

type Reason = PastedObservationOf<'webhook-denial'>['reason'];

const WHY: Record<Reason, { link: ChainLinkId; text: string; fix: string }> = {
  'not-authorized': {
    link: 'pod',
    text: 'its service account may not `use` the GMSACredentialSpec',
    fix: 'Bind a ClusterRole with verbs [use] on gmsacredentialspecs/<name> to the pod’s service account.',
  },
  'contents-mismatch': {
    link: 'pod',
    text: 'the pod carries credential spec contents that are not those of the GMSACredentialSpec it names',
    fix: 'Remove gmsaCredentialSpec from the pod spec and name only gmsaCredentialSpecName: the webhook fills in the contents.',
  },
  'name-missing': {
    link: 'pod',
    text: 'the pod has credential spec contents but no gmsaCredentialSpecName',
    fix: 'Name the GMSACredentialSpec in securityContext.windowsOptions.gmsaCredentialSpecName.',
  },
  'credspec-not-found': {
    link: 'credspec',
    text: 'the GMSACredentialSpec it names does not exist',
    fix: 'Create the GMSACredentialSpec (cluster-scoped) or correct the name in the pod spec.',
  },
  'credspec-no-key': {
    link: 'credspec',
    text: 'the GMSACredentialSpec has no credspec key',
    fix: 'Recreate the GMSACredentialSpec with its contents under `credspec:`.',
  },
  'credspec-unreadable': {
    link: 'credspec',
    text: 'the webhook could not read the GMSACredentialSpec',
    fix: 'Check the resource with `gmsa-doctor k8s lint` and the webhook’s RBAC to read it.',
  },
  'cannot-update': {
    link: 'pod',
    text: 'a running pod’s gMSA settings cannot be changed',
    fix: 'Delete and recreate the pod (or roll the Deployment) to change its credential spec.',
  },
  other: { link: 'pod', text: 'the webhook refused it', fix: 'Read the webhook’s message and its log.' },
};

/** ` (service account default, GMSACredentialSpec gmsa-webapp01)`: what the denial names. */
function named(o: PastedObservationOf<'webhook-denial'>): string {
  const parts = [
    o.serviceAccount ? `service account ${o.serviceAccount}` : '',
    o.credspec ? `GMSACredentialSpec ${o.credspec}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export default defineCheck({
  meta: {
    id: 'cluster/webhook-admission',
    title: 'The gMSA webhook admits the pod',
    section: 'kubernetes',
    link: 'pod',
    fault: 'pod-denied',
    looksAt:
      'Pasted denials of the windows-gmsa admission webhook: `admission webhook "admission-webhook.windows-gmsa.sigs.k8s.io" denied the request: ...` (not authorized to use, contents mismatch, credspec not found).',
    why: 'A denied pod is never created; the message says which of the pod, its service account or the GMSACredentialSpec is wrong.',
    remediation: 'Fix what the denial names: the RBAC of the service account, the pod spec, or the GMSACredentialSpec.',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'webhook-denial').map((o) => {
      const why = WHY[o.reason];
      // The denial names the service account without its namespace (`service account "default"`).
      const account = o.serviceAccount?.includes(':')
        ? o.serviceAccount
        : `<namespace>:${o.serviceAccount ?? '<service-account>'}`;
      const credspec = o.credspec ?? '<credspec>';
      const what = o.resource ? `${o.resourceKind ?? 'pod'} ${o.resource}` : 'the pod';
      return aboutObservation(o, {
        severity: 'error',
        link: why.link,
        ...(why.link === 'credspec' ? { fault: 'k8s-credspec-wrong' as const } : {}),
        subject: o.resource ? what : o.webhook,
        message: `The gMSA webhook refused ${what}: ${why.text}${named(o)}.`,
        remediation: {
          text: why.fix,
          commands:
            o.reason === 'not-authorized'
              ? [`kubectl auth can-i use gmsacredentialspec/${credspec} --as=system:serviceaccount:${account}`]
              : [`kubectl get gmsacredentialspec ${credspec} -o yaml`],
        },
      });
    });
  },
});
