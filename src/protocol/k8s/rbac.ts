/**
 * Kubernetes RBAC, evaluated the way kube-apiserver's RBAC authorizer does it
 * (plugin/pkg/auth/authorizer/rbac: VisitRulesFor over ClusterRoleBindings, then the RoleBindings of the request's
 * namespace; RuleAllows; the same `RBAC: allowed by ...` reasons and `... not found` resolution errors). It answers
 * the windows-gmsa webhook's question ("may system:serviceaccount:NS:SA `use` gmsacredentialspecs/NAME?") from
 * RBAC objects, as the API server would from its own. Pure, no I/O.
 */
import type { LabelSelector } from './label-selector.js';
import { matchesLabelSelector } from './label-selector.js';

export interface PolicyRule {
  verbs?: string[] | null;
  apiGroups?: string[] | null;
  resources?: string[] | null;
  resourceNames?: string[] | null;
  nonResourceURLs?: string[] | null;
}

export interface RbacMetadata {
  name?: string;
  namespace?: string;
  labels?: Record<string, string> | null;
}

export interface RbacRole {
  metadata?: RbacMetadata;
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] | null } | null;
}

export interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RbacBinding {
  metadata?: RbacMetadata;
  subjects?: Subject[] | null;
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
}

export interface RbacObjects {
  roles?: readonly RbacRole[];
  roleBindings?: readonly RbacBinding[];
  clusterRoles?: readonly RbacRole[];
  clusterRoleBindings?: readonly RbacBinding[];
}

export interface UserInfo {
  name: string;
  groups: readonly string[];
}

/** A resource request (`resource` is the plural, `group` "" for the core group) or, with `path`, a non-resource one. */
export interface RequestAttributes {
  verb: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests: /api, /version, /healthz... */
  path?: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** `RBAC: allowed by ...` when allowed; empty or `RBAC: <resolution errors>` when not, as the API server says. */
  reason: string;
  /** The binding and role that granted the request. */
  grantedBy?: {
    binding: string;
    bindingKind: 'ClusterRoleBinding' | 'RoleBinding';
    namespace?: string;
    roleKind: string;
    role: string;
  };
}

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccount:NS:NAME`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/**
 * A service account's user as `serviceaccount.UserInfo` builds it, which is what the windows-gmsa webhook puts in
 * its LocalSubjectAccessReview: only the two service-account groups. A real token also carries
 * `system:authenticated`, so a binding to that group grants a pod's own requests but not the webhook's review.
 */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    name: serviceAccountUsername(namespace, name),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  };
}

export class RbacAuthorizer {
  private readonly clusterRoles = new Map<string, RbacRole>();
  private readonly roles = new Map<string, RbacRole>();
  private readonly roleBindings = new Map<string, RbacBinding[]>();
  private readonly clusterRoleBindings: readonly RbacBinding[];

  constructor(objects: RbacObjects) {
    for (const role of objects.clusterRoles ?? []) this.clusterRoles.set(role.metadata?.name ?? '', role);
    for (const role of objects.roles ?? [])
      this.roles.set(`${role.metadata?.namespace ?? ''}/${role.metadata?.name ?? ''}`, role);
    for (const binding of objects.roleBindings ?? []) {
      const namespace = binding.metadata?.namespace ?? '';
      const list = this.roleBindings.get(namespace) ?? [];
      list.push(binding);
      this.roleBindings.set(namespace, list);
    }
    this.clusterRoleBindings = objects.clusterRoleBindings ?? [];
  }

  authorize(user: UserInfo, request: RequestAttributes): AuthorizationDecision {
    const errors: string[] = [];
    const visit = (bindings: readonly RbacBinding[], bindingNamespace: string): AuthorizationDecision | undefined => {
      for (const binding of bindings) {
        const subject = (binding.subjects ?? []).find((s) => appliesToUser(user, s, bindingNamespace));
        if (!subject) continue;
        const rules = this.roleReferenceRules(binding, bindingNamespace);
        if (typeof rules === 'string') {
          errors.push(rules);
          continue;
        }
        if (rules.some((rule) => ruleAllows(request, rule))) return allowedBy(binding, subject, bindingNamespace);
      }
      return undefined;
    };
    const decision =
      visit(this.clusterRoleBindings, '') ??
      (request.namespace ? visit(this.roleBindings.get(request.namespace) ?? [], request.namespace) : undefined);
    if (decision) return decision;
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregateMessage(errors)}` : '' };
  }

  /** The rules a binding grants, or the API server's error when its role does not exist. */
  private roleReferenceRules(binding: RbacBinding, bindingNamespace: string): readonly PolicyRule[] | string {
    const ref = binding.roleRef ?? {};
    const name = ref.name ?? '';
    if (ref.kind === 'ClusterRole') {
      const role = this.clusterRoles.get(name);
      return role ? (role.rules ?? []) : `clusterrole.rbac.authorization.k8s.io ${goQuote(name)} not found`;
    }
    if (ref.kind === 'Role') {
      const role = this.roles.get(`${bindingNamespace}/${name}`);
      return role ? (role.rules ?? []) : `role.rbac.authorization.k8s.io ${goQuote(name)} not found`;
    }
    return `unsupported role reference kind: ${goQuote(ref.kind ?? '')}`;
  }
}

