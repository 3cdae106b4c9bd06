// `gmsa-doctor k8s`, end to end: the CLI with a kubeconfig for the test API server (test/helpers/k8s-api-server.ts),
// through the real read-only client (src/probes/k8s), the scan (src/plan/k8s-scan.ts) and the rules (src/k8s), one
// case per way the issue says clusters break. The cluster holds the real windows-gmsa manifests (clusters.ts).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/finding.js';
import type { K8sObject } from '../../../src/k8s/index.js';
import { cli } from '../../helpers/cli.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import type { KeyPair } from '../../helpers/k8s-tls.js';
import { TestPki } from '../../helpers/k8s-tls.js';
import type { ClusterOptions } from './clusters.js';
import {
  admittedPod,
  appliedAtV1alpha1,
  healthyCluster,
  startWebhook,
  WEBHOOK_VERSION,
  webhookBench,
  WINDOWS,
} from './clusters.js';
import { rendered, renderedCredspec, sample, windowsNode } from './helpers.js';

const bench = webhookBench('gmsa-scan-');

let server: K8sApiServer | undefined;
let webhook: { port: number; close(): Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  await webhook?.close();
  server = webhook = undefined;
});

/** The cluster with its webhook running (serving `certificate`), unless `webhookRunning` is false. */
async function cluster(
  options: Partial<ClusterOptions> & { certificate?: KeyPair; webhookRunning?: boolean } = {},
): Promise<K8sApiServer> {
  const certificate = options.certificate ?? bench.serving;
  if (options.webhookRunning !== false) webhook = await startWebhook(certificate);
  server = await healthyCluster({
    webhookPki: bench.pki,
    serving: certificate,
    ...(webhook ? { webhookPort: webhook.port } : {}),
    ...options,
  });
  return server;
}

interface Scan {
  code: number;
  json: {
    exitCode: number;
    findings: Finding[];
    notChecked: { id: string; how: string }[];
    mostLikelyCause?: { link: string; findingId: string; summary: string };
    vantagePoint: string;
  };
  out: string;
}

async function scan(s: K8sApiServer, ...args: string[]): Promise<Scan> {
  const kubeconfig = s.writeKubeconfig(`kubeconfig-${Math.random().toString(36).slice(2)}`);
  const { code, out, err } = await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json', ...args);
  expect(err).toBe('');
  return { code, json: JSON.parse(out) as Scan['json'], out };
}

const problems = (s: Scan): Finding[] =>
  s.json.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
const one = (s: Scan, id: string, severity: Finding['severity']): Finding => {
  const found = s.json.findings.filter((f) => f.id === id && f.severity === severity);
  expect(found, JSON.stringify(problems(s).map((f) => [f.id, f.message]))).toHaveLength(1);
  return found[0]!;
};

