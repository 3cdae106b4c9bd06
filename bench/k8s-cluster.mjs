// Child process of bench/k8s-scan.mjs: the test API server (test/helpers/k8s-api-server.ts, transpiled to plain ESM
// by the parent into CACHE) holding a simulated cluster for a whole `gmsa-doctor k8s` scan, made of the samples' own
// objects: the current windows-gmsa CRD; the webhook as its deploy script installs it, its pod running (a local HTTPS
// server answering /info as webhook.go does, with a serving certificate from the caBundle's CA); CREDSPECS
// GMSACredentialSpecs (a real one, renamed, one gMSA account each); one Deployment per credspec in 100 namespaces
// (the windows-gmsa integration-test template, Windows nodeSelector), its ReplicaSet and GMSA_PODS pods spread over
// them, as the webhook admitted them (the contents injected); PODS - GMSA_PODS other pods (a plain Linux pod: what
// most of a cluster is); NODES Windows nodes (Server 2022, containerd) and 10 Linux ones; the integration tests' RBAC
// (a ClusterRole granting use on every credspec, bound by a RoleBinding in each namespace). A healthy cluster: the
// scan finds no error in it. Needs `npm run build` (the webhook's JSON encoding comes from dist/k8s/admission.js).
// Prints one JSON line ({ kubeconfig, loadMs }) when it listens; exits when its stdin closes.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';

const [cache, root, dir, ...sizes] = process.argv.slice(2);
const [pods, gmsaPods, credspecs, nodes] = sizes.map(Number);
const { K8sApiServer } = await import(join(cache, 'test/helpers/k8s-api-server.js'));
const { TestPki } = await import(join(cache, 'test/helpers/k8s-tls.js'));
const { renderGoTemplate, renderShellTemplate } = await import(join(cache, 'test/helpers/go-template.js'));
const { goJson } = await import(join(root, 'dist/k8s/admission.js'));
const fixture = (path) => readFileSync(join(root, 'test/fixtures', path), 'utf8');
const sample = (name) => fixture(`k8s/samples/${name}`);
const pad = (n, width) => String(n).padStart(width, '0');
const NAMESPACES = 100;

const t0 = performance.now();
const server = new K8sApiServer({ dir });
mkdirSync(join(dir, 'webhook-pki'), { recursive: true });
const pki = new TestPki(join(dir, 'webhook-pki'), 'gmsa-webhook-ca', 400);
const serving = pki.issue('gmsa-webhook.gmsa-webhook.svc', {
  names: ['DNS:gmsa-webhook.gmsa-webhook.svc'],
  usage: 'serverAuth',
  days: 365,
});
const webhook = createServer({ key: serving.key, cert: serving.cert }, (req, res) => {
  res.writeHead(req.url === '/info' ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(req.url === '/info' ? JSON.stringify({ version: 'v0.13.0' }) : '');
});
await new Promise((resolve) => webhook.listen(0, '127.0.0.1', resolve));
const b64 = (s) => Buffer.from(s).toString('base64');
server.load(sample('windows-gmsa__deploy__gmsa-crd.yml'));
server.load(
  renderShellTemplate(sample('windows-gmsa__deploy__gmsa-webhook.yml.tpl'), {
    NAMESPACE: 'gmsa-webhook',
    NAME: 'gmsa-webhook',
    RBAC_ROLE_NAME: 'gmsa-webhook-rbac-role',
    IMAGE_NAME: 'registry.k8s.io/gmsa-webhook/k8s-gmsa-webhook:v0.13.0',
    TOLERATIONS: '',
    TLS_PRIVATE_KEY: b64(serving.key),
    TLS_CERTIFICATE: b64(serving.cert),
    CA_BUNDLE: b64(pki.ca.cert),
  }).replace('targetPort: 443', `targetPort: ${webhook.address().port}`),
);
const running = (ip) => ({
  phase: 'Running',
  conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True' })),
  podIP: ip,
  podIPs: [{ ip }],
});
server.add({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'gmsa-webhook-6d4b9c7f8-kq2xv', namespace: 'gmsa-webhook', labels: { app: 'gmsa-webhook' } },
  spec: {
    nodeName: 'aks-nodepool1-0',
    serviceAccountName: 'gmsa-webhook',
    containers: [{ name: 'gmsa-webhook', image: 'registry.k8s.io/gmsa-webhook/k8s-gmsa-webhook:v0.13.0' }],
  },
  status: running('127.0.0.1'),
});

