/**
 * The GMSACredentialSpec CRD: installed, its versions, and whether its schema keeps every credspec field (the API
 * server prunes what the schema does not list, silently); and each credspec compared with what its CRD keeps.
 */
import type { JSONSchemaProps } from '../../protocol/k8s/structural-schema.js';
import { formatFieldError, pruneCustomResource, validateAgainstSchema } from '../../protocol/k8s/structural-schema.js';
import type { RuleContext } from '../context.js';
import { CURRENT_CREDSPEC_SCHEMA, EVERY_CREDSPEC_FIELD, GMSA_CRD_NAME, GMSA_GROUP } from '../credspec-schema.js';
import type { ManifestObject } from '../model.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import { isTemplated } from '../templates.js';
import { get } from '../workloads.js';

const CRD_URL =
  'https://raw.githubusercontent.com/kubernetes-sigs/windows-gmsa/master/admission-webhook/deploy/gmsa-crd.yml';
const UPGRADE_CRD = {
  text: "Install the current CRD (Helm never upgrades files under a chart's crds/, so a cluster that installed an old chart keeps its old CRD), then apply every GMSACredentialSpec again: what was pruned is gone from etcd.",
  commands: [`kubectl apply -f ${CRD_URL}`, 'kubectl get gmsacredentialspecs -o name'],
};

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  schema?: JSONSchemaProps;
  index: number;
}

function versionsOf(crd: ManifestObject): CrdVersion[] {
  const versions = (crd.object.spec as { versions?: unknown } | undefined)?.versions;
  type Raw = {
    name?: unknown;
    served?: unknown;
    storage?: unknown;
    deprecated?: unknown;
    schema?: { openAPIV3Schema?: JSONSchemaProps };
  };
  return (Array.isArray(versions) ? (versions as Raw[]) : []).map((v, index) => ({
    name: typeof v?.name === 'string' ? v.name : '',
    served: v?.served === true,
    storage: v?.storage === true,
    deprecated: v?.deprecated === true,
    ...(v?.schema?.openAPIV3Schema ? { schema: v.schema.openAPIV3Schema } : {}),
    index,
  }));
}

export function gmsaCrds(ctx: RuleContext): ManifestObject[] {
  return ctx
    .items('customresourcedefinitions')
    .filter(
      (c) =>
        c.object.metadata?.name === GMSA_CRD_NAME ||
        (c.object.spec as { group?: string } | undefined)?.group === GMSA_GROUP,
    );
}

/** Credspec fields a version's schema drops: pruning a credspec that has every field. */
export function droppedFields(schema: JSONSchemaProps | undefined): string[] {
  const probe = {
    apiVersion: `${GMSA_GROUP}/v1`,
    kind: 'GMSACredentialSpec',
    metadata: { name: 'probe' },
    credspec: EVERY_CREDSPEC_FIELD,
  };
  return pruneCustomResource(probe, schema).unknownFields;
}

const installed: K8sRule = {
  meta: {
    id: 'k8s/crd-installed',
    link: 'cluster',
    title: 'The GMSACredentialSpec CRD is installed',
    looksAt: `CustomResourceDefinition ${GMSA_CRD_NAME} and its Established condition.`,
    why: 'Without it the API has no GMSACredentialSpec kind: `kubectl apply` of a credspec fails with `no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"` (AKS without --enable-windows-gmsa), and the webhook cannot resolve any pod\'s gmsaCredentialSpecName.',
    remediation: `kubectl apply -f ${CRD_URL} (or install the windows-gmsa Helm chart; on AKS, az aks update --enable-windows-gmsa).`,
  },
  needs: ['customresourcedefinitions'],
  mode: 'cluster',
  check(ctx) {
    const crds = gmsaCrds(ctx);
    const users = ctx.gmsaWorkloads();
    if (crds.length === 0) {
      const severity = users.length > 0 ? 'error' : 'warning';
      return [
        {
          severity,
          message: `CustomResourceDefinition ${GMSA_CRD_NAME} is not installed: the API answers \`no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"\`${users.length ? `, and the ${users.length} workload${users.length === 1 ? '' : 's'} naming a credspec cannot get one` : ''}`,
          subject: `CustomResourceDefinition/${GMSA_CRD_NAME}`,
          evidence: { workloadsUsingGmsa: users.slice(0, 20).map((w) => w.subject) },
          remediation: {
            text: 'Install the CRD (and the windows-gmsa webhook).',
            commands: [
              `kubectl apply -f ${CRD_URL}`,
              'az aks update --resource-group RG --name CLUSTER --enable-windows-gmsa   # on AKS',
            ],
          },
        },
      ];
    }
    return crds.flatMap((crd): RuleDraft[] => {
      const established = (
        (crd.object.status as { conditions?: { type?: string; status?: string; message?: string }[] } | undefined)
          ?.conditions ?? []
      ).find((c) => c.type === 'Established');
      if (!established || established.status === 'True') return [];
      return [
        {
          severity: 'error',
          message: `${GMSA_CRD_NAME} is not Established (${established.message ?? 'no message'}): the API does not serve GMSACredentialSpecs yet`,
          about: crd,
          field: 'status.conditions',
        },
      ];
    });
  },
  subjects: (ctx) => ({ count: gmsaCrds(ctx).length, noun: 'CRDs' }),
};

