// The webhook rules (src/k8s/rules/webhook.ts) on the windows-gmsa webhook as its deploy script installs it
// (admission-webhook/deploy/gmsa-webhook.yml.tpl rendered with the values the script passes), with certificates
// made by openssl at test time, and the objects the API server and its controllers add (Endpoints, nodes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterModel, K8sObject } from '../../../src/k8s/index.js';
import { renderShellTemplate } from '../../helpers/go-template.js';
import { TestPki } from '../../helpers/k8s-tls.js';
import {
  clusterModel,
  findings,
  judgeCluster,
  lint,
  linuxNode,
  only,
  rendered,
  renderedCredspec,
  sample,
  windowsNode,
} from './helpers.js';

let dir: string;
let pki: TestPki;
let otherPki: TestPki;
let serving: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gmsa-webhook-pki-'));
  pki = new TestPki(mkdtempSync(join(dir, 'k-')), 'kubernetes', 400);
  serving = pki.issue('gmsa-webhook.gmsa-webhook.svc', {
    names: ['DNS:gmsa-webhook.gmsa-webhook.svc'],
    usage: 'serverAuth',
    days: 365,
  }).cert;
  otherPki = new TestPki(mkdtempSync(join(dir, 'o-')), 'other-ca', 400);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The deploy script's install, as the API server stores it. */
function install(values: Record<string, string> = {}): K8sObject[] {
  const text = renderShellTemplate(sample('windows-gmsa__deploy__gmsa-webhook.yml.tpl'), {
    NAMESPACE: 'gmsa-webhook',
    NAME: 'gmsa-webhook',
    RBAC_ROLE_NAME: 'gmsa-webhook-rbac-role',
    IMAGE_NAME: 'registry.k8s.io/gmsa-webhook/k8s-gmsa-webhook:v0.13.0',
    TOLERATIONS: '',
    TLS_PRIVATE_KEY: b64('unused'),
    TLS_CERTIFICATE: b64(serving),
    CA_BUNDLE: b64(pki.ca.cert),
    ...values,
  });
  return parseAllDocuments(text).map((d) => d.toJS() as K8sObject);
}

const endpoints = (ready: boolean): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'gmsa-webhook', namespace: 'gmsa-webhook' },
  subsets: [
    {
      [ready ? 'addresses' : 'notReadyAddresses']: [
        {
          ip: '10.244.1.7',
          nodeName: 'aks-nodepool1-0',
          targetRef: { kind: 'Pod', namespace: 'gmsa-webhook', name: 'gmsa-webhook-6d4b9c7f8-kq2xv' },
        },
      ],
      ports: [{ port: 443, protocol: 'TCP' }],
    },
  ],
});
const namespace = (name: string, labels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
});

function cluster(objects: (K8sObject | string)[], extra: Partial<ClusterModel> = {}): ClusterModel {
  return clusterModel(objects, {
    servingCertificates: new Map([
      ['gmsa-webhook/gmsa-webhook', { pem: serving, source: 'TLS handshake with gmsa-webhook.gmsa-webhook.svc:443' }],
    ]),
    ...extra,
  });
}

const healthy = (): K8sObject[] => [
  ...install(),
  endpoints(true),
  namespace('default'),
  namespace('kube-system'),
  namespace('web'),
  linuxNode('aks-nodepool1-0'),
  windowsNode('akswin000000', '10.0.20348.2527'),
];

const WEBHOOK_IDS = [
  'k8s/webhook-installed',
  'k8s/webhook-failure-policy',
  'k8s/webhook-namespace-selector',
  'k8s/webhook-covers-namespace',
  'k8s/webhook-service',
  'k8s/webhook-linux-node',
  'k8s/webhook-certificate',
  'k8s/webhook-rbac',
];
const webhookProblems = (model: ClusterModel) =>
  judgeCluster(model).findings.filter(
    (f) => WEBHOOK_IDS.includes(f.id) && (f.severity === 'error' || f.severity === 'warning'),
  );

describe('a healthy webhook', () => {
  it('passes every webhook rule', () => {
    expect(webhookProblems(cluster(healthy()))).toEqual([]);
    const passed = judgeCluster(cluster(healthy()))
      .findings.filter((f) => WEBHOOK_IDS.includes(f.id) && f.severity === 'pass')
      .map((f) => f.id);
    expect(passed.sort()).toEqual(WEBHOOK_IDS.filter((id) => id !== 'k8s/webhook-covers-namespace').sort());
  });
});

