// The cluster scan's judgement, on objects as the test API server (test/helpers/k8s-api-server.ts) returns them to
// the read-only client (src/probes/k8s): the real windows-gmsa manifests installed, one case per way clusters break.
// The scan lists every resource, asks the webhook's LocalSubjectAccessReviews, and runs the rules on what came back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/finding.js';
import { goJson } from '../../../src/k8s/admission.js';
import {
  accessQuestions,
  accessReviewKey,
  collectionFromList,
  judgeModel,
  RESOURCE_KEYS,
} from '../../../src/k8s/index.js';
import type { ClusterModel, Judgement, K8sObject, ResourceKey } from '../../../src/k8s/index.js';
import type { ResourceName } from '../../../src/probes/k8s/resources.js';
import { serviceAccountUser } from '../../../src/protocol/k8s/rbac.js';
import { renderShellTemplate } from '../../helpers/go-template.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import { startK8sApiServer } from '../../helpers/k8s-api-server.js';
import { TestPki } from '../../helpers/k8s-tls.js';
import { connect } from '../k8s/helpers.js';
import { linuxNode, rendered, renderedCredspec, sample, windowsNode } from './helpers.js';

let dir: string;
let pki: TestPki;
let serving: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gmsa-scan-'));
  pki = new TestPki(mkdtempSync(join(dir, 'pki-')), 'kubernetes', 400);
  serving = pki.issue('gmsa-webhook.gmsa-webhook.svc', {
    names: ['DNS:gmsa-webhook.gmsa-webhook.svc'],
    usage: 'serverAuth',
    days: 365,
  }).cert;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');
const WINDOWS = ['nodeSelector:', '  kubernetes.io/os: windows'];
let server: K8sApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A healthy cluster: the CRD, the webhook as its deploy script installs it (and its running pod), two nodes, credspecs 0..2, the integration tests' RBAC, a Deployment and a pod the webhook admitted. */
async function healthyCluster(
  options: { crd?: string; credspecs?: string[]; windows?: K8sObject } = {},
): Promise<K8sApiServer> {
  const s = await startK8sApiServer();
  s.add(linuxNode('aks-nodepool1-0'));
  s.add(options.windows ?? windowsNode('akswin000000', '10.0.20348.2527'));
  s.load(options.crd ?? sample('windows-gmsa__deploy__gmsa-crd.yml'));
  s.load(
    renderShellTemplate(sample('windows-gmsa__deploy__gmsa-webhook.yml.tpl'), {
      NAMESPACE: 'gmsa-webhook',
      NAME: 'gmsa-webhook',
      RBAC_ROLE_NAME: 'gmsa-webhook-rbac-role',
      IMAGE_NAME: 'registry.k8s.io/gmsa-webhook/k8s-gmsa-webhook:v0.13.0',
      TOLERATIONS: '',
      TLS_PRIVATE_KEY: b64('-----BEGIN PRIVATE KEY-----'),
      TLS_CERTIFICATE: b64(serving),
      CA_BUNDLE: b64(pki.ca.cert),
    }),
  );
  s.add({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'gmsa-webhook-6d4b9c7f8-kq2xv', namespace: 'gmsa-webhook', labels: { app: 'gmsa-webhook' } },
    spec: {
      nodeName: 'aks-nodepool1-0',
      serviceAccountName: 'gmsa-webhook',
      containers: [{ name: 'gmsa-webhook', image: 'registry.k8s.io/gmsa-webhook/k8s-gmsa-webhook:v0.13.0' }],
    },
  });
  s.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  const credspecs = [
    renderedCredspec('k8s-windows-gmsa__credspec-0.yml'),
    renderedCredspec('k8s-windows-gmsa__credspec-1-v1alpha1.yml'),
    rendered('windows-gmsa__it-template__credspec-2.yml'),
  ];
  for (const credspec of options.credspecs ?? credspecs) s.load(credspec);
  for (const name of ['credspecs-users-rbac-role', 'service-account', 'sa-rbac-binding'])
    s.load(rendered(`windows-gmsa__it-template__${name}.yml`));
  s.load(rendered('windows-gmsa__it-template__simple-with-gmsa.yml', { ExtraSpecLines: WINDOWS }));
  return s;
}

/** The pod the webhook admitted: contents as its mutating pass writes them. */
function admittedPod(name: string, credspec: string, contents: unknown, extra: string[] = []): K8sObject {
  return parse(
    rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml', {
      TestName: name,
      CredSpecNames: [credspec],
      CredSpecContent: goJson(contents),
      ExtraSpecLines: [...WINDOWS, 'nodeName: akswin000000', ...extra],
    }),
  ) as K8sObject;
}