/**
 * What the ClusterRole aggregation controller does: a ClusterRole with an aggregationRule gets the rules of every
 * ClusterRole its selectors match (a manifest carries `rules: []` or none; the cluster fills them in).
 */
export function aggregateClusterRoles<T extends RbacRole>(clusterRoles: readonly T[]): T[] {
  return clusterRoles.map((role) => {
    const selectors = role.aggregationRule?.clusterRoleSelectors;
    if (!selectors) return role;
    const rules: PolicyRule[] = [];
    for (const other of clusterRoles) {
      if (other === role || !selectors.some((s) => matchesLabelSelector(s, other.metadata?.labels))) continue;
      for (const rule of other.rules ?? []) if (!rules.some((r) => sameRule(r, rule))) rules.push(rule);
    }
    return { ...role, rules };
  });
}

function appliesToUser(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return subject.name !== undefined && user.groups.includes(subject.name);
    case 'ServiceAccount': {
      // A RoleBinding's subject without a namespace means the binding's own namespace.
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.name === serviceAccountUsername(namespace, subject.name ?? '');
    }
    default:
      return false;
  }
}

export function ruleAllows(request: RequestAttributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, request.verb)) return false;
  if (request.path !== undefined) return nonResourceUrlMatches(rule, request.path);
  const combined = request.subresource ? `${request.resource ?? ''}/${request.subresource}` : (request.resource ?? '');
  return (
    (rule.apiGroups ?? []).some((g) => g === '*' || g === (request.group ?? '')) &&
    resourceMatches(rule, combined, request.subresource) &&
    resourceNameMatches(rule, request.name ?? '')
  );
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === '*' || v === verb);
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string | undefined): boolean {
  return (rule.resources ?? []).some(
    (r) =>
      r === '*' ||
      r === combined ||
      (!!subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)),
  );
}

/** Exact, case-sensitive: `resourceNames: [gmsa-WebApp1]` never matches the credspec `gmsa-webapp1`. */
function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}

function allowedBy(binding: RbacBinding, subject: Subject, bindingNamespace: string): AuthorizationDecision {
  const name = binding.metadata?.name ?? '';
  const roleKind = binding.roleRef?.kind ?? '';
  const role = binding.roleRef?.name ?? '';
  const isRoleBinding = bindingNamespace !== '';
  const source = isRoleBinding
    ? `RoleBinding ${goQuote(`${name}/${bindingNamespace}`)} of ${roleKind} ${goQuote(role)} to ${describeSubject(subject, bindingNamespace)}`
    : `ClusterRoleBinding ${goQuote(name)} of ${roleKind} ${goQuote(role)} to ${describeSubject(subject, '')}`;
  return {
    allowed: true,
    reason: `RBAC: allowed by ${source}`,
    grantedBy: {
      binding: name,
      bindingKind: isRoleBinding ? 'RoleBinding' : 'ClusterRoleBinding',
      ...(isRoleBinding ? { namespace: bindingNamespace } : {}),
      roleKind,
      role,
    },
  };
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount')
    return `ServiceAccount ${goQuote(`${subject.name ?? ''}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind ?? ''} ${goQuote(subject.name ?? '')}`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated inside `[a, b]`. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** Go's %q for the printable strings Kubernetes names are. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}

function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
