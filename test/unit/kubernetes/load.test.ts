// Manifest loading (src/k8s/load.ts) and the manifest rules, on the real samples: positions of every object and
// field, Helm's and kubectl's output forms, glued resources, unrendered templates, and the bounds.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/k8s/index.js';
import type { K8sObject } from '../../../src/k8s/index.js';
import { credspecSample, file, findings, lint, only, rendered, sample } from './helpers.js';

const lineOf = (text: string, pattern: RegExp): number => text.split('\n').findIndex((l) => pattern.test(l)) + 1;

describe('loadManifests', () => {
  it('multi-document YAML: every object with its line, every field with its position', () => {
    const text = sample('macsux-kerberos-buildpack__CcgPlugin__gmsa-demo.yaml');
    const loaded = loadManifests(text, 'gmsa-demo.yaml');
    expect(loaded.objects.map((o) => [o.object.kind, o.origin?.document, o.origin?.position.line])).toEqual([
      ['ConfigMap', 0, 2],
      ['Deployment', 1, 34],
      ['Service', 2, 74],
    ]);
    const deployment = loaded.objects[1]!.origin!;
    expect(deployment.positions['spec.template.spec.securityContext.windowsOptions.gmsaCredentialSpecName']).toEqual({
      line: lineOf(text, /gmsaCredentialSpecName: aks-gmsa-spec/),
      column: 35,
    });
  });

  it("Helm's output: `# Source:` names the template each object came from, and findings carry it", () => {
    const parts = [
      ['gmsa/crds/crds.yaml', sample('windows-gmsa__charts__crds.yaml')],
      ['gmsa/templates/credentialspec.yaml', credspecSample('kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml')],
    ];
    const text = parts.map(([source, body]) => `---\n# Source: ${source}\n${body!.trimEnd()}\n`).join('');
    const loaded = loadManifests(text, 'rendered.yaml');
    expect(loaded.objects.map((o) => o.origin?.helmSource)).toEqual([
      'gmsa/crds/crds.yaml',
      'gmsa/templates/credentialspec.yaml',
    ]);
    const f = only(lint([{ file: 'rendered.yaml', text }]), 'credspec/k8s-resource', 'error');
    expect(f.evidence?.helmSource).toBe('gmsa/templates/credentialspec.yaml');
    expect(f.location?.line).toBe(lineOf(text, /name: gmsa-WebApp1/));
  });

  it("kubectl's `kind: List` and the API's typed lists, in JSON, with positions inside the items", () => {
    const deployment = parse(sample('xiaoping8385-TKGi-GMSA__gmsa__deployment.yaml')) as K8sObject;
    const credspec = parse(credspecSample('xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml')) as K8sObject;
    const list = JSON.stringify(
      { apiVersion: 'v1', items: [credspec, deployment], kind: 'List', metadata: { resourceVersion: '' } },
      null,
      4,
    );
    const loaded = loadManifests(list, 'list.json');
    expect(loaded.objects.map((o) => [o.object.kind, o.origin?.itemPath])).toEqual([
      ['GMSACredentialSpec', 'items[0]'],
      ['Deployment', 'items[1]'],
    ]);
    expect(loaded.objects[1]!.origin!.positions['spec.template.spec.hostname']!.line).toBe(
      lineOf(list, /"hostname": "webapp01"/),
    );
    const { apiVersion: _a, kind: _k, ...item } = deployment;
    const typed = loadManifests(
      JSON.stringify({
        kind: 'DeploymentList',
        apiVersion: 'apps/v1',
        metadata: { resourceVersion: '1234' },
        items: [item],
      }),
      'deployments.json',
    );
    expect(typed.objects[0]!.object).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'with-creds' },
    });
  });

  it('resources glued without `---` are split, and reported once', () => {
    const text = credspecSample('xiaoping8385-TKGi-GMSA__operation-log-credspec-rbac-deployment-bundle.yaml');
    const loaded = loadManifests(text, 'bundle.yaml');
    expect(loaded.objects.map((o) => o.object.kind)).toEqual([
      'GMSACredentialSpec',
      'ClusterRole',
      'RoleBinding',
      'Deployment',
    ]);
    const j = lint([{ file: 'bundle.yaml', text }]);
    expect(only(j, 'k8s/documents-separated', 'error').message).toContain(
      '3 resources are glued into one YAML document without `---` separators (they start at lines 1, 24, 33)',
    );
    expect(only(j, 'k8s/rbac-resource-names', 'error').message).toContain(
      '"gmsa-WebApp01", a name no credspec can have',
    );
    expect(only(j, 'k8s/credspec-exists', 'error').message).toContain('did you mean "gmsa-webapp01"?');
  });

  it('an unrendered Helm template is masked, not misread: positions stay, actions read back as written', () => {
    const text = sample('windows-gmsa__chart-template__deployment.yaml');
    const [deployment] = loadManifests(text, 'deployment.yaml').objects;
    expect(deployment!.object.metadata?.name).toBe('{{ .Release.Name }}');
    expect(deployment!.origin?.templated).toBe(true);
    expect((deployment!.object.spec as any).template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(deployment!.origin!.positions['spec.template.spec.nodeSelector.kubernetes.io/os']!.line).toBe(
      lineOf(text, /^\s+kubernetes\.io\/os: linux$/),
    );
    expect(only(lint([{ file: 'deployment.yaml', text }]), 'k8s/unrendered-template', 'info').message).toContain(
      'is an unrendered template: 1 object judged where literal',
    );
  });

  it('Helm partials and YAML that holds no Kubernetes object are skipped, with the reason', () => {
    expect(loadManifests(sample('windows-gmsa__chart-template___helpers.tpl'), 'templates/_helpers.tpl').skipped).toBe(
      'a Helm partial (_*.tpl): it defines named templates and renders no object',
    );
    expect(loadManifests(sample('windows-gmsa__chart__values.yaml'), 'values.yaml').skipped).toBe(
      'no Kubernetes object (a mapping with apiVersion and kind) in this file',
    );
  });

  it('UTF-16 from PowerShell is read; bytes that are not text are refused', () => {
    const text = sample('windows-gmsa__it-template__service-account.yml');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(loadManifests(utf16, 'sa.yml').objects).toHaveLength(1);
    expect(loadManifests(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81]), 'x.yml').problems[0]).toMatchObject({
      kind: 'encoding',
    });
  });

  it('a syntax error names its line', () => {
    const text = sample('windows-gmsa__deploy__gmsa-crd.yml').replace(
      '  group: windows.k8s.io',
      '  group: [windows.k8s.io',
    );
    const f = only(lint([{ file: 'crd.yml', text }]), 'k8s/manifest-readable', 'error');
    expect(f.location).toMatchObject({ file: 'crd.yml' });
    expect(f.location!.line).toBeGreaterThanOrEqual(lineOf(text, /group: \[windows/));
  });
});

