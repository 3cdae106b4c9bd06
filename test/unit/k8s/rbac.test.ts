// The RBAC evaluator (src/protocol/k8s/rbac.ts), case by case as kube-apiserver's RBAC authorizer decides.
import { describe, expect, it } from 'vitest';
import type { RbacBinding, RbacObjects, RbacRole, RequestAttributes } from '../../../src/protocol/k8s/rbac.js';
import { aggregateClusterRoles, RbacAuthorizer, serviceAccountUser } from '../../../src/protocol/k8s/rbac.js';

const use = (name: string, namespace = 'web'): RequestAttributes => ({
  verb: 'use',
  group: 'windows.k8s.io',
  resource: 'gmsacredentialspecs',
  name,
  namespace,
});
const role = (
  name: string,
  rules: RbacRole['rules'],
  namespace?: string,
  labels?: Record<string, string>,
): RbacRole => ({ metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) }, rules });
const binding = (
  name: string,
  roleKind: string,
  roleName: string,
  subjects: RbacBinding['subjects'],
  namespace?: string,
): RbacBinding => ({
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects,
});
const useCredspecs = (resourceNames?: string[]): RbacRole['rules'] => [
  {
    apiGroups: ['windows.k8s.io'],
    resources: ['gmsacredentialspecs'],
    verbs: ['use'],
    ...(resourceNames ? { resourceNames } : {}),
  },
];
const webappSa = serviceAccountUser('web', 'webapp-sa');

function authorize(objects: RbacObjects, request: RequestAttributes, user = webappSa) {
  return new RbacAuthorizer(objects).authorize(user, request);
}

