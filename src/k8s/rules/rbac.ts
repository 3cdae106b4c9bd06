/**
 * Roles that grant `use` on GMSACredentialSpecs by name: the names must be ones a credspec can have, and exist.
 */
import type { ManifestObject } from '../model.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import type { RuleContext } from '../context.js';
import { isTemplated } from '../templates.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface NamedGrant {
  role: ManifestObject;
  name: string;
  field: string;
}

function namedGrants(ctx: RuleContext): NamedGrant[] {
  return [...ctx.items('roles'), ...ctx.items('clusterroles')].flatMap((role) =>
    (Array.isArray(role.object.rules) ? (role.object.rules as Record<string, unknown>[]) : []).flatMap((rule, i) => {
      const resources = Array.isArray(rule.resources) ? rule.resources : [];
      const groups = Array.isArray(rule.apiGroups) ? rule.apiGroups : [];
      if (!resources.includes('gmsacredentialspecs') || !(groups.includes('windows.k8s.io') || groups.includes('*')))
        return [];
      const names = Array.isArray(rule.resourceNames) ? rule.resourceNames : [];
      return names.flatMap((name, j) =>
        typeof name === 'string' && !isTemplated(name)
          ? [{ role, name, field: `rules[${i}].resourceNames[${j}]` }]
          : [],
      );
    }),
  );
}

const resourceNames: K8sRule = {
  meta: {
    id: 'k8s/rbac-resource-names',
    link: 'pod',
    title: 'RBAC resourceNames name GMSACredentialSpecs that can exist',
    looksAt:
      'resourceNames of every Role and ClusterRole rule on windows.k8s.io/gmsacredentialspecs: lowercase RFC 1123 names, matching a GMSACredentialSpec exactly.',
    why: 'RBAC compares resourceNames exactly: `gmsa-WebApp1` never matches the credspec `gmsa-webapp1` (and no credspec can be named with capitals), so the pods the role was meant for are refused by the webhook.',
    remediation: "Write the GMSACredentialSpec's exact, lowercase metadata.name in resourceNames.",
  },
  needs: ['roles', 'clusterroles'],
  check(ctx) {
    const names = ctx.credspecsByName();
    const partial = !ctx.complete('gmsacredentialspecs');
    return namedGrants(ctx).flatMap((grant): RuleDraft[] => {
      const kind = grant.role.object.kind ?? 'Role';
      const near = (ctx.credspecsByLowerName().get(grant.name.toLowerCase()) ?? []).find((n) => n !== grant.name);
      if (!DNS1123_SUBDOMAIN.test(grant.name)) {
        const fix = grant.name.toLowerCase();
        return [
          {
            severity: 'error',
            message: `${kind} ${grant.role.object.metadata?.name ?? ''} grants use on GMSACredentialSpec ${JSON.stringify(grant.name)}, a name no credspec can have (names are lowercase RFC 1123 subdomains) and RBAC compares exactly: it grants nothing${near ? `; the credspec is spelled ${JSON.stringify(near)}` : ''}`,
            about: grant.role,
            field: grant.field,
            remediation: { text: `Name the credspec ${JSON.stringify(fix)} and write exactly that in resourceNames.` },
          },
        ];
      }
      if (names.has(grant.name)) return [];
      if (partial && names.size === 0) return [];
      // A grant on a credspec that does not exist is dead, not harmful: k8s/credspec-exists reports pods naming it.
      return [
        {
          severity: partial ? 'info' : 'warning',
          message: `${kind} ${grant.role.object.metadata?.name ?? ''} grants use on GMSACredentialSpec ${grant.name}, which ${partial ? 'is not among the linted files' : 'does not exist'}${near ? `; ${JSON.stringify(near)} does (RBAC compares names exactly)` : ''}`,
          about: grant.role,
          field: grant.field,
        },
      ];
    });
  },
  subjects: (ctx) => ({ count: namedGrants(ctx).length, noun: 'named grants' }),
};

export const RBAC_RULES: readonly K8sRule[] = [resourceNames];