for (let i = 0; i < nodes; i++) {
  const name = `akswin${pad(i, 6)}`;
  server.add({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/os': 'windows',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'node.kubernetes.io/windows-build': '10.0.20348',
      },
    },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      addresses: [{ type: 'InternalIP', address: `10.240.${Math.floor(i / 250)}.${(i % 250) + 4}` }],
      nodeInfo: {
        kernelVersion: '10.0.20348.2527',
        osImage: 'Windows Server 2022 Datacenter',
        containerRuntimeVersion: 'containerd://1.7.18',
        kubeletVersion: 'v1.30.4',
        operatingSystem: 'windows',
        architecture: 'amd64',
      },
    },
  });
}
for (let i = 0; i < 10; i++)
  server.add({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `aks-nodepool1-${i}`, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      nodeInfo: {
        kernelVersion: '5.15.0-1064-azure',
        containerRuntimeVersion: 'containerd://1.7.15-1',
        operatingSystem: 'linux',
      },
    },
  });

const values = (i) => ({
  TestName: `webapp-${pad(i, 4)}`,
  Namespace: `team-${pad(i % NAMESPACES, 2)}`,
  ServiceAccountName: 'webapp-sa',
  ClusterRoleName: 'use-all-credspecs',
  RoleBindingName: 'webapp-sa-use-all-credspecs',
  CredSpecNames: [`gmsa-webapp${pad(i, 4)}`],
  CredSpecContent: '',
  Image: '',
  ExtraSpecLines: ['nodeSelector:', '  kubernetes.io/os: windows'],
});
for (let n = 0; n < NAMESPACES; n++) {
  server.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${pad(n, 2)}` } });
  server.load(renderGoTemplate(sample('windows-gmsa__it-template__service-account.yml'), values(n)));
  server.load(renderGoTemplate(sample('windows-gmsa__it-template__sa-rbac-binding.yml'), values(n)));
}
server.load(renderGoTemplate(sample('windows-gmsa__it-template__all-credspecs-users-rbac-role.yml'), values(0)));

const credspec = parse(fixture('credspec/samples/xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml'));
const deployment = sample('windows-gmsa__it-template__simple-with-gmsa.yml');
const contents = [];
for (let i = 0; i < credspecs; i++) {
  const spec = JSON.parse(JSON.stringify(credspec.credspec).replaceAll('WebApp01', `WebApp${pad(i, 4)}`));
  contents.push(goJson(spec));
  server.add({ ...credspec, metadata: { name: `gmsa-webapp${pad(i, 4)}` }, credspec: spec });
  const object = parse(renderGoTemplate(deployment, values(i)));
  object.spec.replicas = Math.ceil(gmsaPods / credspecs);
  server.add(object);
}
// The pods of each Deployment, as its ReplicaSet made them (owner references, the template's labels and spec).
const deployments = server.store.stored(server.store.typeFor('apps', 'v1', 'deployments'));
for (let i = 0, made = 0; i < credspecs; i++) {
  const { object } = deployments.find((d) => d.object.metadata.name === `webapp-${pad(i, 4)}`);
  const rs = `${object.metadata.name}-5d8f7b6c9`;
  const { metadata } = server.add({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rs,
      namespace: object.metadata.namespace,
      labels: object.spec.template.metadata.labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: object.metadata.name, controller: true }],
    },
    spec: { replicas: object.spec.replicas, selector: object.spec.selector, template: object.spec.template },
  }).object;
  for (let r = 0; r < object.spec.replicas && made < gmsaPods; r++, made++)
    server.add({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${rs}-${pad(r, 5)}`,
        namespace: metadata.namespace,
        labels: object.spec.template.metadata.labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, controller: true }],
      },
      spec: admitted(object.spec.template.spec, contents[i], `akswin${pad(made % nodes, 6)}`),
    });
}
/** The pod as the webhook admitted it (the credspec's contents injected as Go's json.Marshal writes them), on its node. */
function admitted(template, gmsaCredentialSpec, nodeName) {
  const spec = structuredClone(template);
  spec.securityContext.windowsOptions.gmsaCredentialSpec = gmsaCredentialSpec;
  return { ...spec, nodeName };
}
for (let i = 0; i < pods - gmsaPods; i++)
  server.add({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `api-${pad(i, 6)}`, namespace: `team-${pad(i % NAMESPACES, 2)}`, labels: { app: 'api' } },
    spec: {
      nodeName: `aks-nodepool1-${i % 10}`,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      containers: [
        { name: 'api', image: 'mcr.microsoft.com/dotnet/samples:aspnetapp', ports: [{ containerPort: 8080 }] },
      ],
    },
  });
const loadMs = performance.now() - t0;

await server.listen();
const kubeconfig = server.writeKubeconfig('kubeconfig');
process.stdout.write(`${JSON.stringify({ kubeconfig, loadMs })}\n`);
process.stdin.on(
  'end',
  () => void Promise.all([server.close(), new Promise((r) => webhook.close(r))]).then(() => process.exit(0)),
);
process.stdin.resume();
