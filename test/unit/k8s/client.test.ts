// The read-only client (src/probes/k8s) against the local HTTPS API server, with @kubernetes/client-node doing the
// TLS, credentials and transport, and the samples' manifests as the cluster's state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccountUser } from '../../../src/protocol/k8s/rbac.js';
import type { AccessReviewRequest, K8sObject } from '../../../src/probes/k8s/client.js';
import { K8sClient } from '../../../src/probes/k8s/client.js';
import { loadClusterTarget } from '../../../src/probes/k8s/config.js';
import { TestPki } from '../../helpers/k8s-tls.js';
import type { K8sApiServer, ApiStatusError } from '../../helpers/k8s-api-server.js';
import { startK8sApiServer } from '../../helpers/k8s-api-server.js';
import { connect, credspecSample, error, rendered, sample, target, value } from './helpers.js';

const SCANNER = 'system:serviceaccount:gmsa-doctor:gmsa-doctor';

/** The webhook's question for a pod of service account `sa` in `namespace` (admission-webhook/kube_client.go). */
function useReview(namespace: string, sa: string, credspec: string): AccessReviewRequest {
  const user = serviceAccountUser(namespace, sa);
  return {
    namespace,
    user: user.name,
    groups: user.groups,
    verb: 'use',
    group: 'windows.k8s.io',
    resource: 'gmsacredentialspecs',
    name: credspec,
  };
}

function webPod(name: string, extra: Record<string, unknown> = {}): Record<string, any> {
  const pod = parse(rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml', { TestName: name })) as Record<
    string,
    any
  >;
  return { ...pod, spec: { ...pod.spec, ...extra } };
}

describe('listing', () => {
  let server: K8sApiServer;
  beforeAll(async () => {
    server = await startK8sApiServer();
    server.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    for (let i = 0; i < 2500; i++) server.add(webPod(`webapp-${String(i).padStart(4, '0')}`));
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  it('pages 2,500 pods with limit 500: five requests, each continuing where the last ended, every pod once', async () => {
    const client = connect(server);
    const list = value(await client.list('pods', { namespace: 'web', pageSize: 500 }));
    expect(list.items).toHaveLength(2500);
    expect(list.pages).toBe(5);
    expect(list.consistent).toBe(true);
    expect(new Set(list.items.map((p) => p.metadata?.name)).size).toBe(2500);
    const requests = server.requests.filter((r) => r.verb === 'list');
    expect(requests.map((r) => r.query.limit)).toEqual(['500', '500', '500', '500', '500']);
    expect(requests[0]!.query.continue).toBeUndefined();
    expect(requests.slice(1).every((r) => typeof r.query.continue === 'string' && r.query.continue !== '')).toBe(true);
    // The items are manifests as stored, with the kind and apiVersion the API leaves out of list items.
    const first = list.items[0]!;
    expect(first).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'webapp-0000', namespace: 'web' } });
    expect(first.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect((first.spec as any).securityContext.windowsOptions.gmsaCredentialSpecName).toBe('gmsa-webapp0');
  });

  it('streams the same list one page at a time', async () => {
    const client = connect(server);
    const sizes: number[] = [];
    for await (const page of client.pages('pods', { namespace: 'web', pageSize: 500 }))
      sizes.push(value(page).items.length);
    expect(sizes).toEqual([500, 500, 500, 500, 500]);
  });

  it('goes on with the inconsistent token when a continue token expires mid-list, and says the list is not one snapshot', async () => {
    const client = connect(server);
    let pages = 0;
    const names: string[] = [];
    for await (const page of client.pages('pods', { namespace: 'web', pageSize: 1000 })) {
      names.push(...value(page).items.map((p) => p.metadata!.name!));
      if (++pages === 1) server.expireContinueTokens();
      if (pages === 3) expect(value(page).consistent).toBe(false);
    }
    expect(names).toHaveLength(2500);
    expect(server.requests.filter((r) => r.status === 410)).toHaveLength(1);
  });

  it('passes label and field selectors on every page', async () => {
    const client = connect(server);
    const list = value(
      await client.list('pods', {
        namespace: 'web',
        labelSelector: 'app in (webapp-0007,webapp-1234)',
        fieldSelector: 'metadata.namespace=web',
        pageSize: 1,
      }),
    );
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['webapp-0007', 'webapp-1234']);
    expect(
      server.requests
        .filter((r) => r.verb === 'list')
        .every((r) => r.query.labelSelector === 'app in (webapp-0007,webapp-1234)'),
    ).toBe(true);
  });

  it('keeps the number of requests in flight within its concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    server.latency = () => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => inFlight--, 40);
      return 40;
    };
    try {
      const client = connect(server, {}, { concurrency: 3 });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => client.get('pods', `webapp-${String(i).padStart(4, '0')}`, 'web')),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(peak).toBe(3);
    } finally {
      server.latency = 0;
    }
  });

  it('reuses its connections: 60 requests over at most its concurrency of TLS connections (client-node alone opens one per request)', async () => {
    const before = server.connections;
    const client = connect(server, {}, { concurrency: 4 });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => client.get('pods', `webapp-${String(i).padStart(4, '0')}`, 'web')),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.connections - before).toBeGreaterThan(0);
    expect(server.connections - before).toBeLessThanOrEqual(4);
  });
});