const versions: K8sRule = {
  meta: {
    id: 'k8s/crd-versions',
    link: 'cluster',
    title: 'The CRD serves windows.k8s.io/v1 (and every version the credspecs use)',
    looksAt:
      'spec.versions of the GMSACredentialSpec CRD: served, storage, deprecated; the apiVersion of each GMSACredentialSpec against them.',
    why: 'Current charts, docs and `gmsa-doctor credspec new --k8s` write windows.k8s.io/v1; a CRD older than windows-gmsa 0.4 serves only v1alpha1, so applying them fails with "no matches for kind".',
    remediation: `Install the current CRD: kubectl apply -f ${CRD_URL}.`,
  },
  needs: ['customresourcedefinitions'],
  check(ctx) {
    const out: RuleDraft[] = [];
    for (const crd of gmsaCrds(ctx)) {
      const all = versionsOf(crd);
      const served = all.filter((v) => v.served).map((v) => v.name);
      const v1 = all.find((v) => v.name === 'v1');
      if (!v1?.served) {
        const v1Used = ctx.items('gmsacredentialspecs').some((c) => c.object.apiVersion === `${GMSA_GROUP}/v1`);
        out.push({
          severity: v1Used || ctx.mode === 'lint' ? 'error' : 'warning',
          message: `${GMSA_CRD_NAME} serves only ${served.join(', ') || 'no version'}: windows.k8s.io/v1 GMSACredentialSpecs are refused with \`no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"\` (an old CRD, from before windows-gmsa served v1)`,
          about: crd,
          field: 'spec.versions',
          evidence: { served },
          remediation: UPGRADE_CRD,
        });
      }
      for (const credspec of ctx.items('gmsacredentialspecs')) {
        const version = String(credspec.object.apiVersion ?? '').split('/')[1];
        if (!version || isTemplated(version) || served.includes(version) || ctx.mode === 'cluster') continue;
        out.push({
          severity: 'error',
          message: `apiVersion ${credspec.object.apiVersion} is not served by the CRD (it serves ${served.join(', ') || 'nothing'}): kubectl answers \`no matches for kind "GMSACredentialSpec" in version "${credspec.object.apiVersion}"\``,
          about: credspec,
          field: 'apiVersion',
        });
      }
    }
    return out;
  },
  subjects: (ctx) => ({ count: gmsaCrds(ctx).length, noun: 'CRDs' }),
};

const schema: K8sRule = {
  meta: {
    id: 'k8s/crd-schema',
    link: 'cluster',
    title: "The CRD's schema keeps every credspec field",
    looksAt:
      "Each served version's openAPIV3Schema: a credspec with every field (CmsPlugins, DomainJoinConfig.*, ActiveDirectoryConfig.GroupManagedServiceAccounts[].*, ActiveDirectoryConfig.HostAccountConfig.*) pruned as kube-apiserver prunes custom resources.",
    why: 'The API server drops every field the schema does not list, silently. A `credspec: {type: object}` without properties prunes the whole spec to {} (the container then fails with STATUS_INVALID_PARAMETER, windows-gmsa#31); a CRD from before Sept 2021 has no HostAccountConfig, so credspecs for non-domain-joined hosts lose their CCG plug-in block (windows-gmsa#46).',
    remediation: `Install the current CRD (kubectl apply -f ${CRD_URL}), then apply every GMSACredentialSpec again.`,
  },
  needs: ['customresourcedefinitions'],
  check(ctx) {
    return gmsaCrds(ctx).flatMap((crd) =>
      versionsOf(crd)
        .filter((v) => v.served)
        .flatMap((v): RuleDraft[] => {
          const dropped = droppedFields(v.schema).filter((f) => f.startsWith('credspec'));
          if (dropped.length === 0) return [];
          const field = `spec.versions[${v.index}].schema.openAPIV3Schema.properties.credspec`;
          const everything = dropped.some((f) =>
            /^credspec\.(CmsPlugins|DomainJoinConfig|ActiveDirectoryConfig)$/.test(f),
          );
          const hostAccount = dropped.includes('credspec.ActiveDirectoryConfig.HostAccountConfig');
          const message = everything
            ? `version ${v.name} of ${GMSA_CRD_NAME} prunes every credspec to {}: its schema has credspec without properties (and no x-kubernetes-preserve-unknown-fields), so the API server drops ${dropped.join(', ')}; pods then get an empty credential spec and their containers fail to start with HRESULT_FROM_NT(STATUS_INVALID_PARAMETER) (windows-gmsa#31)`
            : hostAccount
              ? `version ${v.name} of ${GMSA_CRD_NAME} has no HostAccountConfig in its schema (an old CRD, from before windows-gmsa 934dc4d, Sept 2021): the API server drops credspec.ActiveDirectoryConfig.HostAccountConfig, so credential specs for non-domain-joined hosts lose their CCG plug-in (PluginGUID, PluginInput) without a word`
              : `version ${v.name} of ${GMSA_CRD_NAME} drops ${dropped.join(', ')} from every credspec`;
          return [
            {
              severity: 'error',
              message,
              about: crd,
              field,
              evidence: { version: v.name, dropped },
              remediation: UPGRADE_CRD,
            },
          ];
        }),
    );
  },
  subjects: (ctx) => ({ count: gmsaCrds(ctx).length, noun: 'CRDs' }),
};

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The schema a credspec is written with: its version's in the model's CRD, else (lint) the current upstream one. */
function schemaFor(ctx: RuleContext, credspec: ManifestObject): { schema?: JSONSchemaProps; from: string } | undefined {
  const crd = gmsaCrds(ctx)[0];
  const version = String(credspec.object.apiVersion ?? '').split('/')[1] ?? '';
  if (crd) {
    const v = versionsOf(crd).find((x) => x.name === version && x.served);
    return v
      ? {
          ...(v.schema ? { schema: v.schema } : {}),
          from: `version ${version} of ${crd.origin ? `the CRD in ${crd.origin.file}` : GMSA_CRD_NAME}`,
        }
      : undefined;
  }
  if (ctx.mode === 'lint') return { schema: CURRENT_CREDSPEC_SCHEMA, from: 'the current windows-gmsa CRD' };
  return undefined;
}