describe('gmsa-doctor k8s against the test API server', () => {
  it("healthy: exit 0, no error or warning; the webhook's review in the pod's namespace is granted by a RoleBinding only", async () => {
    const s = await cluster();
    s.add(
      admittedPod(
        'webapp-single',
        'gmsa-webapp2',
        (parse(rendered('windows-gmsa__it-template__credspec-2.yml')) as K8sObject).credspec,
      ),
    );
    const result = await scan(s);
    expect(problems(result)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.json.exitCode).toBe(0);
    expect(result.json.mostLikelyCause).toBeUndefined();
    expect(result.json.findings.filter((f) => f.severity === 'pass').map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'k8s/crd-installed',
        'k8s/crd-schema',
        'k8s/credspec-exists',
        'k8s/credspec-use-permitted',
        'k8s/webhook-service',
        'k8s/webhook-certificate',
        'k8s/node-windows-build',
        'k8s/windows-nodes-only',
        'k8s/contents-injected',
      ]),
    );
    // The webhook reached at its endpoint: its certificate verified against the caBundle, its version read.
    expect(one(result, 'k8s/webhook-version', 'info').message).toBe(
      `the webhook behind gmsa-webhook/gmsa-webhook reports version ${WEBHOOK_VERSION}`,
    );
    // The grant: the integration tests' RoleBinding in `web`; nothing cluster-wide grants `use`.
    const bindings = s.store.stored(s.store.typeFor('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings')!);
    expect(JSON.stringify(bindings.map((b) => b.object.roleRef))).not.toContain('webapp-use-credspecs');
    const reviews = s.requests.filter((r) => r.resource === 'localsubjectaccessreviews');
    expect(reviews.map((r) => r.path)).toEqual([
      '/apis/authorization.k8s.io/v1/namespaces/web/localsubjectaccessreviews',
      '/apis/authorization.k8s.io/v1/namespaces/web/localsubjectaccessreviews',
    ]);
    // Read-only: lists, gets and the reviews; never a Secret.
    expect(s.requests.every((r) => r.method === 'GET' || r.resource === 'localsubjectaccessreviews')).toBe(true);
    expect(s.requests.some((r) => r.resource === 'secrets')).toBe(false);
    expect(result.out).not.toContain(bench.serving.key.split('\n')[1]!);
    // What a scan through the API cannot judge: the AD side of the accounts the credspecs name, and the nodes.
    const how = new Set(result.json.notChecked.map((n) => n.how));
    expect([...how]).toEqual([
      expect.stringMatching(/^against AD: `gmsa-doctor check --domain \S+ --gmsa /),
      expect.stringMatching(
        /^on each Windows node: `gmsa-doctor k8s --nodes --image IMAGE` \(deploy\/\), or `gmsa-doctor check` there$/,
      ),
    ]);
  });

  it('name case mismatch: exit 1, the cause is the pod link', async () => {
    const s = await cluster();
    s.load(
      rendered('windows-gmsa__it-template__simple-with-gmsa.yml', {
        TestName: 'webapp-case',
        CredSpecNames: ['gmsa-WebApp0'],
        ExtraSpecLines: WINDOWS,
      }),
    );
    const result = await scan(s);
    const f = one(result, 'k8s/credspec-exists', 'error');
    expect(f.subject).toBe('web/Deployment/webapp-case');
    expect(f.message).toContain('"gmsa-webapp0" exists, but names are compared exactly (case matters)');
    expect(result.code).toBe(1);
    expect(result.json.mostLikelyCause).toMatchObject({ link: 'pod', findingId: 'k8s/credspec-exists' });
  });

  it('unknown credspec', async () => {
    const s = await cluster();
    s.load(
      rendered('k8s-windows-gmsa__simple-with-unknown-gmsa.yml', {
        TestName: 'webapp-unknown',
        ExtraSpecLines: WINDOWS,
      }),
    );
    expect(one(await scan(s), 'k8s/credspec-exists', 'error').message).toContain(
      '"i-sure-dont-exist", which does not exist. The webhook refuses the pod: admission webhook "admission-webhook.windows-gmsa.sigs.k8s.io" denied the request: cred spec i-sure-dont-exist does not exist',
    );
  });

  it('inline contents differing', async () => {
    const s = await cluster();
    s.load(
      rendered('k8s-windows-gmsa__simple-with-pre-set-unmatching-contents.yml', {
        TestName: 'webapp-preset',
        ExtraSpecLines: WINDOWS,
      }),
    );
    expect(one(await scan(s), 'k8s/inline-contents-match', 'error').message).toContain(
      'does not match the contents of GMSA resource "gmsa-webapp0"',
    );
  });

  it('contents without a name', async () => {
    const s = await cluster();
    s.load(
      rendered('k8s-windows-gmsa__simple-with-preset-gmsa-pod-level-contents.yml', {
        TestName: 'webapp-noname',
        ExtraSpecLines: WINDOWS,
      }),
    );
    expect(one(await scan(s), 'k8s/contents-without-name', 'error').message).toContain(
      'has a GMSA cred spec set, but does not define the name of the corresponding resource',
    );
  });

  it("RBAC missing: the API server's review denies, and the finding is the webhook's text", async () => {
    const s = await cluster();
    expect(s.remove('rbac.authorization.k8s.io/v1', 'RoleBinding', 'webapp-sa-use-credspecs', 'web')).toBe(true);
    const result = await scan(s);
    const f = one(result, 'k8s/credspec-use-permitted', 'error');
    expect(f.message).toContain(
      'denied the request: service account "webapp-sa" is not authorized to `use` GMSA cred spec "gmsa-webapp0"',
    );
    expect(f.evidence).toMatchObject({ decidedBy: 'access review', namespace: 'web' });
    expect(result.code).toBe(1);
  });

  it("granted only by a RoleBinding: in the pod's namespace it grants `use`; the same binding in another namespace does not", async () => {
    const s = await cluster();
    const granted = await scan(s);
    one(granted, 'k8s/credspec-use-permitted', 'pass');
    expect(
      s.store
        .stored(s.store.typeFor('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings')!)
        .some((b) => JSON.stringify(b.object.subjects ?? []).includes('webapp-sa')),
    ).toBe(false);
    // The binding moved to another namespace: its subject is still web's webapp-sa, but it grants only there.
    expect(s.remove('rbac.authorization.k8s.io/v1', 'RoleBinding', 'webapp-sa-use-credspecs', 'web')).toBe(true);
    s.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shared' } });
    s.load(
      rendered('windows-gmsa__it-template__sa-rbac-binding.yml').replace(
        'namespace: web\nsubjects',
        'namespace: shared\nsubjects',
      ),
    );
    const denied = await scan(s);
    expect(one(denied, 'k8s/credspec-use-permitted', 'error').message).toContain(
      'service account "webapp-sa" is not authorized to `use` GMSA cred spec "gmsa-webapp0"',
    );
    expect(denied.code).toBe(1);
  });

  it('pruning CRD: credspecs stored as {} (applied at v1alpha1, the only version it serves); the cluster is the cause', async () => {
    const s = await cluster({
      crd: sample('windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml'),
      credspecs: [appliedAtV1alpha1('k8s-windows-gmsa__credspec-0.yml')],
    });
    const result = await scan(s);
    expect(one(result, 'k8s/crd-schema', 'error').message).toContain('prunes every credspec to {}');
    const stored = result.json.findings
      .filter((f) => f.id === 'k8s/credspec-schema' && f.severity === 'error')
      .map((f) => f.message);
    expect(stored.some((m) => m.includes('GMSACredentialSpec gmsa-webapp0 is stored as credspec: {}'))).toBe(true);
    expect(
      stored.some((m) =>
        /drops credspec\.ActiveDirectoryConfig, credspec\.CmsPlugins, credspec\.DomainJoinConfig from GMSACredentialSpec gmsa-webapp0 \(what kubectl applied/.test(
          m,
        ),
      ),
    ).toBe(true);
    expect(result.json.mostLikelyCause).toMatchObject({ link: 'cluster', findingId: 'k8s/crd-schema' });
    // The v1 list answered 404 (this CRD serves only v1alpha1): read again at v1alpha1.
    expect(s.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/apis/windows.k8s.io/v1/gmsacredentialspecs',
        '/apis/windows.k8s.io/v1alpha1/gmsacredentialspecs',
      ]),
    );
  });

  it('CRD without HostAccountConfig: a credspec for a CCG plug-in lost its plug-in block', async () => {
    const s = await cluster({
      crd: sample('windows-gmsa__1607040__gmsa-crd-without-HostAccountConfig.yml'),
      credspecs: [appliedAtV1alpha1('k8s-windows-gmsa__credspec-with-hostagentconfig.yml')],
    });
    const result = await scan(s);
    expect(one(result, 'k8s/crd-schema', 'error').evidence?.dropped).toEqual([
      'credspec.ActiveDirectoryConfig.HostAccountConfig',
    ]);
    expect(
      result.json.findings.some(
        (f) =>
          f.id === 'k8s/credspec-schema' &&
          f.message.includes(
            'drops credspec.ActiveDirectoryConfig.HostAccountConfig from GMSACredentialSpec gmsa-webapp0',
          ),
      ),
    ).toBe(true);
  });

  it('webhook without endpoints: every pod CREATE refused in the namespaces it covers; its certificate not checked, saying why', async () => {
    const s = await cluster({ webhookRunning: false });
    const result = await scan(s);
    const found = result.json.findings.filter((f) => f.id === 'k8s/webhook-service' && f.severity === 'error');
    expect(found.map((f) => f.subject).sort()).toEqual([
      'MutatingWebhookConfiguration/gmsa-webhook',
      'ValidatingWebhookConfiguration/gmsa-webhook',
    ]);
    expect(found[0]!.message).toContain('no endpoints available for service "gmsa-webhook"');
    expect(found[0]!.message).toMatch(
      /the API server refuses every pod CREATE( and UPDATE)? in 5 of 6 namespaces \(all but gmsa-webhook\)/,
    );
    expect(result.json.mostLikelyCause).toMatchObject({ link: 'cluster', findingId: 'k8s/webhook-service' });
    expect(one(result, 'k8s/webhook-version', 'skipped').message).toBe(
      'not checked: the webhook\'s /info behind gmsa-webhook/gmsa-webhook could not be read (no ready endpoint to connect to; through the API server: get core/services/proxy "gmsa-webhook" in namespace "gmsa-webhook": HTTP 503 ServiceUnavailable: no endpoints available for service "gmsa-webhook")',
    );
    expect(
      result.json.findings.filter((f) => f.id === 'k8s/webhook-certificate' && f.severity === 'skipped')[0]?.message,
    ).toBe(
      'not checked: the serving certificate of gmsa-webhook/gmsa-webhook could not be read (no ready endpoint to connect to)',
    );
  });

  it('webhook certificate expired: the x509 error the API server gets, and that it blocks pod creation', async () => {
    const s = await cluster({ certificate: bench.pki.serving(-1) });
    const errors = (await scan(s)).json.findings.filter(
      (f) => f.id === 'k8s/webhook-certificate' && f.severity === 'error',
    );
    expect(errors.map((f) => f.subject).sort()).toEqual([
      'MutatingWebhookConfiguration/gmsa-webhook',
      'ValidatingWebhookConfiguration/gmsa-webhook',
    ]);
    expect(errors[0]!.message).toMatch(
      /^the serving certificate of gmsa-webhook\/gmsa-webhook expired at .*x509: certificate has expired or is not yet valid: current time .* is after /,
    );
    expect(errors[0]!.evidence).toMatchObject({
      source: expect.stringMatching(/^TLS handshake with 127\.0\.0\.1:\d+ \(endpoint of gmsa-webhook\/gmsa-webhook\)$/),
    });
  });

  it("webhook certificate not from the caBundle's CA: x509 unknown authority", async () => {
    const other = new TestPki(mkdtempSync(join(bench.dir, 'other-')), 'other-ca', 400);
    const s = await cluster({ certificate: bench.pki.serving(365, other) });
    const errors = (await scan(s)).json.findings.filter(
      (f) => f.id === 'k8s/webhook-certificate' && f.severity === 'error',
    );
    expect(errors).toHaveLength(2);
    expect(errors.every((f) => f.message.includes('x509: certificate signed by unknown authority'))).toBe(true);
  });

  it('pod able to land on Linux: a warning, exit 0', async () => {
    const s = await cluster();
    s.load(rendered('windows-gmsa__it-template__simple-with-gmsa.yml', { TestName: 'webapp-anywhere' }));
    const result = await scan(s);
    expect(one(result, 'k8s/windows-nodes-only', 'warning').message).toBe(
      'web/Deployment/webapp-anywhere uses a gMSA and can be scheduled on 1 Linux node (aks-nodepool1-0): there it runs without its gMSA.',
    );
    expect(result.code).toBe(0);
  });

  it('replicas sharing a gMSA', async () => {
    const s = await cluster();
    const contents = (parse(renderedCredspec('k8s-windows-gmsa__credspec-0.yml')) as K8sObject).credspec;
    for (const name of ['webapp-5d8f7b6c9-x2x4k', 'webapp-5d8f7b6c9-q8r7z'])
      s.add(admittedPod(name, 'gmsa-webapp0', contents));
    const warnings = (await scan(s)).json.findings.filter(
      (f) => f.id === 'k8s/shared-gmsa' && f.severity === 'warning',
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.evidence).toMatchObject({
      account: 'webapplication0',
      pods: 2,
      randomHostname: 'off',
      sameNetbiosName: ['WEBAPP-5D8F7B6C'],
    });
  });

  it('old node build: the Windows node is the cause', async () => {
    const s = await cluster({ windows: windowsNode('akswin000000', '10.0.17763.1339') });
    const result = await scan(s);
    expect(one(result, 'k8s/node-windows-build', 'error').message).toContain(
      'gMSA with containerd needs 17763.1817 or later (KB5000822',
    );
    expect(result.json.mostLikelyCause).toMatchObject({ link: 'container host', findingId: 'k8s/node-windows-build' });
  });

  it("the scan's own RBAC missing: a not-checked finding naming the permission; the rules it kept from judging under Not checked here", async () => {
    const s = await cluster();
    s.deny({ verb: 'list', resource: 'gmsacredentialspecs' });
    s.deny({ verb: 'create', resource: 'localsubjectaccessreviews' });
    const result = await scan(s);
    expect(result.code).toBe(0);
    const skipped = result.json.findings.filter((f) => f.id === 'k8s/scan-permissions');
    expect(skipped.map((f) => f.message)).toEqual([
      'not checked: everything that needs gmsacredentialspecs, as the scan lacks list on windows.k8s.io/gmsacredentialspecs (cluster-wide)',
      expect.stringMatching(
        /^not checked by the API server: 1 of the webhook's access questions \(LocalSubjectAccessReviews\) could not be asked \(forbidden: needs create on authorization\.k8s\.io\/localsubjectaccessreviews in namespace "web"/,
      ),
    ]);
    expect(skipped[0]!.remediation?.commands?.[0]).toBe(
      'kubectl auth can-i list gmsacredentialspecs.windows.k8s.io --all-namespaces',
    );
    const blocked = result.json.notChecked.filter((n) =>
      n.how.startsWith('grant the scan list on windows.k8s.io/gmsacredentialspecs (cluster-wide)'),
    );
    expect(blocked.map((n) => n.id)).toEqual(
      expect.arrayContaining(['k8s/credspec-exists', 'k8s/inline-contents-match', 'credspec/domain-sid']),
    );
    expect(result.json.findings.some((f) => f.id === 'k8s/credspec-exists')).toBe(false);
    // Without the review, the RBAC objects the scan could read answer the webhook's question.
    expect(one(result, 'k8s/credspec-use-permitted', 'pass').message).toBe(
      "The pod's service account may `use` the GMSACredentialSpec: 1 workloads using a gMSA checked.",
    );
  });
});