describe('a broken webhook blocks pods, and the findings say so', () => {
  it("no ready endpoint: the API server's text, and the namespaces where every pod CREATE is refused", () => {
    const objects = healthy().map((o) => (o.kind === 'Endpoints' ? endpoints(false) : o));
    const found = webhookProblems(cluster(objects)).filter((f) => f.id === 'k8s/webhook-service');
    expect(found).toHaveLength(2);
    const mutating = found.find((f) => f.subject === 'MutatingWebhookConfiguration/gmsa-webhook')!;
    expect(mutating.message).toContain(
      'failed calling webhook "admission-webhook.windows-gmsa.sigs.k8s.io": failed to call webhook: Post "https://gmsa-webhook.gmsa-webhook.svc:443/mutate?timeout=10s": no endpoints available for service "gmsa-webhook"',
    );
    expect(mutating.message).toContain(
      'the API server refuses every pod CREATE in 3 of 4 namespaces (all but gmsa-webhook), Linux and Windows pods alike, gMSA or not',
    );
  });

  it("no Linux node that accepts the webhook's pods", () => {
    const objects = healthy().map((o) =>
      o.kind === 'Node' && o.metadata?.name === 'aks-nodepool1-0'
        ? linuxNode('aks-nodepool1-0', { taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] })
        : o,
    );
    const f = only(judgeCluster(cluster(objects)), 'k8s/webhook-linux-node', 'error');
    expect(f.message).toContain(
      "no Ready Linux node accepts the webhook's gmsa-webhook/Deployment/gmsa-webhook (1 Linux node: aks-nodepool1-0",
    );
  });

  it('its own namespace intercepted: it cannot recover; a gMSA namespace skipped: pods without gMSA', () => {
    const own = healthy().map((o) =>
      o.kind === 'Namespace' && o.metadata?.name === 'gmsa-webhook' ? namespace('gmsa-webhook') : o,
    );
    expect(findings(judgeCluster(cluster(own)), 'k8s/webhook-namespace-selector', 'error')).toHaveLength(2);
    const workload = rendered('windows-gmsa__it-template__simple-with-gmsa.yml', {
      ExtraSpecLines: ['nodeSelector:', '  kubernetes.io/os: windows'],
    });
    const skipped = [
      ...healthy().map((o) =>
        o.kind === 'Namespace' && o.metadata?.name === 'web' ? namespace('web', { 'gmsa-webhook': 'disabled' }) : o,
      ),
      ...parseAllDocuments(workload).map((d) => d.toJS() as K8sObject),
    ];
    const f = only(judgeCluster(cluster(skipped)), 'k8s/webhook-covers-namespace', 'error');
    expect(f.message).toContain('skips namespace web');
  });

  it('failurePolicy Ignore lets pods through without their credspec', () => {
    const objects = healthy().map((o) =>
      o.kind === 'MutatingWebhookConfiguration'
        ? { ...o, webhooks: (o.webhooks as any[]).map((w) => ({ ...w, failurePolicy: 'Ignore' })) }
        : o,
    );
    expect(only(judgeCluster(cluster(objects)), 'k8s/webhook-failure-policy', 'warning').message).toContain(
      'gMSA pods start without their credential spec',
    );
  });

  it("the webhook's service account without its ClusterRoleBinding refuses every gMSA pod", () => {
    const objects = healthy().filter((o) => o.kind !== 'ClusterRoleBinding');
    const f = only(judgeCluster(cluster(objects)), 'k8s/webhook-rbac', 'error');
    expect(f.message).toContain(
      'gmsa-webhook/gmsa-webhook lacks get windows.k8s.io/gmsacredentialspecs and create authorization.k8s.io/localsubjectaccessreviews',
    );
  });

  it('one configuration missing', () => {
    const objects = [
      ...healthy().filter((o) => o.kind !== 'MutatingWebhookConfiguration'),
      renderedCredspec('k8s-windows-gmsa__credspec-0.yml'),
    ];
    expect(only(judgeCluster(cluster(objects)), 'k8s/webhook-installed', 'error').message).toContain(
      'no MutatingWebhookConfiguration has admission-webhook.windows-gmsa.sigs.k8s.io',
    );
  });
});

