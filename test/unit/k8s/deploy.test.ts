/**
 * deploy/: the manifests of the node checks pass the Kubernetes schemas (kubernetes-models), the test API server
 * accepts them, and they keep their promises: the namespace is exempt from the gMSA webhook and allows HostProcess
 * pods, the RBAC is least privilege, and the Job is the one `k8s --nodes` creates.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSchema, loadManifestSchemas, validateManifest } from '../../../src/k8s/schema-validation.js';
import { NODE_CHECKS, nodeJob } from '../../../src/protocol/k8s/node-job.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import { startK8sApiServer } from '../../helpers/k8s-api-server.js';

type Json = Record<string, any>;
const DEPLOY = new URL('../../../deploy/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DEPLOY), 'utf8');
const documents = (name: string): Json[] => parseAllDocuments(read(name)).map((d) => d.toJS() as Json);
const MANIFESTS = ['namespace.yaml', 'rbac.yaml', 'job.yaml'];
const all = (): Json[] => MANIFESTS.flatMap(documents);
const byKind = (kind: string): Json[] => all().filter((d) => d.kind === kind);

beforeAll(loadManifestSchemas);

describe('the deploy/ manifests', () => {
  it.each(MANIFESTS)('%s passes the Kubernetes schemas', (name) => {
    const docs = documents(name);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect(hasSchema(doc), `${name}: ${doc.kind} has a bundled schema`).toBe(true);
      expect(validateManifest(doc), `${name}: ${doc.kind} ${doc.metadata?.name}`).toEqual([]);
    }
  });

  it('would fail the schemas on a wrong value (the validation is real)', () => {
    const job = documents('job.yaml')[0]!;
    job.spec.template.spec.securityContext.windowsOptions.hostProcess = 'yes';
    expect(validateManifest(job)).toEqual([
      { field: 'spec.template.spec.securityContext.windowsOptions.hostProcess', message: 'must be boolean' },
    ]);
  });

  it('kustomization.yaml applies the namespace and the RBAC, files that exist', () => {
    const kustomization = documents('kustomization.yaml')[0]!;
    expect(kustomization.resources).toEqual(['namespace.yaml', 'rbac.yaml']);
    for (const file of kustomization.resources as string[]) expect(existsSync(new URL(file, DEPLOY))).toBe(true);
  });

  describe('against the test API server', () => {
    let server: K8sApiServer;
    beforeAll(async () => {
      server = await startK8sApiServer();
    });
    afterAll(() => server.close());

    it('creates the namespace and the RBAC as kubectl apply -k would', () => {
      const created = server.load(read('namespace.yaml') + '\n---\n' + read('rbac.yaml'));
      expect(created.map((c) => `${c.object.kind as string}/${c.object.metadata.name as string}`)).toEqual([
        'Namespace/gmsa-doctor',
        'ServiceAccount/gmsa-doctor-runner',
        'Role/gmsa-doctor-node-checks',
        'RoleBinding/gmsa-doctor-node-checks',
        'ClusterRole/gmsa-doctor-list-nodes',
        'ClusterRoleBinding/gmsa-doctor-list-nodes',
        'ServiceAccount/gmsa-doctor-node',
      ]);
    });
  });
});

describe('the namespace', () => {
  it('is skipped by the windows-gmsa webhook and allows privileged (HostProcess) pods', () => {
    const [namespace] = byKind('Namespace');
    expect(namespace!.metadata.name).toBe(NODE_CHECKS.namespace);
    expect(namespace!.metadata.labels).toMatchObject({
      'windows.k8s.io/disabled': 'true',
      'pod-security.kubernetes.io/enforce': 'privileged',
    });
  });
});

describe('least privilege', () => {
  const rules = (role: Json): Json[] => role.rules as Json[];
  const boundTo = (name: string): Json[] =>
    [...byKind('RoleBinding'), ...byKind('ClusterRoleBinding')].filter((b) =>
      (b.subjects as Json[]).some((s) => s.kind === 'ServiceAccount' && s.name === name),
    );

  it('grants no wildcard verb, resource or group', () => {
    for (const role of [...byKind('Role'), ...byKind('ClusterRole')])
      for (const rule of rules(role))
        for (const field of ['verbs', 'resources', 'apiGroups'])
          expect(rule[field] as string[], `${role.metadata.name as string} ${field}`).not.toContain('*');
  });

  it('writes nothing cluster-wide: ClusterRoles only read, and only nodes', () => {
    for (const role of byKind('ClusterRole'))
      for (const rule of rules(role)) {
        expect(rule.verbs).toEqual(['list']);
        expect(rule.resources).toEqual(['nodes']);
      }
  });

  it('gives the runner exactly what k8s --nodes does: Jobs, their pods and logs in one namespace, and the nodes', () => {
    const [role] = byKind('Role');
    expect(role!.metadata.namespace).toBe(NODE_CHECKS.namespace);
    expect(rules(role!).map((r) => [r.apiGroups, r.resources, r.verbs])).toEqual([
      [['batch'], ['jobs'], ['create', 'get', 'list', 'delete']],
      [[''], ['pods'], ['get', 'list']],
      [[''], ['pods/log'], ['get']],
    ]);
    expect(boundTo('gmsa-doctor-runner').map((b) => b.roleRef.name as string)).toEqual([
      'gmsa-doctor-node-checks',
      'gmsa-doctor-list-nodes',
    ]);
  });

  it("gives the node pods' service account no role and no token", () => {
    const account = byKind('ServiceAccount').find((a) => a.metadata.name === NODE_CHECKS.serviceAccount);
    expect(account?.automountServiceAccountToken).toBe(false);
    expect(boundTo(NODE_CHECKS.serviceAccount)).toEqual([]);
  });
});

describe('the Job', () => {
  const [job] = documents('job.yaml');
  const pod = job!.spec.template.spec as Json;

  it('is the Job k8s --nodes creates (deploy/job.yaml and src/protocol/k8s/node-job.ts agree)', () => {
    expect(nodeJob({ node: '${NODE_NAME}', image: '${IMAGE}', runId: '${RUN_ID}', deadlineSeconds: 300 })).toEqual(job);
  });

  it('runs once on one named Windows node, with a unique generated name, a deadline and a TTL', () => {
    expect(job!.metadata.generateName).toBe('gmsa-doctor-node-');
    expect(job!.metadata.name).toBeUndefined();
    expect(job!.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 600 });
    expect(pod).toMatchObject({
      nodeName: '${NODE_NAME}',
      nodeSelector: { 'kubernetes.io/os': 'windows' },
      restartPolicy: 'Never',
    });
  });

  it('tolerates the taints Windows node pools carry', () => {
    const tolerates = (taint: { key: string; value: string; effect: string }): boolean =>
      (pod.tolerations as Json[]).some(
        (t) =>
          (t.effect === undefined || t.effect === taint.effect) &&
          (t.operator === 'Exists'
            ? t.key === undefined || t.key === taint.key
            : t.key === taint.key && t.value === taint.value),
      );
    expect(tolerates({ key: 'os', value: 'windows', effect: 'NoSchedule' })).toBe(true); // AKS, EKS docs
    expect(tolerates({ key: 'node.kubernetes.io/os', value: 'windows', effect: 'NoSchedule' })).toBe(true); // GKE
  });

  it('is a HostProcess pod as SYSTEM on the host network, without an API token, printing its facts', () => {
    expect(pod).toMatchObject({
      hostNetwork: true,
      automountServiceAccountToken: false,
      serviceAccountName: NODE_CHECKS.serviceAccount,
      securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' } },
    });
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0]).toMatchObject({
      name: NODE_CHECKS.container,
      command: ['%CONTAINER_SANDBOX_MOUNT_POINT%\\gmsa-doctor.exe', 'collect', '-o', '-'],
    });
  });
});

describe('the image', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(' ')[0]);

  it('is the Windows exe on the HostProcess base image, with no RUN step (docker buildx builds it on Linux)', () => {
    expect(dockerfile).toMatch(
      /^FROM mcr\.microsoft\.com\/oss\/kubernetes\/windows-host-process-containers-base-image:v1\.0\.0$/m,
    );
    expect(instructions).toEqual(['FROM', 'COPY']);
    // scripts/release/build-exe.mjs writes the exe there; the Job runs it from the image's mount point.
    expect(dockerfile).toMatch(/^COPY build\/release\/gmsa-doctor\.exe \/gmsa-doctor\.exe$/m);
    expect(read('../scripts/release/build-exe.mjs')).toContain("join(ROOT, 'build', 'release')");
    expect(read('Dockerfile.dockerignore')).toMatch(/^!build\/release\/gmsa-doctor\.exe$/m);
  });
});
