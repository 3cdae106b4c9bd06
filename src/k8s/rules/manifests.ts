/**
 * Manifest files as `k8s lint` reads them: files that cannot be read, unrendered templates, removed API versions,
 * resources glued without `---`, repeated keys, and the Kubernetes schemas.
 */
import type { RuleContext } from '../context.js';
import type { LoadedFile } from '../load.js';
import type { K8sObject, ManifestObject } from '../model.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import { hasSchema, schemasLoaded, validateManifest } from '../schema-validation.js';
import { isTemplated } from '../templates.js';
import { get } from '../workloads.js';

const files = (ctx: RuleContext): readonly LoadedFile[] => ctx.model.files ?? [];
const fileSubjects = (ctx: RuleContext) => ({ count: files(ctx).length, noun: 'files' });
const objectSubjects = (ctx: RuleContext) => ({
  count: files(ctx).reduce((n, f) => n + f.objects.length, 0),
  noun: 'objects',
});
const objectsOf = (ctx: RuleContext): ManifestObject[] => files(ctx).flatMap((f) => f.objects);

const readable: K8sRule = {
  meta: {
    id: 'k8s/manifest-readable',
    link: 'manifest',
    title: 'Manifest files are readable YAML or JSON',
    looksAt:
      "Each file: text (UTF-8 or UTF-16), YAML or JSON syntax, size (32 MiB a file, 3 MiB an object: the API server's request limit), alias expansion and nesting depth.",
    why: 'kubectl cannot apply what it cannot parse, and an input past these bounds is refused rather than read for ever.',
    remediation:
      'Fix the syntax at the position shown; render templates (helm template, kustomize build) before linting their output.',
  },
  needs: [],
  mode: 'lint',
  check(ctx) {
    return files(ctx).flatMap((f) =>
      f.problems.map((p): RuleDraft => ({
        severity: f.templated && p.kind === 'syntax' ? 'info' : 'error',
        message: p.reason,
        subject: f.file,
        evidence: { kind: p.kind },
        location: { file: f.file, ...(p.position ? { line: p.position.line, column: p.position.column } : {}) },
      })),
    );
  },
  subjects: fileSubjects,
};

const template: K8sRule = {
  meta: {
    id: 'k8s/unrendered-template',
    link: null,
    title: 'Unrendered templates are judged only where they are literal',
    looksAt: 'Files holding Go/Helm template actions ({{ ... }}) or ${VAR} placeholders.',
    why: "A template's values are unknown until it is rendered: gmsa-doctor judges its literal parts (selectors, failurePolicy, nodeSelector) and leaves templated values alone.",
    remediation:
      'For a full judgement, lint the rendered output: helm template RELEASE CHART | gmsa-doctor k8s lint -, or kustomize build DIR > out.yaml.',
  },
  needs: [],
  mode: 'lint',
  check(ctx) {
    return files(ctx)
      .filter((f) => f.templated || f.skipped)
      .map((f): RuleDraft => ({
        severity: 'info',
        subject: f.file,
        message: f.skipped
          ? `not judged: ${f.skipped}`
          : `${f.file} is an unrendered template: ${f.objects.length} object${f.objects.length === 1 ? '' : 's'} judged where literal, templated values not judged`,
      }));
  },
  subjects: () => ({ count: 0, noun: 'files' }),
};

