// The CRD and credspec rules (src/k8s/rules/crd.ts, credspecs.ts) on windows-gmsa's CRD as it is, its two broken
// historical versions, and real credential specs.
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../src/k8s/index.js';
import {
  clusterModel,
  credspecSample,
  file,
  findings,
  judgeCluster,
  lint,
  only,
  rendered,
  renderedCredspec,
} from './helpers.js';

const CURRENT = file('windows-gmsa__deploy__gmsa-crd.yml');
const PRUNING = file('windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml');
const OLD = file('windows-gmsa__1607040__gmsa-crd-without-HostAccountConfig.yml');
const withPlugin = () => ({
  file: 'credspec-with-hostagentconfig.yml',
  text: renderedCredspec('k8s-windows-gmsa__credspec-with-hostagentconfig.yml'),
});

describe('k8s/crd-schema and k8s/crd-versions', () => {
  it('the current CRD keeps every credspec field and serves v1', () => {
    const j = lint([CURRENT]);
    expect(findings(j, 'k8s/crd-schema', 'pass')).toHaveLength(1);
    expect(findings(j, 'k8s/crd-versions', 'pass')).toHaveLength(1);
  });

  it('a credspec: {type: object} without properties prunes everything (windows-gmsa#31)', () => {
    const f = only(lint([PRUNING]), 'k8s/crd-schema', 'error');
    expect(f.message).toContain('prunes every credspec to {}');
    expect(f.message).toContain('STATUS_INVALID_PARAMETER');
    expect(f.evidence?.dropped).toEqual([
      'credspec.CmsPlugins',
      'credspec.DomainJoinConfig',
      'credspec.ActiveDirectoryConfig',
    ]);
    expect(f.location).toMatchObject({ file: PRUNING.file, line: 16 });
    expect(f.remediation?.commands?.[0]).toBe(
      'kubectl apply -f https://raw.githubusercontent.com/kubernetes-sigs/windows-gmsa/master/admission-webhook/deploy/gmsa-crd.yml',
    );
  });

  it('a CRD from before Sept 2021 drops HostAccountConfig, and serves only v1alpha1', () => {
    const j = lint([OLD]);
    expect(only(j, 'k8s/crd-schema', 'error').evidence?.dropped).toEqual([
      'credspec.ActiveDirectoryConfig.HostAccountConfig',
    ]);
    expect(only(j, 'k8s/crd-versions', 'error').message).toContain(
      'no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"',
    );
  });
});