describe('bounds', () => {
  it('alias expansion past the bound is refused, quickly', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
    ].join('\n');
    const started = Date.now();
    const loaded = loadManifests(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ${bomb.replace(/\n/g, '\n  ')}\n`,
      'bomb.yaml',
    );
    expect(loaded.problems[0]).toMatchObject({
      kind: 'limit',
      reason: 'aliases (*name) expand to more than 10000 values: refused, as nested anchors can expand exponentially',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('deep nesting is refused with its reason, whether the parser or the converter meets it', () => {
    expect(loadManifests('['.repeat(20000) + ']'.repeat(20000), 'deep.yaml').problems[0]).toMatchObject({
      kind: 'limit',
      reason: 'mappings and sequences nested too deeply to be read (more than 128 deep): refused',
    });
    const nested = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    expect(loadManifests(nested, 'nested.yaml').problems[0]).toMatchObject({
      kind: 'limit',
      reason: 'mappings and sequences nested more than 128 deep: refused',
    });
  });

  it('a file or an object over its size bound is refused, naming the sizes', () => {
    const text = sample('windows-gmsa__deploy__gmsa-crd.yml');
    const limits = {
      maxFileBytes: 1000,
      maxDocumentBytes: 3 * 1024 * 1024,
      yaml: { maxAliasExpansions: 10, maxDepth: 128, maxValues: 1000 },
    };
    expect(loadManifests(text, 'crd.yml', limits).problems[0]!.reason).toBe(
      `the file is ${Buffer.byteLength(text)} bytes, over the 1000-byte bound`,
    );
    const doc = loadManifests(text, 'crd.yml', { ...limits, maxFileBytes: 1e6, maxDocumentBytes: 500 });
    expect(doc.problems[0]!.reason).toMatch(
      /^the CustomResourceDefinition "gmsacredentialspecs.windows.k8s.io" is \d+ bytes, over the 500-byte bound of one object$/,
    );
  });
});

describe('manifest rules', () => {
  it('k8s/manifest-schema: hostProcess "yes" must be boolean (kubernetes-models), at its line', () => {
    const text = rendered('windows-gmsa__it-template__single-pod-with-container-level-gmsa.yml').replace(
      '      windowsOptions:\n',
      '      windowsOptions:\n        hostProcess: "yes"\n',
    );
    const f = only(lint([{ file: 'pod.yml', text }]), 'k8s/manifest-schema', 'error');
    expect(f.message).toBe(
      'spec.containers[0].securityContext.windowsOptions.hostProcess must be boolean: kubectl refuses this Pod',
    );
    expect(f.location?.line).toBe(lineOf(text, /hostProcess: "yes"/));
    expect(
      findings(
        lint([
          { file: 'pod.yml', text: rendered('windows-gmsa__it-template__single-pod-with-container-level-gmsa.yml') },
        ]),
        'k8s/manifest-schema',
        'error',
      ),
    ).toEqual([]);
  });

  it('k8s/manifest-schema leaves templated values alone (replicas: {{ .Values.replicaCount }})', () => {
    expect(
      findings(lint([file('windows-gmsa__chart-template__deployment.yaml')]), 'k8s/manifest-schema', 'error'),
    ).toEqual([]);
  });

  it("k8s/api-version: the docs' apps/v1beta1 Deployments", () => {
    const f = only(
      lint([file('kubernetes-website__configure-gmsa__pod-level-deployment-apps-v1beta1.yaml')]),
      'k8s/api-version',
      'error',
    );
    expect(f.message).toBe(
      'Deployment with-creds is apps/v1beta1, which Kubernetes 1.16 removed: kubectl answers `no matches for kind "Deployment" in version "apps/v1beta1"`',
    );
    expect(f.remediation?.text).toBe('Use apiVersion: apps/v1.');
  });

  it('k8s/duplicate-keys', () => {
    const text = sample('xiaoping8385-TKGi-GMSA__gmsa__deployment.yaml').replace(
      '  replicas: 1\n',
      '  replicas: 1\n  replicas: 2\n',
    );
    expect(only(lint([{ file: 'd.yaml', text }]), 'k8s/duplicate-keys', 'warning').message).toBe(
      'key replicas appears twice in one mapping; the last one wins',
    );
  });
});

describe('lintManifests', () => {
  it('loads the schemas and judges the files, as `k8s lint` will', async () => {
    const { lintManifests } = await import('../../../src/k8s/index.js');
    const text = rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml').replace(
      '  dnsPolicy: ClusterFirst\n',
      '  dnsPolicy: ClusterFirst\n  hostNetwork: "yes"\n',
    );
    const j = await lintManifests([loadManifests(text, 'pod.yml')]);
    expect(only(j, 'k8s/manifest-schema', 'error').message).toBe(
      'spec.hostNetwork must be boolean: kubectl refuses this Pod',
    );
  });
});