describe('RBAC authorizer', () => {
  it("the webhook's user has only the two service-account groups", () => {
    expect(webappSa).toEqual({
      name: 'system:serviceaccount:web:webapp-sa',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:web'],
    });
  });

  it("a RoleBinding subject without a namespace means the binding's namespace", () => {
    const objects = {
      clusterRoles: [role('use-all', useCredspecs())],
      roleBindings: [binding('rb', 'ClusterRole', 'use-all', [{ kind: 'ServiceAccount', name: 'webapp-sa' }], 'web')],
    };
    expect(authorize(objects, use('x')).reason).toBe(
      'RBAC: allowed by RoleBinding "rb/web" of ClusterRole "use-all" to ServiceAccount "webapp-sa/web"',
    );
    expect(authorize(objects, use('x', 'other')).allowed).toBe(false);
  });

  it('a ClusterRoleBinding subject without a namespace matches no service account', () => {
    const objects = {
      clusterRoles: [role('use-all', useCredspecs())],
      clusterRoleBindings: [binding('crb', 'ClusterRole', 'use-all', [{ kind: 'ServiceAccount', name: 'webapp-sa' }])],
    };
    expect(authorize(objects, use('x')).allowed).toBe(false);
  });

  it('groups bind every service account of a namespace, or all of them', () => {
    const objects = {
      clusterRoles: [role('use-all', useCredspecs())],
      roleBindings: [
        binding(
          'rb',
          'ClusterRole',
          'use-all',
          [{ kind: 'Group', name: 'system:serviceaccounts:web', apiGroup: 'rbac.authorization.k8s.io' }],
          'web',
        ),
      ],
    };
    expect(authorize(objects, use('x')).reason).toBe(
      'RBAC: allowed by RoleBinding "rb/web" of ClusterRole "use-all" to Group "system:serviceaccounts:web"',
    );
  });

  it("a binding to system:authenticated grants a pod's own requests but not the webhook's review", () => {
    const objects = {
      clusterRoles: [role('use-all', useCredspecs())],
      clusterRoleBindings: [
        binding('crb', 'ClusterRole', 'use-all', [{ kind: 'Group', name: 'system:authenticated' }]),
      ],
    };
    expect(authorize(objects, use('x')).allowed).toBe(false);
    expect(
      authorize(objects, use('x'), { ...webappSa, groups: [...webappSa.groups, 'system:authenticated'] }).allowed,
    ).toBe(true);
  });

  it('a Role only counts in its own namespace, through a RoleBinding of that namespace', () => {
    const objects = {
      roles: [role('use-all', useCredspecs(), 'web')],
      roleBindings: [
        binding('rb', 'Role', 'use-all', [{ kind: 'ServiceAccount', name: 'webapp-sa', namespace: 'web' }], 'web'),
      ],
    };
    expect(authorize(objects, use('x')).grantedBy).toEqual({
      binding: 'rb',
      bindingKind: 'RoleBinding',
      namespace: 'web',
      roleKind: 'Role',
      role: 'use-all',
    });
    expect(authorize(objects, { ...use('x'), namespace: undefined }).allowed).toBe(false);
  });

  it('verbs, groups and resources match exactly or by *; resourceNames exactly, case included', () => {
    const objects = (rules: RbacRole['rules']) => ({
      clusterRoles: [role('r', rules)],
      clusterRoleBindings: [
        binding('b', 'ClusterRole', 'r', [{ kind: 'ServiceAccount', name: 'webapp-sa', namespace: 'web' }]),
      ],
    });
    expect(authorize(objects([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), use('anything')).allowed).toBe(
      true,
    );
    expect(
      authorize(
        objects([{ apiGroups: ['windows.k8s.io'], resources: ['gmsacredentialspecs'], verbs: ['get'] }]),
        use('x'),
      ).allowed,
    ).toBe(false);
    expect(
      authorize(objects([{ apiGroups: [''], resources: ['gmsacredentialspecs'], verbs: ['use'] }]), use('x')).allowed,
    ).toBe(false);
    expect(authorize(objects(useCredspecs(['gmsa-WebApp1'])), use('gmsa-webapp1')).allowed).toBe(false);
    expect(authorize(objects(useCredspecs(['gmsa-WebApp1'])), use('gmsa-WebApp1')).allowed).toBe(true);
  });

  it('subresources need their own rule, or */subresource', () => {
    const objects = (resources: string[]) => ({
      clusterRoles: [role('r', [{ apiGroups: [''], resources, verbs: ['get'] }])],
      clusterRoleBindings: [binding('b', 'ClusterRole', 'r', [{ kind: 'User', name: 'scanner' }])],
    });
    const log: RequestAttributes = {
      verb: 'get',
      group: '',
      resource: 'pods',
      subresource: 'log',
      namespace: 'web',
      name: 'p',
    };
    const scanner = { name: 'scanner', groups: [] };
    expect(authorize(objects(['pods']), log, scanner).allowed).toBe(false);
    expect(authorize(objects(['pods/log']), log, scanner).allowed).toBe(true);
    expect(authorize(objects(['*/log']), log, scanner).allowed).toBe(true);
  });

  it('a binding to a missing role is a resolution error in the reason, deduplicated and aggregated', () => {
    const subjects = [{ kind: 'ServiceAccount', name: 'webapp-sa', namespace: 'web' }];
    const one = { clusterRoleBindings: [binding('a', 'ClusterRole', 'gone', subjects)] };
    expect(authorize(one, use('x'))).toEqual({
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
    const several = {
      clusterRoleBindings: [
        binding('a', 'ClusterRole', 'gone', subjects),
        binding('b', 'ClusterRole', 'gone', subjects),
      ],
      roleBindings: [binding('c', 'Role', 'missing', subjects, 'web')],
    };
    expect(authorize(several, use('x')).reason).toBe(
      'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]',
    );
  });

  it('non-resource paths match exactly or by a trailing *', () => {
    const objects = {
      clusterRoles: [role('d', [{ nonResourceURLs: ['/version', '/apis/*'], verbs: ['get'] }])],
      clusterRoleBindings: [binding('d', 'ClusterRole', 'd', [{ kind: 'Group', name: 'system:authenticated' }])],
    };
    const user = { name: 'u', groups: ['system:authenticated'] };
    expect(authorize(objects, { verb: 'get', path: '/version' }, user).allowed).toBe(true);
    expect(authorize(objects, { verb: 'get', path: '/apis/windows.k8s.io/v1' }, user).allowed).toBe(true);
    expect(authorize(objects, { verb: 'get', path: '/api' }, user).allowed).toBe(false);
  });

  it('aggregated ClusterRoles get the rules of the roles their selectors match (charts/gmsa viewer role into view)', () => {
    const view: RbacRole = {
      metadata: { name: 'view' },
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }],
      },
      rules: [],
    };
    const viewer = role(
      'gmsa-viewer-role',
      [{ apiGroups: ['windows.k8s.io'], resources: ['gmsacredentialspecs'], verbs: ['get', 'list', 'watch'] }],
      undefined,
      { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
    );
    const [aggregated] = aggregateClusterRoles([
      view,
      viewer,
      role('other', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
    ]);
    expect(aggregated!.rules).toEqual(viewer.rules);
  });
});