/** API versions Kubernetes stopped serving, and since which release. */
const REMOVED: Record<string, { release: string; use: string; kinds?: string[] }> = {
  'extensions/v1beta1': { release: '1.16', use: 'apps/v1', kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'] },
  'apps/v1beta1': { release: '1.16', use: 'apps/v1' },
  'apps/v1beta2': { release: '1.16', use: 'apps/v1' },
  'batch/v1beta1': { release: '1.25', use: 'batch/v1', kinds: ['CronJob'] },
  'rbac.authorization.k8s.io/v1beta1': { release: '1.22', use: 'rbac.authorization.k8s.io/v1' },
  'rbac.authorization.k8s.io/v1alpha1': { release: '1.22', use: 'rbac.authorization.k8s.io/v1' },
  'apiextensions.k8s.io/v1beta1': { release: '1.22', use: 'apiextensions.k8s.io/v1' },
  'admissionregistration.k8s.io/v1beta1': { release: '1.22', use: 'admissionregistration.k8s.io/v1' },
  'node.k8s.io/v1beta1': { release: '1.25', use: 'node.k8s.io/v1' },
  'discovery.k8s.io/v1beta1': { release: '1.25', use: 'discovery.k8s.io/v1' },
};

const apiVersion: K8sRule = {
  meta: {
    id: 'k8s/api-version',
    link: 'manifest',
    title: 'Manifests use API versions Kubernetes still serves',
    looksAt:
      'apiVersion of each object against the versions Kubernetes removed (apps/v1beta1 and extensions/v1beta1 workloads in 1.16, rbac and apiextensions v1beta1 in 1.22, batch/v1beta1 CronJob in 1.25...).',
    why: 'An object of a removed version cannot be applied: kubectl answers `no matches for kind "Deployment" in version "apps/v1beta1"`. Old gMSA docs still show apps/v1beta1 Deployments.',
    remediation: 'Change apiVersion to the current one (apps/v1 Deployments also need spec.selector).',
  },
  needs: [],
  mode: 'lint',
  check(ctx) {
    return objectsOf(ctx).flatMap((item): RuleDraft[] => {
      const { object } = item;
      const removed = REMOVED[object.apiVersion ?? ''];
      if (!removed || (removed.kinds && !removed.kinds.includes(object.kind ?? ''))) return [];
      const selector =
        removed.use === 'apps/v1' && object.kind !== 'ReplicaSet' && get(object, 'spec.selector') === undefined
          ? " and add spec.selector.matchLabels with the pod template's labels"
          : '';
      return [
        {
          severity: 'error',
          message: `${object.kind} ${object.metadata?.name ?? ''} is ${object.apiVersion}, which Kubernetes ${removed.release} removed: kubectl answers \`no matches for kind ${JSON.stringify(object.kind)} in version ${JSON.stringify(object.apiVersion)}\``,
          about: item,
          field: 'apiVersion',
          remediation: { text: `Use apiVersion: ${removed.use}${selector}.` },
        },
      ];
    });
  },
  subjects: objectSubjects,
};

const separated: K8sRule = {
  meta: {
    id: 'k8s/documents-separated',
    link: 'manifest',
    title: 'YAML resources are separated by ---',
    looksAt: 'Top-level apiVersion or kind repeated inside one YAML document.',
    why: 'Resources pasted one after another without --- become one mapping with repeated keys: kubectl rejects the file, lenient parsers keep only the last value of each key.',
    remediation: 'Put a line with --- between the resources.',
  },
  needs: [],
  mode: 'lint',
  check(ctx) {
    const seen = new Set<string>();
    return objectsOf(ctx).flatMap((item): RuleDraft[] => {
      const note = item.origin?.notes.find((n) => n.kind === 'glued-documents');
      const key = `${item.origin?.file}#${item.origin?.document}`;
      if (!note || seen.has(key)) return [];
      seen.add(key);
      return [{ severity: 'error', message: note.message, about: item }];
    });
  },
  subjects: objectSubjects,
};

const duplicateKeys: K8sRule = {
  meta: {
    id: 'k8s/duplicate-keys',
    link: null,
    title: 'No key appears twice in a manifest',
    looksAt:
      'Keys repeated inside one mapping of any object other than a GMSACredentialSpec (credspec/duplicate-keys covers those).',
    why: "Readers disagree on which value wins, and kubectl's strict decoding rejects the object.",
    remediation: 'Keep one of the two keys.',
  },
  needs: [],
  mode: 'lint',
  check(ctx) {
    return objectsOf(ctx)
      .filter((item) => item.object.kind !== 'GMSACredentialSpec' && !item.origin?.templated)
      .flatMap((item) =>
        (item.origin?.notes ?? [])
          .filter((n) => n.kind === 'duplicate-key')
          .map((n): RuleDraft => ({ severity: 'warning', message: n.message, about: item, field: n.field })),
      );
  },
  subjects: objectSubjects,
};

/** A schema error about a templated value (or inside one) says nothing about the rendered manifest. */
function aboutTemplate(object: K8sObject, field: string): boolean {
  let path = field;
  for (;;) {
    if (isTemplated(get(object, path))) return true;
    const up = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (up === path || up === '') return false;
    path = up;
  }
}

const schema: K8sRule = {
  meta: {
    id: 'k8s/manifest-schema',
    link: 'manifest',
    title: 'Manifests match the Kubernetes schemas',
    looksAt:
      'Each object of a kind a gMSA judgement reads (pods, workloads, RBAC, Services, CRDs, webhooks...) against the OpenAPI schema kubernetes-models 4.5.1 bundles: types, required fields, enums.',
    why: 'kubectl and the API server refuse such an object (`hostProcess: "yes"` is not a boolean), so it never reaches the cluster.',
    remediation: 'Give the field the type the schema asks for.',
  },
  needs: [],
  mode: 'lint',
  check(ctx) {
    const objects = objectsOf(ctx).filter((item) => hasSchema(item.object));
    if (objects.length > 0 && !schemasLoaded())
      return [
        {
          severity: 'skipped',
          subject: 'files',
          message: 'not checked: the Kubernetes schemas were not loaded (lintManifests loads them)',
        },
      ];
    return objects.flatMap((item) =>
      validateManifest(item.object)
        .filter((e) => !aboutTemplate(item.object, e.field))
        .map((e): RuleDraft => ({
          severity: 'error',
          message: `${e.field || 'the object'} ${e.message}: kubectl refuses this ${item.object.kind}`,
          about: item,
          field: e.field,
        })),
    );
  },
  subjects: objectSubjects,
};

export const MANIFEST_RULES: readonly K8sRule[] = [readable, template, apiVersion, separated, duplicateKeys, schema];