const LISTED = RESOURCE_KEYS.filter((k): k is ResourceKey & ResourceName => k !== 'runtimeclasses');

/** What `gmsa-doctor k8s` would do: list, ask the webhook's questions, judge. */
async function scan(s: K8sApiServer, extra: Partial<ClusterModel> = {}): Promise<Judgement> {
  const client = connect(s);
  const lists = await client.listMany(LISTED);
  const resources: ClusterModel['resources'] = Object.fromEntries(
    LISTED.map((k) => [k, collectionFromList(k, lists[k])]),
  );
  const credspecs = resources.gmsacredentialspecs;
  if (credspecs?.state === 'unavailable' && credspecs.notFound)
    resources.gmsacredentialspecs = collectionFromList(
      'gmsacredentialspecs',
      await client.list('gmsacredentialspecsV1alpha1'),
    );
  const model: ClusterModel = {
    mode: 'cluster',
    now: new Date(),
    resources,
    servingCertificates: new Map([
      ['gmsa-webhook/gmsa-webhook', { pem: serving, source: 'TLS handshake with gmsa-webhook.gmsa-webhook.svc:443' }],
    ]),
    ...extra,
  };
  const accessReviews = new Map<
    string,
    { allowed: boolean; denied?: boolean; reason: string } | { unavailable: string }
  >();
  for (const q of accessQuestions(model)) {
    const user = serviceAccountUser(q.namespace, q.serviceAccount);
    const answer = await client.reviewAccess({
      namespace: q.namespace,
      user: user.name,
      groups: user.groups,
      verb: 'use',
      group: 'windows.k8s.io',
      resource: 'gmsacredentialspecs',
      name: q.credspec,
    });
    accessReviews.set(
      accessReviewKey(q.namespace, q.serviceAccount, q.credspec),
      answer.ok ? answer.value : { unavailable: answer.error.message },
    );
  }
  return judgeModel({ ...model, accessReviews });
}

const problems = (j: Judgement): Finding[] =>
  j.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
const one = (j: Judgement, id: string, severity: Finding['severity']): Finding => {
  const found = j.findings.filter((f) => f.id === id && f.severity === severity);
  expect(found, JSON.stringify(problems(j).map((f) => [f.id, f.message]))).toHaveLength(1);
  return found[0]!;
};

