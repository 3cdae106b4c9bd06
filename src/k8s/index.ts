/**
 * The Kubernetes judgement of gmsa-doctor, pure: manifests loaded from text (`loadManifests`), a model of what a
 * gMSA scan reads (`lintModel` for files, `collectionFromList` for a cluster's lists), and the rules, each a pure
 * function over the model (`judge`). No I/O here: src/probes/k8s reads clusters, the CLI reads files.
 */
import { CRD_RULES } from './rules/crd.js';
import { CREDSPEC_RULES } from './rules/credspecs.js';
import { MANIFEST_RULES } from './rules/manifests.js';
import { NODE_RULES } from './rules/nodes.js';
import { NODE_CHECK_RULE } from './rules/node-checks.js';
import { RBAC_RULES } from './rules/rbac.js';
import { SCAN_RULES } from './rules/scan.js';
import { SHARED_RULES } from './rules/shared.js';
import { WEBHOOK_RULES } from './rules/webhook.js';
import { WORKLOAD_RULES } from './rules/workloads.js';
import { RuleContext } from './context.js';
import type { ClusterModel } from './model.js';
import { accessReviewKey } from './model.js';
import type { LoadedFile } from './load.js';
import { lintModel } from './model.js';
import { loadManifestSchemas } from './schema-validation.js';
import { isTemplated } from './templates.js';
import { serviceAccountOf } from './workloads.js';
import type { Judgement, K8sRule } from './rule.js';
import { IGNORE_ANNOTATION_RULE, judge } from './rule.js';

/** Every rule, in report order: what could not be read, the files, the CRD, credspecs, webhook, workloads, RBAC, nodes. */
export const K8S_RULES: readonly K8sRule[] = [
  ...SCAN_RULES,
  ...MANIFEST_RULES,
  ...CRD_RULES,
  ...CREDSPEC_RULES,
  ...WEBHOOK_RULES,
  ...WORKLOAD_RULES,
  ...SHARED_RULES,
  ...RBAC_RULES,
  ...NODE_RULES,
  NODE_CHECK_RULE,
  IGNORE_ANNOTATION_RULE,
];

export function judgeModel(model: ClusterModel, rules: readonly K8sRule[] = K8S_RULES): Judgement {
  return judge(model, rules);
}

/** `k8s lint`: the files as loadManifests read them, judged with the Kubernetes schemas loaded. */
export async function lintManifests(files: readonly LoadedFile[], now = new Date()): Promise<Judgement> {
  await loadManifestSchemas();
  return judge(lintModel(files, now), K8S_RULES);
}

export { loadManifests } from './load.js';
export { loadManifestSchemas } from './schema-validation.js';
export type { LoadedFile, LoadProblem } from './load.js';
export { collectionFromList, lintModel, accessReviewKey, subjectOf, RESOURCE_KEYS } from './model.js';
export type { ClusterModel, Collection, K8sObject, ManifestObject, ResourceKey } from './model.js';
export { admissionDenial, apiServerText } from './admission.js';
export { podMatters, workloadMatters } from './workloads.js';
export { webhookTargets } from './webhook-targets.js';
export type { WebhookTarget } from './webhook-targets.js';
export { ruleDocs, unreadableNeed } from './rule.js';
export { permissionText } from './rules/scan.js';
export { IGNORE_ANNOTATION, toFinding } from './rule.js';
export { NODE_CHECK_RULE } from './rules/node-checks.js';
export type { Judgement, K8sRule } from './rule.js';

/**
 * The LocalSubjectAccessReviews a scan should ask (each once): for every workload using a gMSA, its namespace, its
 * service account and each credspec it names. Their answers go into ClusterModel.accessReviews by accessReviewKey.
 */
export function accessQuestions(
  model: ClusterModel,
): { namespace: string; serviceAccount: string; credspec: string }[] {
  const ctx = new RuleContext(model);
  const seen = new Map<string, { namespace: string; serviceAccount: string; credspec: string }>();
  for (const w of ctx.gmsaWorkloads()) {
    const serviceAccount = serviceAccountOf(w);
    for (const u of w.usages) {
      if (u.name === undefined || isTemplated(u.name) || isTemplated(serviceAccount)) continue;
      seen.set(accessReviewKey(w.namespace, serviceAccount, u.name), {
        namespace: w.namespace,
        serviceAccount,
        credspec: u.name,
      });
    }
  }
  return [...seen.values()];
}