describe('errors become typed results', () => {
  let server: K8sApiServer;
  beforeAll(async () => {
    server = await startK8sApiServer();
    server.load(sample('windows-gmsa__deploy__gmsa-crd.yml'));
    server.load(rendered('windows-gmsa__it-template__credspec-2.yml'));
  });
  afterAll(() => server.close());

  it('a 403 on one resource is "forbidden: needs list on windows.k8s.io/gmsacredentialspecs", the other lists still work', async () => {
    server.deny({ verb: 'list', resource: 'gmsacredentialspecs' });
    const client = connect(server);
    const results = await client.listMany(['gmsacredentialspecs', 'namespaces', 'customresourcedefinitions']);
    const denied = error(results.gmsacredentialspecs);
    expect(denied.kind).toBe('forbidden');
    expect(denied.permission).toEqual({ verb: 'list', group: 'windows.k8s.io', resource: 'gmsacredentialspecs' });
    expect(denied.message).toMatch(
      /^forbidden: needs list on windows\.k8s\.io\/gmsacredentialspecs \(cluster-wide\): /,
    );
    expect(denied.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `gmsacredentialspecs.windows.k8s.io is forbidden: User "${SCANNER}" cannot list resource "gmsacredentialspecs" in API group "windows.k8s.io" at the cluster scope`,
      reason: 'Forbidden',
      details: { group: 'windows.k8s.io', kind: 'gmsacredentialspecs' },
      code: 403,
    });
    expect(value(results.namespaces).items.map((n) => n.metadata?.name)).toContain('kube-system');
    expect(value(results.customresourcedefinitions).items).toHaveLength(1);
  });

  it('names the namespace and the subresource a forbidden request needed', async () => {
    server.deny({ verb: 'create', resource: 'localsubjectaccessreviews', namespace: 'default' });
    server.deny({ verb: 'get', resource: 'pods/log' });
    const client = connect(server);
    const review = error(await client.reviewAccess(useReview('default', 'default', 'gmsa-webapp2')));
    expect(review.message).toMatch(
      /^forbidden: needs create on authorization\.k8s\.io\/localsubjectaccessreviews in namespace "default": /,
    );
    const log = error(await client.podLog('default', 'any', {}));
    expect(log.permission).toEqual({ verb: 'get', group: '', resource: 'pods/log', namespace: 'default' });
    expect(log.message).toMatch(
      /^forbidden: needs get on core\/pods\/log in namespace "default": pods "any" is forbidden: User ".+" cannot get resource "pods\/log" in API group "" in the namespace "default"$/,
    );
  });

  it("with RBAC deciding the scanner's own access, what its role lacks is forbidden and what it grants works", async () => {
    const rbacServer = await startK8sApiServer({ authorization: 'rbac' });
    try {
      rbacServer.add({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'scanner' },
        rules: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['list'] }],
      });
      rbacServer.add({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'scanner' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'scanner' },
        subjects: [{ kind: 'ServiceAccount', name: 'gmsa-doctor', namespace: 'gmsa-doctor' }],
      });
      const client = connect(rbacServer);
      expect(value(await client.list('pods')).items).toEqual([]);
      expect(error(await client.list('nodes')).permission).toEqual({ verb: 'list', group: '', resource: 'nodes' });
      expect(value(await client.serverVersion()).gitVersion).toMatch(/^v1\.\d+/); // system:discovery, bound to system:authenticated
    } finally {
      await rbacServer.close();
    }
  });

  it('a missing object and an API the server does not serve are "not found"', async () => {
    const client = connect(server);
    const missing = error(await client.get('gmsacredentialspecs', 'gmsa-webapp9'));
    expect(missing.kind).toBe('not-found');
    expect(missing.status?.message).toBe('gmsacredentialspecs.windows.k8s.io "gmsa-webapp9" not found');
    const bare = await startK8sApiServer();
    try {
      // No CRD: Go's plain-text "404 page not found", not a Status object.
      const unserved = error(await connect(bare).list('gmsacredentialspecs'));
      expect(unserved.kind).toBe('not-found');
      expect(unserved.status).toBeUndefined();
      expect(unserved.message).toBe(
        'not found: the server does not serve windows.k8s.io/gmsacredentialspecs (404 page not found); is the API group or CRD installed?',
      );
    } finally {
      await bare.close();
    }
  });

  it('waits out a 429 and asks again, as often as the Retry-After says, within bounds', async () => {
    server.throttle(1);
    const before = server.requests.length;
    expect(value(await connect(server).list('customresourcedefinitions')).items).toHaveLength(1);
    expect(server.requests.slice(before).map((r) => r.status)).toEqual([429, 200]);
    server.throttle(10);
    const refused = error(await connect(server).get('customresourcedefinitions', 'gmsacredentialspecs.windows.k8s.io'));
    expect([refused.kind, refused.httpStatus, refused.message]).toEqual([
      'api',
      429,
      expect.stringContaining('Too many requests, please try again later.'),
    ]);
    server.throttle(0);
  }, 10_000);

  it('a namespaced object needs its namespace', async () => {
    expect(error(await connect(server).get('pods', 'webapp')).message).toBe(
      'get core/pods "webapp" (cluster-wide): pods are namespaced; name the namespace',
    );
  });

  it('refused credentials are "unauthorized"', async () => {
    const result = error(await connect(server, { token: 'expired-token' }).list('namespaces'));
    expect(result.kind).toBe('unauthorized');
    expect(result.status?.message).toBe('Unauthorized');
  });

  it('a server that does not answer in time is a "timeout", one that is not there "unreachable"', async () => {
    server.latency = 400;
    try {
      const slow = error(await connect(server, {}, { timeoutMs: 100 }).list('namespaces'));
      expect(slow.kind).toBe('timeout');
    } finally {
      server.latency = 0;
    }
    const closed = await startK8sApiServer();
    const url = closed.url;
    await closed.close();
    const gone = error(await connect(server, { server: url }).list('namespaces'));
    expect(gone.kind).toBe('unreachable');
    expect(gone.code).toBe('ECONNREFUSED');
  });
});