describe('k8s/credspec-schema', () => {
  it('a credspec with a plug-in block survives the current CRD, loses it under the old one, and is refused at a version not served', () => {
    expect(findings(lint([CURRENT, withPlugin()]), 'k8s/credspec-schema', 'error')).toEqual([]);
    const v1alpha1 = {
      ...withPlugin(),
      text: withPlugin().text.replace('windows.k8s.io/v1', 'windows.k8s.io/v1alpha1'),
    };
    const lost = only(lint([OLD, v1alpha1]), 'k8s/credspec-schema', 'error');
    expect(lost.message).toContain(
      'drops credspec.ActiveDirectoryConfig.HostAccountConfig from GMSACredentialSpec gmsa-webapp0',
    );
    expect(lost.location?.file).toBe('credspec-with-hostagentconfig.yml');
    expect(v1alpha1.text.split('\n')[lost.location!.line! - 2]).toMatch(/^\s+HostAccountConfig:$/); // the value's position: its first key
    const refused = findings(lint([OLD, withPlugin()]), 'k8s/crd-versions', 'error').find(
      (f) => f.location?.file === 'credspec-with-hostagentconfig.yml',
    )!;
    expect(refused.message).toContain('no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"');
  });

  it('without a CRD among the files, a misspelled key is pruned and a PluginInput object is refused, as the current CRD does', () => {
    const doc = parse(withPlugin().text) as Record<string, any>;
    doc.credspec.ActiveDirectoryConfig.HostAccountconfig = doc.credspec.ActiveDirectoryConfig.HostAccountConfig;
    delete doc.credspec.ActiveDirectoryConfig.HostAccountConfig;
    expect(
      only(lint([{ file: 'typo.yml', text: stringify(doc) }]), 'k8s/credspec-schema', 'error').evidence?.dropped,
    ).toEqual(['credspec.ActiveDirectoryConfig.HostAccountconfig']);
    const aws = parse(withPlugin().text) as Record<string, any>;
    aws.credspec.ActiveDirectoryConfig.HostAccountConfig.PluginInput = {
      CredentialArn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:gmsa',
    };
    const refused = only(lint([{ file: 'aws.yml', text: stringify(aws) }]), 'k8s/credspec-schema', 'error');
    expect(refused.message).toContain(
      'the API server refuses it: GMSACredentialSpec.windows.k8s.io "gmsa-webapp0" is invalid: credspec.ActiveDirectoryConfig.HostAccountConfig.PluginInput: Invalid value: "object"',
    );
  });

  it('in a cluster, a credspec stored as {} under a pruning CRD, and fields kubectl applied that were dropped', () => {
    const crd = parse(PRUNING.text) as K8sObject;
    const applied = parse(
      renderedCredspec('k8s-windows-gmsa__credspec-0.yml').replace('windows.k8s.io/v1', 'windows.k8s.io/v1alpha1'),
    ) as K8sObject;
    const stored = {
      ...applied,
      metadata: {
        ...applied.metadata,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) },
      },
      credspec: {},
    };
    const found = findings(judgeCluster(clusterModel([crd, stored])), 'k8s/credspec-schema', 'error').map(
      (f) => f.message,
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('what kubectl applied, per its last-applied-configuration, is not what is stored');
    expect(found[1]).toContain('is stored as credspec: {}');
  });
});

describe('k8s/crd-installed', () => {
  it('missing while workloads name credspecs: an error with the "no matches for kind" text', () => {
    const workload = rendered('windows-gmsa__it-template__simple-with-gmsa.yml');
    const f = only(judgeCluster(clusterModel([workload])), 'k8s/crd-installed', 'error');
    expect(f.message).toContain('no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"');
    expect(findings(judgeCluster(clusterModel([workload, CURRENT.text])), 'k8s/crd-installed', 'pass')).toHaveLength(1);
  });
});

describe('the credential spec rules run on GMSACredentialSpecs', () => {
  it("credspec/* findings keep their ids and point at the resource's lines", () => {
    const j = lint([
      { file: 'gmsa-WebApp1.yaml', text: credspecSample('kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml') },
    ]);
    const name = only(j, 'credspec/k8s-resource', 'error');
    expect(name).toMatchObject({
      subject: 'GMSACredentialSpec/gmsa-WebApp1',
      location: { file: 'gmsa-WebApp1.yaml', line: 4, field: 'metadata.name' },
    });
    const secret = only(
      lint([{ file: 's.yaml', text: credspecSample('xiaoping8385-TKGi-GMSA__gmsa_non_domain_joined__gmsaspec.yaml') }]),
      'credspec/plaintext-secret',
      'warning',
    );
    expect(JSON.stringify(secret)).not.toContain('p@ssw0rd');
  });

  it('in an unrendered chart template, templated values are not judged; literal ones are', () => {
    const chart = lint([file('windows-gmsa__chart-template__credentialspec.yaml')]);
    expect(
      chart.findings.filter(
        (f) => f.id.startsWith('credspec/') && (f.severity === 'error' || f.severity === 'warning'),
      ),
    ).toEqual([]);
    const broken = file('windows-gmsa__chart-template__credentialspec.yaml');
    const j = lint([{ ...broken, text: broken.text.replace('    - ActiveDirectory', '    - ActiveDirectry') }]);
    expect(only(j, 'credspec/cms-plugins', 'error').message).toBe(
      'CmsPlugins does not contain "ActiveDirectory" (it has ["ActiveDirectry"])',
    );
  });
});