describe('cluster scan through the API', () => {
  it("healthy: no error, no warning; the webhook's access review (in the pod's namespace) granted use through the RoleBinding", async () => {
    server = await healthyCluster();
    server.add(
      admittedPod(
        'webapp-single',
        'gmsa-webapp2',
        (parse(rendered('windows-gmsa__it-template__credspec-2.yml')) as K8sObject).credspec,
      ),
    );
    const j = await scan(server);
    expect(problems(j)).toEqual([]);
    expect(j.findings.filter((f) => f.severity === 'pass').map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'k8s/credspec-exists',
        'k8s/credspec-use-permitted',
        'k8s/webhook-service',
        'k8s/webhook-certificate',
        'k8s/node-windows-build',
        'k8s/crd-schema',
        'k8s/windows-nodes-only',
        'k8s/contents-injected',
      ]),
    );
    const reviews = server.requests.filter((r) => r.resource === 'localsubjectaccessreviews');
    expect(reviews.map((r) => r.path).sort()).toEqual([
      '/apis/authorization.k8s.io/v1/namespaces/web/localsubjectaccessreviews',
      '/apis/authorization.k8s.io/v1/namespaces/web/localsubjectaccessreviews',
    ]);
    expect(server.requests.every((r) => r.method === 'GET' || r.resource === 'localsubjectaccessreviews')).toBe(true);
  });

  it('name case mismatch', async () => {
    server = await healthyCluster();
    server.load(
      rendered('windows-gmsa__it-template__simple-with-gmsa.yml', {
        TestName: 'webapp-case',
        CredSpecNames: ['gmsa-WebApp0'],
        ExtraSpecLines: WINDOWS,
      }),
    );
    const f = one(await scan(server), 'k8s/credspec-exists', 'error');
    expect(f.subject).toBe('web/Deployment/webapp-case');
    expect(f.message).toContain('"gmsa-webapp0" exists, but names are compared exactly (case matters)');
  });

  it('unknown credspec', async () => {
    server = await healthyCluster();
    server.load(
      rendered('k8s-windows-gmsa__simple-with-unknown-gmsa.yml', {
        TestName: 'webapp-unknown',
        ExtraSpecLines: WINDOWS,
      }),
    );
    expect(one(await scan(server), 'k8s/credspec-exists', 'error').message).toContain(
      '"i-sure-dont-exist", which does not exist. The webhook refuses the pod: admission webhook "admission-webhook.windows-gmsa.sigs.k8s.io" denied the request: cred spec i-sure-dont-exist does not exist',
    );
  });

  it('inline contents differing', async () => {
    server = await healthyCluster();
    server.load(
      rendered('k8s-windows-gmsa__simple-with-pre-set-unmatching-contents.yml', {
        TestName: 'webapp-preset',
        ExtraSpecLines: WINDOWS,
      }),
    );
    expect(one(await scan(server), 'k8s/inline-contents-match', 'error').message).toContain(
      'does not match the contents of GMSA resource "gmsa-webapp0"',
    );
  });

  it('contents without a name', async () => {
    server = await healthyCluster();
    server.load(
      rendered('k8s-windows-gmsa__simple-with-preset-gmsa-pod-level-contents.yml', {
        TestName: 'webapp-noname',
        ExtraSpecLines: WINDOWS,
      }),
    );
    expect(one(await scan(server), 'k8s/contents-without-name', 'error').message).toContain(
      'has a GMSA cred spec set, but does not define the name of the corresponding resource',
    );
  });

  it("RBAC missing: the API server's review denies, and the finding is the webhook's text", async () => {
    server = await healthyCluster();
    expect(server.remove('rbac.authorization.k8s.io/v1', 'RoleBinding', 'webapp-sa-use-credspecs', 'web')).toBe(true);
    const f = one(await scan(server), 'k8s/credspec-use-permitted', 'error');
    expect(f.message).toContain(
      'denied the request: service account "webapp-sa" is not authorized to `use` GMSA cred spec "gmsa-webapp0"',
    );
    expect(f.evidence).toMatchObject({ decidedBy: 'access review', namespace: 'web' });
  });

  it('pruning CRD: credspecs stored as {} (applied at v1alpha1, the only version it serves)', async () => {
    const v1alpha1 = renderedCredspec('k8s-windows-gmsa__credspec-0.yml').replace(
      'windows.k8s.io/v1\n',
      'windows.k8s.io/v1alpha1\n',
    );
    const applied = parse(v1alpha1) as K8sObject;
    const annotated = {
      ...applied,
      metadata: {
        ...applied.metadata,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) },
      },
    };
    server = await healthyCluster({
      crd: sample('windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml'),
      credspecs: [JSON.stringify(annotated)],
    });
    const j = await scan(server);
    expect(one(j, 'k8s/crd-schema', 'error').message).toContain('prunes every credspec to {}');
    const stored = j.findings
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
  });

  it('CRD without HostAccountConfig: a credspec for a CCG plug-in lost its plug-in block', async () => {
    const v1alpha1 = renderedCredspec('k8s-windows-gmsa__credspec-with-hostagentconfig.yml').replace(
      'windows.k8s.io/v1\n',
      'windows.k8s.io/v1alpha1\n',
    );
    const applied = parse(v1alpha1) as K8sObject;
    const annotated = {
      ...applied,
      metadata: {
        ...applied.metadata,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) },
      },
    };
    server = await healthyCluster({
      crd: sample('windows-gmsa__1607040__gmsa-crd-without-HostAccountConfig.yml'),
      credspecs: [JSON.stringify(annotated)],
    });
    const j = await scan(server);
    expect(one(j, 'k8s/crd-schema', 'error').evidence?.dropped).toEqual([
      'credspec.ActiveDirectoryConfig.HostAccountConfig',
    ]);
    expect(
      j.findings.some(
        (f) =>
          f.id === 'k8s/credspec-schema' &&
          f.message.includes(
            'drops credspec.ActiveDirectoryConfig.HostAccountConfig from GMSACredentialSpec gmsa-webapp0',
          ),
      ),
    ).toBe(true);
  });

  it('webhook without endpoints: every pod CREATE refused in the namespaces it covers', async () => {
    server = await healthyCluster();
    server.remove('v1', 'Pod', 'gmsa-webhook-6d4b9c7f8-kq2xv', 'gmsa-webhook');
    const found = (await scan(server)).findings.filter((f) => f.id === 'k8s/webhook-service' && f.severity === 'error');
    expect(found.map((f) => f.subject).sort()).toEqual([
      'MutatingWebhookConfiguration/gmsa-webhook',
      'ValidatingWebhookConfiguration/gmsa-webhook',
    ]);
    expect(found[0]!.message).toContain('no endpoints available for service "gmsa-webhook"');
    expect(found[0]!.message).toMatch(
      /the API server refuses every pod CREATE( and UPDATE)? in 5 of 6 namespaces \(all but gmsa-webhook\)/,
    );
  });

  it("webhook certificate expired, or not from the caBundle's CA", async () => {
    server = await healthyCluster();
    const expired = (await scan(server, { now: new Date(Date.now() + 400 * 86_400_000) })).findings.filter(
      (f) => f.id === 'k8s/webhook-certificate' && f.severity === 'error',
    );
    expect(expired.some((f) => f.message.includes('x509: certificate has expired or is not yet valid'))).toBe(true);
    const other = new TestPki(mkdtempSync(join(dir, 'other-')), 'other-ca', 400);
    const foreign = other.issue('gmsa-webhook.gmsa-webhook.svc', {
      names: ['DNS:gmsa-webhook.gmsa-webhook.svc'],
      usage: 'serverAuth',
      days: 365,
    }).cert;
    const j = await scan(server, {
      servingCertificates: new Map([
        ['gmsa-webhook/gmsa-webhook', { pem: foreign, source: 'secret gmsa-webhook/gmsa-webhook' }],
      ]),
    });
    expect(
      j.findings
        .filter((f) => f.id === 'k8s/webhook-certificate' && f.severity === 'error')
        .every((f) => f.message.includes('x509: certificate signed by unknown authority')),
    ).toBe(true);
  });

  it('pod able to land on Linux', async () => {
    server = await healthyCluster();
    server.load(rendered('windows-gmsa__it-template__simple-with-gmsa.yml', { TestName: 'webapp-anywhere' }));
    const f = one(await scan(server), 'k8s/windows-nodes-only', 'warning');
    expect(f.message).toBe(
      'web/Deployment/webapp-anywhere uses a gMSA and can be scheduled on 1 Linux node (aks-nodepool1-0): there it runs without its gMSA.',
    );
  });

  it('replicas sharing a gMSA', async () => {
    server = await healthyCluster();
    const contents = (parse(renderedCredspec('k8s-windows-gmsa__credspec-0.yml')) as K8sObject).credspec;
    for (const name of ['webapp-5d8f7b6c9-x2x4k', 'webapp-5d8f7b6c9-q8r7z'])
      server.add(admittedPod(name, 'gmsa-webapp0', contents));
    const warnings = (await scan(server)).findings.filter(
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

  it('old node build', async () => {
    server = await healthyCluster({ windows: windowsNode('akswin000000', '10.0.17763.1339') });
    expect(one(await scan(server), 'k8s/node-windows-build', 'error').message).toContain(
      'gMSA with containerd needs 17763.1817 or later (KB5000822',
    );
  });

  it("the scan's own RBAC missing: not checked, naming the permission; never a crash, never a silent pass", async () => {
    server = await healthyCluster();
    server.deny({ verb: 'list', resource: 'gmsacredentialspecs' });
    server.deny({ verb: 'create', resource: 'localsubjectaccessreviews' });
    const j = await scan(server);
    const skipped = j.findings.filter((f) => f.id === 'k8s/scan-permissions');
    expect(skipped.map((f) => f.message)).toEqual([
      'not checked: everything that needs gmsacredentialspecs, as the scan lacks list on windows.k8s.io/gmsacredentialspecs (cluster-wide)',
      expect.stringMatching(
        /^not checked by the API server: 1 of the webhook's access questions \(LocalSubjectAccessReviews\) could not be asked \(forbidden: needs create on authorization\.k8s\.io\/localsubjectaccessreviews in namespace "web"/,
      ),
    ]);
    expect(one(j, 'k8s/credspec-exists', 'skipped').message).toMatch(
      /^not checked: gmsacredentialspecs could not be read/,
    );
    // Without the review, the RBAC objects the scan could read answer the webhook's question.
    expect(one(j, 'k8s/credspec-use-permitted', 'pass').message).toBe(
      "The pod's service account may `use` the GMSACredentialSpec: 1 workloads using a gMSA checked.",
    );
  });
});
