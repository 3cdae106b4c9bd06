// Windows node rules, the RBAC resourceNames rule, the scan's own missing permissions, and the ignore annotation.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { collectionFromList } from '../../../src/k8s/index.js';
import type { K8sObject } from '../../../src/k8s/index.js';
import {
  clusterModel,
  file,
  findings,
  integrationContext,
  judgeCluster,
  lint,
  only,
  rendered,
  renderedCredspec,
  windowsNode,
} from './helpers.js';

describe('k8s/node-windows-build', () => {
  it('Windows Server 2019 on containerd before 17763.1817 lacks KB5000822', () => {
    const f = only(
      judgeCluster(clusterModel([windowsNode('akswin000000', '10.0.17763.1339')])),
      'k8s/node-windows-build',
      'error',
    );
    expect(f.message).toContain('build 17763.1339: gMSA with containerd needs 17763.1817 or later (KB5000822');
    expect(f.evidence).toMatchObject({
      kernelVersion: '10.0.17763.1339',
      containerRuntimeVersion: 'containerd://1.7.18',
      osImage: 'Windows Server 2019 Datacenter',
    });
  });

  it('a patched 2019 node and a 2022 node pass, with their build and runtime', () => {
    const j = judgeCluster(
      clusterModel([windowsNode('akswin000000', '10.0.17763.5936'), windowsNode('akswin000001', '10.0.20348.2527')]),
    );
    expect(findings(j, 'k8s/node-windows-build', 'pass').map((f) => f.message)).toEqual([
      'node akswin000000: Windows Server 2019 (1809), build 17763.5936, containerd://1.7.18',
      'node akswin000001: Windows Server 2022, build 20348.2527, containerd://1.7.18',
    ]);
  });

  it('a windows-build label that disagrees with the kernel, and a node without nodeInfo', () => {
    const node = windowsNode('akswin000002', '10.0.20348.2527');
    node.metadata!.labels!['node.kubernetes.io/windows-build'] = '10.0.17763';
    expect(only(judgeCluster(clusterModel([node])), 'k8s/node-windows-build', 'warning').message).toContain(
      'labelled node.kubernetes.io/windows-build=10.0.17763 but its kernel is build 20348',
    );
    const bare = { ...windowsNode('akswin000003'), status: {} } as K8sObject;
    bare.metadata!.labels = { 'kubernetes.io/os': 'windows' };
    expect(only(judgeCluster(clusterModel([bare])), 'k8s/node-windows-build', 'skipped').message).toMatch(
      /^not checked: node akswin000003 reports no Windows build/,
    );
  });
});

describe('k8s/node-container-runtime', () => {
  it('Docker and containerd before 1.6 cannot run HostProcess containers', () => {
    const docker = windowsNode('win-docker', '10.0.17763.5936');
    (docker.status as any).nodeInfo.containerRuntimeVersion = 'docker://20.10.9';
    const old = windowsNode('win-old', '10.0.17763.5936');
    (old.status as any).nodeInfo.containerRuntimeVersion = 'containerd://1.5.13';
    const j = judgeCluster(clusterModel([docker, old, windowsNode('win-new')]));
    expect(findings(j, 'k8s/node-container-runtime', 'warning').map((f) => f.subject)).toEqual([
      'Node/win-docker',
      'Node/win-old',
    ]);
  });
});

describe('k8s/rbac-resource-names', () => {
  it("the docs' resourceNames gmsa-WebApp1 can name no credspec", () => {
    const f = only(
      lint([file('kubernetes-website__configure-gmsa__clusterrole-resourceNames-gmsa-WebApp1.yaml')]),
      'k8s/rbac-resource-names',
      'error',
    );
    expect(f.message).toContain('grants use on GMSACredentialSpec "gmsa-WebApp1", a name no credspec can have');
    expect(f.location).toMatchObject({ line: 10, field: 'rules[0].resourceNames[0]' });
  });

  it('names that exist pass; one that does not is named', () => {
    expect(findings(lint(integrationContext()), 'k8s/rbac-resource-names', 'pass')).toHaveLength(1);
    const missing = integrationContext().filter((f) => !f.file.includes('credspec-2'));
    expect(only(lint(missing), 'k8s/rbac-resource-names', 'info').message).toContain(
      'grants use on GMSACredentialSpec gmsa-webapp2, which is not among the linted files',
    );
  });
});

