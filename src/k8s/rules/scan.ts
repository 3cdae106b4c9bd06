/**
 * What the scan itself could not read: each becomes a "not checked" finding that names the permission it lacks,
 * never a crash and never a silent pass.
 */
import type { RuleContext } from '../context.js';
import type { Permission, ResourceKey } from '../model.js';
import { RESOURCE_KEYS } from '../model.js';
import type { K8sRule, RuleDraft } from '../rule.js';

/** `list on windows.k8s.io/gmsacredentialspecs (cluster-wide)`. */
export const permissionText = (p: Permission): string =>
  `${p.verb} on ${p.group || 'core'}/${p.resource}${p.namespace ? ` in namespace ${p.namespace}` : ' (cluster-wide)'}`;
const qualified = (p: Permission): string => (p.group ? `${p.resource}.${p.group}` : p.resource);

function grant(p: Permission): string[] {
  const role = `gmsa-doctor-${p.resource}`.slice(0, 63);
  return [
    `kubectl auth can-i ${p.verb} ${qualified(p)}${p.namespace ? ` -n ${p.namespace}` : ' --all-namespaces'}`,
    `kubectl create clusterrole ${role} --verb=${p.verb === 'list' ? 'get,list' : p.verb} --resource=${qualified(p)}`,
    `kubectl create clusterrolebinding ${role} --clusterrole=${role} --serviceaccount=NAMESPACE:NAME   # or --user=NAME`,
  ];
}

const permissions: K8sRule = {
  meta: {
    id: 'k8s/scan-permissions',
    link: null,
    title: 'The scan could read everything it judges',
    looksAt:
      'Every list the scan made (credspecs, CRDs, pods, workloads, RBAC, webhooks, Services, Endpoints, nodes, namespaces) and its access reviews.',
    why: 'What could not be read cannot be judged: each gap is reported with the permission it needs, so a clean report is never the result of a missing permission.',
    remediation:
      'Grant the scan read access (get, list) to what it names, and create on authorization.k8s.io/localsubjectaccessreviews; deploy/ has a least-privilege ClusterRole.',
  },
  needs: [],
  mode: 'cluster',
  check(ctx: RuleContext) {
    const out: RuleDraft[] = [];
    for (const key of RESOURCE_KEYS as readonly ResourceKey[]) {
      const c = ctx.collection(key);
      if (c?.state !== 'unavailable' || c.notFound) continue;
      out.push({
        severity: 'skipped',
        subject: 'cluster',
        message: c.permission
          ? `not checked: everything that needs ${key}, as the scan lacks ${permissionText(c.permission)}`
          : `not checked: everything that needs ${key} (${c.reason})`,
        evidence: { resource: key, reason: c.reason, ...(c.permission ? { permission: c.permission } : {}) },
        ...(c.permission
          ? {
              remediation: {
                text: 'Check and grant the permission (for the identity the kubeconfig uses):',
                commands: grant(c.permission),
              },
            }
          : {}),
      });
    }
    const reviews = [...(ctx.model.accessReviews?.values() ?? [])].filter((r) => 'unavailable' in r);
    if (reviews.length > 0) {
      const reason = (reviews[0] as { unavailable: string }).unavailable;
      out.push({
        severity: 'skipped',
        subject: 'cluster',
        message: `not checked by the API server: ${reviews.length} of the webhook's access questions (LocalSubjectAccessReviews) could not be asked (${reason}); the loaded RBAC objects answered them where they could be read`,
        remediation: {
          text: 'Let the scan create LocalSubjectAccessReviews:',
          commands: grant({ verb: 'create', group: 'authorization.k8s.io', resource: 'localsubjectaccessreviews' }),
        },
      });
    }
    return out;
  },
  subjects: () => ({ count: 0, noun: 'lists' }),
};

export const SCAN_RULES: readonly K8sRule[] = [permissions];