describe('TLS and credentials', () => {
  let server: K8sApiServer;
  let otherDir: string;
  beforeAll(async () => {
    server = await startK8sApiServer();
    otherDir = mkdtempSync(join(tmpdir(), 'gmsa-other-ca-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(otherDir, { recursive: true, force: true });
  });

  it('refuses a server whose certificate another CA signed, before any request reaches it', async () => {
    const otherCa = new TestPki(otherDir, 'not-this-cluster');
    const before = server.requests.length;
    const refused = error(await connect(server, { caPem: otherCa.ca.cert }).list('namespaces'));
    expect(refused.kind).toBe('tls');
    expect(refused.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect(refused.message).toBe(
      `tls: ${server.url}: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN); the kubeconfig's certificate-authority must be the CA that signed the API server's certificate`,
    );
    expect(server.requests.length).toBe(before);
  });

  it('skips verification only when the user asks for it, and says so', async () => {
    const otherCa = new TestPki(join(otherDir), 'again-not-this-cluster');
    const path = server.writeKubeconfig('wrong-ca', { caPem: otherCa.ca.cert });
    const insecure = loadClusterTarget({ kubeconfig: path, insecureSkipTlsVerify: true, env: {} });
    expect(insecure.ok && insecure.value.tlsVerify).toBe(false);
    expect(value(await new K8sClient(value(insecure)).list('namespaces')).items.length).toBeGreaterThan(0);
    expect(target(server).tlsVerify).toBe(true);
  });

  it('authenticates with a client certificate from the kubeconfig (CN the user, O the groups)', async () => {
    const certificate = server.pki.clientCertificate('kubernetes-admin', ['system:masters']);
    const client = connect(server, { clientCertificate: certificate });
    expect(value(await client.list('namespaces')).items.length).toBeGreaterThan(0);
    expect(server.requests.at(-1)?.user).toBe('kubernetes-admin');
  });

  it('gets its token from an exec credential plugin, as aws eks get-token or kubelogin give it', async () => {
    server.addToken('token-from-plugin', { name: 'eks-user', groups: ['system:authenticated'] });
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: 'token-from-plugin' },
    });
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: process.execPath,
      args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`],
    };
    const client = connect(server, { exec });
    expect(value(await client.list('namespaces')).items.length).toBeGreaterThan(0);
    expect(server.requests.at(-1)?.user).toBe('eks-user');
  });

  it('a failing credential plugin is a config error naming the user, not an exception', async () => {
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: process.execPath,
      args: ['-e', 'process.stderr.write("token expired, run aws sso login"); process.exit(1)'],
    };
    const failure = error(await connect(server, { exec }).list('namespaces'));
    expect(failure.kind).toBe('config');
    expect(failure.message).toMatch(
      /^config: could not get the credentials of user "test-user" .*: token expired, run aws sso login$/,
    );
  });
});

describe("LocalSubjectAccessReview: may the pod's service account `use` the credspec?", () => {
  let server: K8sApiServer;
  let client: K8sClient;
  beforeAll(async () => {
    server = await startK8sApiServer();
    for (const ns of ['web', 'other']) server.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    server.load(sample('windows-gmsa__deploy__gmsa-crd.yml'));
    for (const i of [0, 1, 2])
      server.load(
        rendered('windows-gmsa__it-template__credspec-2.yml', { CredSpecNames: ['x', 'y', `gmsa-webapp${i}`] }),
      );
    server.load(rendered('windows-gmsa__it-template__service-account.yml'));
    client = connect(server);
  });
  afterAll(() => server.close());

  it('granted by a ClusterRoleBinding of a ClusterRole with resourceNames', async () => {
    server.load(
      rendered('windows-gmsa__it-template__credspecs-users-rbac-role.yml', {
        ClusterRoleName: 'use-webapp0',
        CredSpecNames: ['gmsa-webapp0'],
      }),
    );
    // charts/gmsa/templates/clusterrolebinding.yaml's shape, bound to the application's service account.
    server.add({
      kind: 'ClusterRoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'webapp-sa-use-webapp0' },
      subjects: [{ kind: 'ServiceAccount', name: 'webapp-sa', namespace: 'web' }],
      roleRef: { kind: 'ClusterRole', name: 'use-webapp0', apiGroup: 'rbac.authorization.k8s.io' },
    });
    const review = value(await client.reviewAccess(useReview('web', 'webapp-sa', 'gmsa-webapp0')));
    expect(review).toEqual({
      allowed: true,
      denied: false,
      reason:
        'RBAC: allowed by ClusterRoleBinding "webapp-sa-use-webapp0" of ClusterRole "use-webapp0" to ServiceAccount "webapp-sa/web"',
    });
    // The same role names no other credspec.
    expect(value(await client.reviewAccess(useReview('web', 'webapp-sa', 'gmsa-webapp1'))).allowed).toBe(false);
  });

  it("granted by a RoleBinding only in the pod's namespace", async () => {
    server.load(
      rendered('windows-gmsa__it-template__all-credspecs-users-rbac-role.yml', {
        ClusterRoleName: 'use-all-credspecs',
      }),
    );
    server.load(
      rendered('windows-gmsa__it-template__sa-rbac-binding.yml', {
        ClusterRoleName: 'use-all-credspecs',
        RoleBindingName: 'webapp-sa-use-all',
      }),
    );
    const inWeb = value(await client.reviewAccess(useReview('web', 'webapp-sa', 'gmsa-webapp2')));
    expect(inWeb).toEqual({
      allowed: true,
      denied: false,
      reason:
        'RBAC: allowed by RoleBinding "webapp-sa-use-all/web" of ClusterRole "use-all-credspecs" to ServiceAccount "webapp-sa/web"',
    });
    // A pod of the same name's service account in another namespace is another user, and the binding is not there.
    expect(value(await client.reviewAccess(useReview('other', 'webapp-sa', 'gmsa-webapp2')))).toEqual({
      allowed: false,
      denied: false,
      reason: '',
    });
    // The review in the binding's namespace, for a user of another namespace: the subject does not match.
    const stranger = serviceAccountUser('other', 'webapp-sa');
    expect(
      value(
        await client.reviewAccess({
          ...useReview('web', 'webapp-sa', 'gmsa-webapp2'),
          user: stranger.name,
          groups: stranger.groups,
        }),
      ).allowed,
    ).toBe(false);
  });

  it('denied otherwise, with the resolution error when a binding names a role that does not exist', async () => {
    expect(value(await client.reviewAccess(useReview('web', 'default', 'gmsa-webapp1')))).toEqual({
      allowed: false,
      denied: false,
      reason: '',
    });
    server.add({
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'dangling', namespace: 'web' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'web' }],
      roleRef: { kind: 'ClusterRole', name: 'gmsa-user-role', apiGroup: 'rbac.authorization.k8s.io' },
    });
    expect(value(await client.reviewAccess(useReview('web', 'default', 'gmsa-webapp1')))).toEqual({
      allowed: false,
      denied: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gmsa-user-role" not found',
    });
  });

  it("resourceNames match exactly: the docs' gmsa-WebApp1 never grants gmsa-webapp1, and gmsa-WebApp1 cannot exist", async () => {
    server.load(sample('kubernetes-website__configure-gmsa__clusterrole-resourceNames-gmsa-WebApp1.yaml'));
    server.add({
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'allow-default-svc-account-read-on-gmsa-WebApp1', namespace: 'other' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'other' }],
      roleRef: { kind: 'ClusterRole', name: 'webapp1-role', apiGroup: 'rbac.authorization.k8s.io' },
    });
    expect(value(await client.reviewAccess(useReview('other', 'default', 'gmsa-webapp1'))).allowed).toBe(false);
    expect(value(await client.reviewAccess(useReview('other', 'default', 'gmsa-WebApp1'))).allowed).toBe(true);
    const docsCredspec = credspecSample('kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml');
    expect(() => server.load(docsCredspec)).toThrow(
      'GMSACredentialSpec.windows.k8s.io "gmsa-WebApp1" is invalid: metadata.name: Invalid value: "gmsa-WebApp1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    );
  });
});

describe('the CRD decides what a stored GMSACredentialSpec keeps', () => {
  let server: K8sApiServer;
  afterEach(() => server.close());

  const credspec = (object: K8sObject): Record<string, any> => object.credspec as Record<string, any>;

  it('a CRD whose credspec is a bare object prunes every credspec to {}', async () => {
    server = await startK8sApiServer();
    server.load(sample('windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml'));
    const [added] = server.load(credspecSample('macsux-kerberos-buildpack__CcgPlugin__gmsa-spec.yaml'));
    expect(added!.warnings).toEqual([
      'unknown field "credspec.ActiveDirectoryConfig"',
      'unknown field "credspec.CmsPlugins"',
      'unknown field "credspec.DomainJoinConfig"',
    ]);
    const client = connect(server);
    const stored = value(await client.get('gmsacredentialspecsV1alpha1', 'aks-gmsa-spec'));
    expect(credspec(stored)).toEqual({});
    expect(stored).toMatchObject({
      apiVersion: 'windows.k8s.io/v1alpha1',
      kind: 'GMSACredentialSpec',
      metadata: { name: 'aks-gmsa-spec' },
    });
    // That CRD serves only v1alpha1: the v1 path is not served at all.
    expect(error(await client.list('gmsacredentialspecs')).kind).toBe('not-found');
  });

  it('a CRD without HostAccountConfig drops the CCG plug-in block, and upgrading the CRD does not bring it back', async () => {
    server = await startK8sApiServer();
    server.load(sample('windows-gmsa__1607040__gmsa-crd-without-HostAccountConfig.yml'));
    const [added] = server.load(credspecSample('macsux-kerberos-buildpack__CcgPlugin__gmsa-spec.yaml'));
    expect(added!.warnings).toEqual(['unknown field "credspec.ActiveDirectoryConfig.HostAccountConfig"']);
    const client = connect(server);
    const stored = credspec(value(await client.get('gmsacredentialspecsV1alpha1', 'aks-gmsa-spec')));
    expect(stored.ActiveDirectoryConfig).toEqual({
      GroupManagedServiceAccounts: [
        { Name: 'gmsa1', Scope: 'ALMIREX' },
        { Name: 'gmsa1', Scope: 'almirex.dc' },
      ],
    });
    expect(stored.DomainJoinConfig.Sid).toBe('S-1-5-21-3483396884-3677748265-799010679');
    server.load(sample('windows-gmsa__deploy__gmsa-crd.yml'));
    const afterUpgrade = credspec(value(await client.get('gmsacredentialspecs', 'aks-gmsa-spec')));
    expect(afterUpgrade.ActiveDirectoryConfig.HostAccountConfig).toBeUndefined();
    // Applied again under the current CRD, the block is kept (and served at v1, the storage version).
    server.load(credspecSample('macsux-kerberos-buildpack__CcgPlugin__gmsa-spec.yaml'));
    const reapplied = credspec(value(await client.get('gmsacredentialspecs', 'aks-gmsa-spec')));
    expect(reapplied.ActiveDirectoryConfig.HostAccountConfig).toEqual({
      PluginGUID: '{CCC2A336-D7F3-4818-A213-272B7924213E}',
      PluginInput: expect.any(String),
      PortableCcgVersion: '1',
    });
  });

  it('the current CRD refuses a PluginInput given as an object (AWS style) instead of pruning it', async () => {
    server = await startK8sApiServer();
    server.load(sample('windows-gmsa__deploy__gmsa-crd.yml'));
    const aws = JSON.parse(
      credspecSample('aws-credentials-fetcher__tests-assets__contoso_WebApp01_ndj.json'),
    ) as Record<string, unknown>;
    let refused: ApiStatusError | undefined;
    try {
      server.add({
        apiVersion: 'windows.k8s.io/v1',
        kind: 'GMSACredentialSpec',
        metadata: { name: 'webapp01' },
        credspec: aws,
      });
    } catch (e) {
      refused = e as ApiStatusError;
    }
    expect(refused?.status.code).toBe(422);
    expect(refused?.status.message).toBe(
      'GMSACredentialSpec.windows.k8s.io "webapp01" is invalid: credspec.ActiveDirectoryConfig.HostAccountConfig.PluginInput: Invalid value: "object": credspec.ActiveDirectoryConfig.HostAccountConfig.PluginInput in body must be of type string: "object"',
    );
  });
});

describe('pod logs', () => {
  let server: K8sApiServer;
  let client: K8sClient;
  beforeAll(async () => {
    server = await startK8sApiServer();
    server.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    server.add(webPod('on-node', { nodeName: 'akswin000000' }));
    server.add(webPod('unscheduled'));
    const several = parse(
      rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml', { TestName: 'two' }),
    ) as Record<string, any>;
    several.spec.nodeName = 'akswin000000';
    several.spec.containers.push({ name: 'sidecar', image: 'registry.k8s.io/pause' });
    server.add(several);
    server.setPodLog('web', 'on-node', 'nginx', '{"node":"akswin000000","facts":1}\nsecond line\nthird line\n');
    client = connect(server);
  });
  afterAll(() => server.close());

  it("reads a container's log, its last lines, or its first bytes", async () => {
    expect(value(await client.podLog('web', 'on-node'))).toBe(
      '{"node":"akswin000000","facts":1}\nsecond line\nthird line\n',
    );
    expect(value(await client.podLog('web', 'on-node', { tailLines: 1 }))).toBe('third line\n');
    expect(value(await client.podLog('web', 'on-node', { limitBytes: 9 }))).toBe('{"node":"');
    expect(server.requests.at(-1)?.query).toEqual({ limitBytes: '9' });
  });

  it("says why there is no log: the API server's own texts", async () => {
    const choose = error(await client.podLog('web', 'two'));
    expect(choose.kind).toBe('api');
    expect(choose.status?.message).toBe(
      'a container name must be specified for pod two, choose one of: [nginx sidecar]',
    );
    expect(error(await client.podLog('web', 'unscheduled')).status?.message).toBe(
      'pod unscheduled does not have a host assigned',
    );
    expect(error(await client.podLog('web', 'gone')).kind).toBe('not-found');
  });
});