describe('k8s/webhook-certificate', () => {
  it('an expired serving certificate', () => {
    const f = findings(
      judgeCluster(cluster(healthy(), { now: new Date(Date.now() + 366 * 86_400_000) })),
      'k8s/webhook-certificate',
      'error',
    );
    expect(
      f.some((x) =>
        /the serving certificate of gmsa-webhook\/gmsa-webhook expired at .*x509: certificate has expired or is not yet valid: current time/.test(
          x.message,
        ),
      ),
    ).toBe(true);
  });

  it("a serving certificate from another CA than caBundle's", () => {
    const foreign = otherPki.issue('gmsa-webhook.gmsa-webhook.svc', {
      names: ['DNS:gmsa-webhook.gmsa-webhook.svc'],
      usage: 'serverAuth',
      days: 365,
    }).cert;
    const model = cluster(healthy(), {
      servingCertificates: new Map([
        ['gmsa-webhook/gmsa-webhook', { pem: foreign, source: 'secret gmsa-webhook/gmsa-webhook' }],
      ]),
    });
    const f = findings(judgeCluster(model), 'k8s/webhook-certificate', 'error');
    expect(f).toHaveLength(2);
    expect(f[0]!.message).toContain('is not signed by a certificate of');
    expect(f[0]!.message).toContain('x509: certificate signed by unknown authority');
  });

  it("a certificate for another name, a caBundle that is not PEM, and cert-manager's missing injection", () => {
    const wrongName = pki.issue('gmsa-webhook', {
      names: ['DNS:gmsa-webhook.default.svc'],
      usage: 'serverAuth',
      days: 365,
    }).cert;
    const named = findings(
      judgeCluster(
        cluster(healthy(), {
          servingCertificates: new Map([['gmsa-webhook/gmsa-webhook', { pem: wrongName, source: 'x' }]]),
        }),
      ),
      'k8s/webhook-certificate',
      'error',
    );
    expect(named[0]!.message).toContain(
      'x509: certificate is valid for gmsa-webhook.default.svc, not gmsa-webhook.gmsa-webhook.svc',
    );
    const garbage = findings(
      judgeCluster(cluster(install({ CA_BUNDLE: b64('not a certificate') }))),
      'k8s/webhook-certificate',
      'error',
    );
    expect(garbage[0]!.message).toContain('is not base64 of PEM certificates');
    const injected = install({ CA_BUNDLE: '""' }).map((o) =>
      o.kind?.endsWith('WebhookConfiguration')
        ? {
            ...o,
            metadata: {
              ...o.metadata,
              annotations: { 'cert-manager.io/inject-ca-from': 'gmsa-webhook/gmsa-webhook-ca' },
            },
          }
        : o,
    );
    expect(findings(judgeCluster(cluster(injected)), 'k8s/webhook-certificate', 'error')[0]!.message).toContain(
      'cert-manager has not injected the CA named by cert-manager.io/inject-ca-from: gmsa-webhook/gmsa-webhook-ca',
    );
  });

  it('a serving certificate that was not read is not checked, and says so', () => {
    const f = findings(judgeCluster(clusterModel(healthy())), 'k8s/webhook-certificate', 'skipped');
    expect(f[0]!.message).toBe(
      'not checked: the serving certificate of gmsa-webhook/gmsa-webhook was not read, so it is not compared with caBundle',
    );
  });
});

describe("the chart's templates, linted", () => {
  it('exclude the release namespace ({{ .Release.Namespace }} on both sides) and pin the Deployment to Linux', () => {
    const chart = [
      'mutatingwebhook',
      'validatingwebhook',
      'deployment',
      'service',
      'clusterrole',
      'clusterrolebinding',
    ].map((t) => ({
      file: `windows-gmsa__chart-template__${t}.yaml`,
      text: sample(`windows-gmsa__chart-template__${t}.yaml`),
    }));
    const j = lint(chart);
    expect(
      j.findings.filter((f) => f.id.startsWith('k8s/webhook') && (f.severity === 'error' || f.severity === 'warning')),
    ).toEqual([]);
    expect(findings(j, 'k8s/webhook-linux-node', 'pass')).toHaveLength(1);
    const unpinned = chart.map((f) =>
      f.file.includes('deployment')
        ? { ...f, text: f.text.replace('        kubernetes.io/os: linux\n', '        kubernetes.io/os: windows\n') }
        : f,
    );
    expect(only(lint(unpinned), 'k8s/webhook-linux-node', 'warning').message).toContain('does not select Linux nodes');
  });
});

describe("k8s/shared-gmsa and the webhook's random hostname", () => {
  it('RANDOM_HOSTNAME=true on the webhook turns replicas sharing a gMSA into information', () => {
    const objects: K8sObject[] = [
      ...healthy(),
      parse(renderedCredspec('k8s-windows-gmsa__credspec-0.yml')) as K8sObject,
      ...parseAllDocuments(rendered('windows-gmsa__it-template__simple-with-gmsa.yml')).map(
        (d) => d.toJS() as K8sObject,
      ),
    ];
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'webapp')!;
    (deployment.spec as any).replicas = 3;
    const withRandom = objects.map((o) =>
      o.kind === 'Deployment' && o.metadata?.name === 'gmsa-webhook' ? structuredClone(o) : o,
    );
    const hook = withRandom.find((o) => o.metadata?.name === 'gmsa-webhook' && o.kind === 'Deployment')!;
    ((hook.spec as any).template.spec.containers[0].env as any[]).push({ name: 'RANDOM_HOSTNAME', value: 'true' });
    const model = { ...cluster(withRandom) };
    model.resources = { ...model.resources, pods: { state: 'partial', items: [] } };
    expect(only(judgeCluster(model), 'k8s/shared-gmsa', 'info').evidence).toMatchObject({
      randomHostname: 'on',
      pods: 3,
    });
  });
});
