// What judging a large cluster costs, once its objects are read: every Kubernetes rule (src/k8s) over a cluster
// model of 10,000 gMSA pods in 100 namespaces, 1,000 GMSACredentialSpecs, 500 Windows nodes (and 10 Linux ones),
// the windows-gmsa webhook as its deploy script installs it, and the access-review answers a scan would have asked.
// Objects are the samples' own (the windows-gmsa integration-test templates rendered with their test values).
// Each size is a fresh node process, so its peak RSS is the judgement's. Medians of 5 runs.
// Run: npm run build && node bench/k8s-rules.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, table, transpileForNode } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules/.cache/gmsa-doctor-bench');
const RUNS = 5;

if (process.argv[2] === '--judge') {
  const [pods, credspecs, nodes] = process.argv.slice(3).map(Number);
  const { renderGoTemplate, renderShellTemplate } = await import(join(CACHE, 'test/helpers/go-template.js'));
  const { parse, parseAllDocuments } = await import('yaml');
  const k8s = await import(join(ROOT, 'dist/k8s/index.js'));
  const { goJson } = await import(join(ROOT, 'dist/k8s/admission.js'));
  const sample = (name) => readFileSync(join(ROOT, 'test/fixtures/k8s/samples', name), 'utf8');
  const item = (object) => ({ object });
  const values = (i) => ({
    TestName: `webapp-${i}`,
    Namespace: `web-${i % 100}`,
    ServiceAccountName: 'webapp-sa',
    ClusterRoleName: 'use-all',
    RoleBindingName: 'use-all',
    CredSpecNames: [`gmsa-webapp${i % credspecs}`],
    CredSpecContent: '',
    Image: '',
    ExtraSpecLines: [
      'nodeSelector:',
      '  kubernetes.io/os: windows',
      `nodeName: akswin${String(i % nodes).padStart(6, '0')}`,
    ],
  });
  const credspecText = sample('windows-gmsa__it-template__credspec-2.yml');
  // One gMSA account per credspec (WebApplication2 -> WebApp0, WebApp1, ...), as a cluster has them.
  const specs = Array.from({ length: credspecs }, (_, i) =>
    parse(
      renderGoTemplate(credspecText, { CredSpecNames: ['', '', `gmsa-webapp${i}`] }).replaceAll(
        'WebApplication2',
        `WebApp${i}`,
      ),
    ),
  );
  const podText = sample('windows-gmsa__it-template__single-pod-with-gmsa.yml');
  const podObjects = Array.from({ length: pods }, (_, i) => {
    const pod = parse(
      renderGoTemplate(podText, { ...values(i), CredSpecContent: goJson(specs[i % credspecs].credspec) }),
    );
    return { ...pod, status: { phase: 'Running' } };
  });
  const windows = Array.from({ length: nodes }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `akswin${String(i).padStart(6, '0')}`,
      labels: { 'kubernetes.io/os': 'windows', 'node.kubernetes.io/windows-build': '10.0.20348' },
    },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: {
        kernelVersion: '10.0.20348.2527',
        osImage: 'Windows Server 2022 Datacenter',
        containerRuntimeVersion: 'containerd://1.7.18',
        operatingSystem: 'windows',
      },
    },
  }));
  const linux = Array.from({ length: 10 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `aks-nodepool1-${i}`, labels: { 'kubernetes.io/os': 'linux' } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: {
        kernelVersion: '5.15.0-1064-azure',
        containerRuntimeVersion: 'containerd://1.7.15-1',
        operatingSystem: 'linux',
      },
    },
  }));
  const webhook = parseAllDocuments(
    renderShellTemplate(sample('windows-gmsa__deploy__gmsa-webhook.yml.tpl'), {
      NAMESPACE: 'gmsa-webhook',
      NAME: 'gmsa-webhook',
      RBAC_ROLE_NAME: 'gmsa-webhook',
      IMAGE_NAME: 'k8s-gmsa-webhook:v0.13.0',
      TOLERATIONS: '',
      TLS_PRIVATE_KEY: '',
      TLS_CERTIFICATE: '',
      CA_BUNDLE: '',
    }),
  ).map((d) => d.toJS());
  const namespaces = Array.from({ length: 100 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: `web-${i}`, labels: { 'kubernetes.io/metadata.name': `web-${i}` } },
  }));
  const accounts = namespaces.map((n) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'webapp-sa', namespace: n.metadata.name },
  }));
  const role = parse(
    renderGoTemplate(sample('windows-gmsa__it-template__all-credspecs-users-rbac-role.yml'), {
      ClusterRoleName: 'use-all',
    }),
  );
  const bindings = namespaces.map((n, i) =>
    parse(renderGoTemplate(sample('windows-gmsa__it-template__sa-rbac-binding.yml'), values(i))),
  );
  const objects = [
    parse(sample('windows-gmsa__deploy__gmsa-crd.yml')),
    ...specs,
    ...podObjects,
    ...windows,
    ...linux,
    ...webhook,
    ...namespaces,
    ...accounts,
    role,
    ...bindings,
  ];
  const resources = Object.fromEntries(k8s.RESOURCE_KEYS.map((key) => [key, { state: 'complete', items: [] }]));
  const kindOf = {
    GMSACredentialSpec: 'gmsacredentialspecs',
    CustomResourceDefinition: 'customresourcedefinitions',
    Pod: 'pods',
    Node: 'nodes',
    Namespace: 'namespaces',
    ServiceAccount: 'serviceaccounts',
    ClusterRole: 'clusterroles',
    ClusterRoleBinding: 'clusterrolebindings',
    RoleBinding: 'rolebindings',
    Deployment: 'deployments',
    Service: 'services',
    MutatingWebhookConfiguration: 'mutatingwebhookconfigurations',
    ValidatingWebhookConfiguration: 'validatingwebhookconfigurations',
  };
  for (const object of objects) if (kindOf[object.kind]) resources[kindOf[object.kind]].items.push(item(object));
  const model = { mode: 'cluster', now: new Date(), resources };
  const questions = k8s.accessQuestions(model);
  model.accessReviews = new Map(
    questions.map((q) => [
      k8s.accessReviewKey(q.namespace, q.serviceAccount, q.credspec),
      { allowed: true, reason: 'RBAC: allowed by RoleBinding' },
    ]),
  );
  const t0 = performance.now();
  const judgement = k8s.judgeModel(model);
  const ms = performance.now() - t0;
  const counts = {};
  for (const f of judgement.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  if (process.env.SHOW)
    for (const f of judgement.findings.filter((x) => x.severity === 'error' || x.severity === 'skipped'))
      console.error(f.id, f.message.slice(0, 160));
  console.log(
    JSON.stringify({
      ms,
      rssMb: process.resourceUsage().maxRSS / 1024,
      findings: judgement.findings.length,
      counts,
      questions: questions.length,
    }),
  );
  process.exit(0);
}

await transpileForNode(ROOT, ['test/helpers/go-template.ts'], CACHE);
const rows = [];
for (const [pods, credspecs, nodes] of [
  [1_000, 1_000, 500],
  [10_000, 1_000, 500],
  [20_000, 1_000, 500],
]) {
  const runs = Array.from({ length: RUNS }, () => {
    const out = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--judge', String(pods), String(credspecs), String(nodes)],
      { encoding: 'utf8' },
    );
    if (out.status !== 0) throw new Error(out.stderr);
    return JSON.parse(out.stdout.trim().split('\n').at(-1));
  });
  const last = runs.at(-1);
  rows.push([
    pods.toLocaleString('en'),
    credspecs.toLocaleString('en'),
    nodes,
    `${median(runs.map((r) => r.ms)).toFixed(0)} ms`,
    `${median(runs.map((r) => r.rssMb)).toFixed(0)} MB`,
    last.findings,
    JSON.stringify(last.counts),
  ]);
}
console.log(
  table(
    ['pods', 'credspecs', 'Windows nodes', 'judge (median)', 'peak RSS (whole process)', 'findings', 'by severity'],
    rows,
  ),
);
