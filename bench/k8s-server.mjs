// Child process of bench/k8s-list.mjs: the test API server (test/helpers/k8s-api-server.ts, transpiled to plain ESM
// by the parent into CACHE) holding a simulated cluster: PODS pods in 100 namespaces, made from the pod template of
// a real Deployment (xiaoping8385/TKGi-GMSA), each naming one of CREDSPECS GMSACredentialSpecs (a real one,
// renamed) under the current windows-gmsa CRD, and running on one of NODES Windows nodes. Prints one JSON line
// ({ kubeconfig, url, loadMs }) when it listens; exits when its stdin closes.
// Run by: node bench/k8s-list.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const [cache, root, dir, pods, credspecs, nodes] = process.argv.slice(2);
const { K8sApiServer } = await import(join(cache, 'test/helpers/k8s-api-server.js'));
const fixture = (path) => readFileSync(join(root, 'test/fixtures', path), 'utf8');

const t0 = performance.now();
const server = new K8sApiServer({ dir });
server.load(fixture('k8s/samples/windows-gmsa__deploy__gmsa-crd.yml'));

const credspec = parse(fixture('credspec/samples/xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml'));
for (let i = 0; i < Number(credspecs); i++)
  server.add({ ...credspec, metadata: { name: `gmsa-webapp${String(i).padStart(4, '0')}` } });

// An AKS Windows Server 2019 node as the API shows it (labels and nodeInfo as in the field notes).
for (let i = 0; i < Number(nodes); i++) {
  const name = `akswin${String(i).padStart(6, '0')}`;
  server.add({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        agentpool: 'win',
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'windows',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'windows',
        'node.kubernetes.io/windows-build': '10.0.17763',
        'node.kubernetes.io/instance-type': 'Standard_D4s_v3',
        'topology.kubernetes.io/region': 'westeurope',
        'topology.kubernetes.io/zone': `westeurope-${(i % 3) + 1}`,
      },
    },
    spec: {
      providerID: `azure:///subscriptions/0/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/akswin/virtualMachines/${i}`,
      taints: [{ key: 'windows', value: '2019', effect: 'NoSchedule' }],
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: `10.240.${Math.floor(i / 250)}.${(i % 250) + 4}` },
        { type: 'Hostname', address: name },
      ],
      capacity: { cpu: '4', memory: '16776756Ki', pods: '30', 'ephemeral-storage': '133703676Ki' },
      allocatable: { cpu: '3860m', memory: '12313140Ki', pods: '30', 'ephemeral-storage': '133703676Ki' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: '2024-09-01T10:00:00Z',
          lastTransitionTime: '2024-09-01T09:00:00Z',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      nodeInfo: {
        machineID: name,
        systemUUID: `4c4c4544-0000-1000-8000-${String(i).padStart(12, '0')}`,
        bootID: '9',
        kernelVersion: '10.0.17763.1339',
        osImage: 'Windows Server 2019 Datacenter',
        containerRuntimeVersion: 'containerd://1.7.18',
        kubeletVersion: 'v1.30.4',
        kubeProxyVersion: 'v1.30.4',
        operatingSystem: 'windows',
        architecture: 'amd64',
      },
    },
  });
}

for (let n = 0; n < 100; n++)
  server.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${String(n).padStart(2, '0')}` } });
const template = parse(fixture('k8s/samples/xiaoping8385-TKGi-GMSA__gmsa__deployment.yaml')).spec.template;
for (let i = 0; i < Number(pods); i++) {
  const spec = structuredClone(template.spec);
  spec.securityContext.windowsOptions.gmsaCredentialSpecName = `gmsa-webapp${String(i % Number(credspecs)).padStart(4, '0')}`;
  spec.nodeName = `akswin${String(i % Number(nodes)).padStart(6, '0')}`;
  server.add({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `with-creds-${String(i).padStart(5, '0')}`,
      namespace: `team-${String(i % 100).padStart(2, '0')}`,
      labels: template.metadata.labels,
    },
    spec,
  });
}
const loadMs = performance.now() - t0;

await server.listen();
const kubeconfig = server.writeKubeconfig('kubeconfig');
process.stdout.write(`${JSON.stringify({ kubeconfig, url: server.url, loadMs })}\n`);
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
process.stdin.resume();