describe('k8s/scan-permissions', () => {
  it('a list the scan may not make becomes "not checked" naming the permission, and the rules needing it are skipped', () => {
    const model = clusterModel([rendered('windows-gmsa__it-template__simple-with-gmsa.yml')]);
    model.resources.gmsacredentialspecs = collectionFromList('gmsacredentialspecs', {
      ok: false,
      error: {
        kind: 'forbidden',
        message:
          'forbidden: needs list on windows.k8s.io/gmsacredentialspecs (cluster-wide): gmsacredentialspecs.windows.k8s.io is forbidden: ...',
        permission: { verb: 'list', group: 'windows.k8s.io', resource: 'gmsacredentialspecs' },
      },
    });
    const j = judgeCluster(model);
    const f = only(j, 'k8s/scan-permissions', 'skipped');
    expect(f.message).toBe(
      'not checked: everything that needs gmsacredentialspecs, as the scan lacks list on windows.k8s.io/gmsacredentialspecs (cluster-wide)',
    );
    expect(f.remediation?.commands?.[0]).toBe(
      'kubectl auth can-i list gmsacredentialspecs.windows.k8s.io --all-namespaces',
    );
    expect(only(j, 'k8s/credspec-exists', 'skipped').message).toMatch(
      /^not checked: gmsacredentialspecs could not be read \(forbidden: needs list/,
    );
    expect(findings(j, 'k8s/credspec-exists', 'error')).toEqual([]);
  });
});

describe('the ignore annotation gmsa-doctor.io/ignore', () => {
  const replicas = (annotations: Record<string, string>, where: 'metadata' | 'template') => {
    const doc = parse(rendered('windows-gmsa__it-template__simple-with-gmsa.yml')) as Record<string, any>;
    doc.spec.replicas = 2;
    if (where === 'metadata') doc.metadata.annotations = annotations;
    else doc.spec.template.metadata.annotations = annotations;
    return { file: 'd.yml', text: JSON.stringify(doc) };
  };

  it('silences the named rules on that object (on the workload or its pod template), and keeps them as ignored', () => {
    const base = lint([replicas({}, 'metadata'), ...integrationContext()]);
    expect(findings(base, 'k8s/shared-gmsa', 'warning')).toHaveLength(1);
    expect(findings(base, 'k8s/windows-nodes-only', 'warning')).toHaveLength(1);
    for (const where of ['metadata', 'template'] as const) {
      const j = lint([
        replicas({ 'gmsa-doctor.io/ignore': 'k8s/shared-gmsa, k8s/windows-nodes-only' }, where),
        ...integrationContext(),
      ]);
      expect(findings(j, 'k8s/shared-gmsa', 'warning')).toEqual([]);
      expect(findings(j, 'k8s/windows-nodes-only', 'warning')).toEqual([]);
      expect(j.ignored.map((f) => f.id).sort()).toEqual(['k8s/shared-gmsa', 'k8s/windows-nodes-only']);
    }
  });

  it('an id that names no rule is a warning', () => {
    const j = lint([
      replicas({ 'gmsa-doctor.io/ignore': 'k8s/shared-gmsa,k8s/shared-gsma' }, 'metadata'),
      ...integrationContext(),
    ]);
    expect(only(j, 'k8s/ignore-annotation', 'warning').message).toContain(
      'names "k8s/shared-gsma", which is not a rule id',
    );
  });

  it('works on credspec/* findings of a GMSACredentialSpec', () => {
    const text = renderedCredspec('k8s-windows-gmsa__credspec-with-hostagentconfig.yml').replace(
      'metadata:\n',
      'metadata:\n  annotations:\n    gmsa-doctor.io/ignore: credspec/placeholders\n',
    );
    const j = lint([{ file: 'c.yml', text }]);
    expect(findings(j, 'credspec/placeholders', 'warning')).toEqual([]);
    expect(findings(j, 'credspec/plugin-guid', 'error')).toHaveLength(1);
  });
});
