import { expect } from 'vitest';
import type { Finding } from '../../../src/engine/finding.js';
import { parseAllDocuments } from 'yaml';
import { judgeModel, lintModel, loadManifestSchemas, loadManifests, RESOURCE_KEYS } from '../../../src/k8s/index.js';
import type { ClusterModel, Judgement, K8sObject } from '../../../src/k8s/index.js';
import { resourceOfKind } from '../../../src/k8s/model.js';
import { renderGoTemplate } from '../../helpers/go-template.js';
import { credspecSample, rendered, sample } from '../k8s/helpers.js';

export { credspecSample, rendered, sample };

// What lintManifests does before judging; loaded once here so `lint` can stay synchronous in the tests.
await loadManifestSchemas();

export interface TextFile {
  file: string;
  text: string;
}

/** `k8s lint` of files held in memory, at a fixed time. */
export function lint(files: readonly TextFile[], now = new Date('2026-01-15T00:00:00Z')): Judgement {
  return judgeModel(
    lintModel(
      files.map((f) => loadManifests(f.text, f.file)),
      now,
    ),
  );
}

export const file = (name: string, text = sample(name)): TextFile => ({ file: name, text });

export function findings(judgement: Judgement, id: string, severity?: Finding['severity']): Finding[] {
  return judgement.findings.filter((f) => f.id === id && (severity === undefined || f.severity === severity));
}

export function only(judgement: Judgement, id: string, severity?: Finding['severity']): Finding {
  const found = findings(judgement, id, severity);
  expect(
    found,
    `${id}${severity ? ` ${severity}` : ''}: ${JSON.stringify(judgement.findings.filter((f) => f.id === id).map((f) => [f.severity, f.message]))}`,
  ).toHaveLength(1);
  return found[0]!;
}

export const problems = (judgement: Judgement): Finding[] =>
  judgement.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');

/**
 * The files of windows-gmsa's integration tests, rendered with their test values: credspecs 0..2, the role granting
 * `use` on them, the service account and its binding, and (as in the clusters they run against) the current CRD.
 */
export function integrationContext(): TextFile[] {
  return [
    file('windows-gmsa__deploy__gmsa-crd.yml'),
    { file: 'k8s-windows-gmsa__credspec-0.yml', text: renderedCredspec('k8s-windows-gmsa__credspec-0.yml') },
    {
      file: 'k8s-windows-gmsa__credspec-1-v1alpha1.yml',
      text: renderedCredspec('k8s-windows-gmsa__credspec-1-v1alpha1.yml'),
    },
    file('windows-gmsa__it-template__credspec-2.yml', rendered('windows-gmsa__it-template__credspec-2.yml')),
    file(
      'windows-gmsa__it-template__credspecs-users-rbac-role.yml',
      rendered('windows-gmsa__it-template__credspecs-users-rbac-role.yml'),
    ),
    file('windows-gmsa__it-template__service-account.yml', rendered('windows-gmsa__it-template__service-account.yml')),
    file('windows-gmsa__it-template__sa-rbac-binding.yml', rendered('windows-gmsa__it-template__sa-rbac-binding.yml')),
  ];
}

/** A credspec template of test/fixtures/credspec/samples rendered with the integration tests' names. */
export function renderedCredspec(name: string): string {
  return renderGoTemplate(credspecSample(name), { CredSpecNames: ['gmsa-webapp0', 'gmsa-webapp1', 'gmsa-webapp2'] });
}

/** A cluster model (every list complete) from objects in the API's shapes: YAML texts of manifests, or objects. */
export function clusterModel(
  objects: readonly (K8sObject | string)[],
  extra: Partial<ClusterModel> = {},
): ClusterModel {
  const all = objects.flatMap((o) =>
    typeof o === 'string'
      ? parseAllDocuments(o)
          .map((d) => d.toJS() as K8sObject)
          .filter((d) => d && typeof d === 'object')
      : [o],
  );
  const resources: ClusterModel['resources'] = {};
  for (const key of RESOURCE_KEYS) resources[key] = { state: 'complete', items: [] };
  for (const object of all) {
    const key = resourceOfKind(object.kind);
    if (key) (resources[key] as { items: { object: K8sObject }[] }).items.push({ object });
  }
  return { mode: 'cluster', now: new Date('2026-01-15T00:00:00Z'), resources, ...extra };
}

export const judgeCluster = (model: ClusterModel): Judgement => judgeModel(model);

/** Real Node shapes: an AKS Windows Server 2019 node on containerd (as in the API server tests) and a Linux node. */
export function windowsNode(
  name: string,
  kernelVersion = '10.0.17763.5936',
  extra: Record<string, unknown> = {},
): K8sObject {
  const build = kernelVersion.split('.').slice(0, 3).join('.');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/os': 'windows',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/windows-build': build,
        'kubernetes.io/hostname': name,
      },
    },
    spec: {},
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: '10.240.0.4' }],
      nodeInfo: {
        kernelVersion,
        osImage: build.endsWith('20348') ? 'Windows Server 2022 Datacenter' : 'Windows Server 2019 Datacenter',
        containerRuntimeVersion: 'containerd://1.7.18',
        kubeletVersion: 'v1.30.4',
        operatingSystem: 'windows',
        architecture: 'amd64',
      },
    },
    ...extra,
  };
}

export function linuxNode(name: string, spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name },
    },
    spec,
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: '10.240.0.5' }],
      nodeInfo: {
        kernelVersion: '5.15.0-1064-azure',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.7.15-1',
        kubeletVersion: 'v1.30.4',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