const credspecSchema: K8sRule = {
  meta: {
    id: 'k8s/credspec-schema',
    link: 'credspec',
    title: 'Each GMSACredentialSpec survives its CRD intact',
    looksAt:
      "Each GMSACredentialSpec pruned and validated with its version's schema (the CRD in the model; for manifests without one, the current windows-gmsa CRD); in a cluster, the kubectl last-applied-configuration annotation compared with what is stored.",
    why: 'A field the schema does not list (a misspelled HostAccountconfig, or every field under a CRD whose credspec has no properties) is dropped by the API server without an error; a value of the wrong type (PluginInput as an object) makes the API server refuse the resource.',
    remediation:
      'Fix the field (name and type as the CRD lists them), or install the current CRD; then apply the credspec again.',
  },
  needs: ['gmsacredentialspecs', 'customresourcedefinitions'],
  check(ctx) {
    return ctx.items('gmsacredentialspecs').flatMap((credspec): RuleDraft[] => {
      const target = schemaFor(ctx, credspec);
      if (!target) return [];
      const name = credspec.object.metadata?.name ?? '';
      const applied = ctx.mode === 'cluster' ? lastApplied(credspec) : credspec.object;
      const out: RuleDraft[] = [];
      if (applied) {
        const pruned = pruneCustomResource(applied, target.schema);
        const refused =
          ctx.mode === 'lint'
            ? validateAgainstSchema(withoutMeta(pruned.value), target.schema).filter(
                (e) => !isTemplated(get(credspec.object, e.field)),
              )
            : [];
        const dropped = pruned.unknownFields.filter((f) => f.startsWith('credspec') && !isTemplated(f));
        if (refused.length > 0) {
          // Refused outright: what pruning would drop never reaches etcd either.
          out.push({
            severity: 'error',
            message: `the API server refuses it: GMSACredentialSpec.windows.k8s.io ${JSON.stringify(name)} is invalid: ${refused.map(formatFieldError).join(', ')}`,
            about: credspec,
            field: refused[0]!.field,
            evidence: { errors: refused.map((e) => e.field) },
          });
        } else if (dropped.length > 0) {
          out.push({
            severity: 'error',
            message: `${target.from} drops ${dropped.join(', ')} from GMSACredentialSpec ${name}${ctx.mode === 'cluster' ? ' (what kubectl applied, per its last-applied-configuration, is not what is stored)' : ''}: the pods get a credential spec without ${dropped.length === 1 ? 'it' : 'them'}`,
            about: credspec,
            field: ctx.mode === 'lint' ? dropped[0] : 'credspec',
            evidence: { dropped, schema: target.from },
          });
        }
      }
      const stored = credspec.object.credspec;
      if (
        ctx.mode === 'cluster' &&
        stored &&
        typeof stored === 'object' &&
        Object.keys(stored).length === 0 &&
        droppedFields(target.schema).includes('credspec.CmsPlugins')
      ) {
        out.push({
          severity: 'error',
          message: `GMSACredentialSpec ${name} is stored as credspec: {}: ${target.from} prunes every field, so the webhook hands pods an empty credential spec and their containers fail to start with STATUS_INVALID_PARAMETER`,
          about: credspec,
          field: 'credspec',
          remediation: UPGRADE_CRD,
        });
      }
      return out;
    });
  },
  subjects: (ctx) => ({ count: ctx.items('gmsacredentialspecs').length, noun: 'GMSACredentialSpecs' }),
};

function lastApplied(credspec: ManifestObject): Record<string, unknown> | undefined {
  const text = credspec.object.metadata?.annotations?.[LAST_APPLIED];
  if (typeof text !== 'string' || text.length > 1024 * 1024) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function withoutMeta(object: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object;
  return rest;
}

export const CRD_RULES: readonly K8sRule[] = [installed, versions, schema, credspecSchema];
