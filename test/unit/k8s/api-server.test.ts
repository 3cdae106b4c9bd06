// The test API server itself (test/helpers/k8s-api-server.ts) answers in the API's shapes: the other k8s tests, and
// issue 14's scan tests, are only as real as it is. Raw HTTPS requests here, no client in between.
import { request } from 'node:https';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderShellTemplate } from '../../helpers/go-template.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import { startK8sApiServer } from '../../helpers/k8s-api-server.js';
import { rendered, sample } from './helpers.js';

interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  json: any;
}

function raw(
  server: K8sApiServer,
  path: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: server.pki.ca.cert,
        headers: {
          Authorization: `Bearer ${options.token ?? server.token}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let server: K8sApiServer;
beforeAll(async () => {
  server = await startK8sApiServer();
  server.load(sample('windows-gmsa__deploy__gmsa-crd.yml'));
  server.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  server.add({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'akswin000000',
      labels: { 'kubernetes.io/os': 'windows', 'node.kubernetes.io/windows-build': '10.0.17763' },
    },
    status: {
      addresses: [{ type: 'InternalIP', address: '10.240.0.4' }],
      nodeInfo: {
        kernelVersion: '10.0.17763.1339',
        osImage: 'Windows Server 2019 Datacenter',
        containerRuntimeVersion: 'containerd://1.7.18',
        operatingSystem: 'windows',
        architecture: 'amd64',
      },
    },
  });
});
afterAll(() => server.close());

describe('discovery', () => {
  it("serves /api, /apis with each group's preferred version, and the resource lists", async () => {
    expect((await raw(server, '/api')).json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await raw(server, '/apis')).json;
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.find((g: any) => g.name === 'windows.k8s.io')).toEqual({
      name: 'windows.k8s.io',
      versions: [
        { groupVersion: 'windows.k8s.io/v1', version: 'v1' },
        { groupVersion: 'windows.k8s.io/v1alpha1', version: 'v1alpha1' },
      ],
      preferredVersion: { groupVersion: 'windows.k8s.io/v1', version: 'v1' },
    });
    const gmsa = (await raw(server, '/apis/windows.k8s.io/v1')).json;
    expect(gmsa).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'windows.k8s.io/v1',
      resources: [
        {
          name: 'gmsacredentialspecs',
          singularName: 'gmsacredentialspec',
          namespaced: false,
          kind: 'GMSACredentialSpec',
        },
      ],
    });
    const core = (await raw(server, '/api/v1')).json;
    expect(core.resources.find((r: any) => r.name === 'pods/log')).toEqual({
      name: 'pods/log',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get'],
    });
  });

  it("answers an unserved group or path with Go's plain-text 404", async () => {
    for (const path of ['/apis/cert-manager.io/v1', '/apis/cert-manager.io/v1/issuers', '/api/v1/widgets']) {
      const answer = await raw(server, path);
      expect([answer.status, answer.contentType, answer.text]).toEqual([
        404,
        'text/plain; charset=utf-8',
        '404 page not found\n',
      ]);
    }
  });
});

describe('objects as the API returns them', () => {
  it("lists built-in types without kind/apiVersion on the items, gets them with, fields in Go's order", async () => {
    server.add({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probe', namespace: 'web' },
      spec: {
        containers: [{ name: 'c', image: 'mcr.microsoft.com/windows/nanoserver:ltsc2019' }],
        nodeName: 'akswin000000',
      },
    });
    const list = await raw(server, '/api/v1/namespaces/web/pods');
    expect(Object.keys(list.json)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(list.json.kind).toBe('PodList');
    expect(list.json.items[0].kind).toBeUndefined();
    const pod = (await raw(server, '/api/v1/namespaces/web/pods/probe')).json;
    expect(Object.keys(pod)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(Object.keys(pod.metadata)).toEqual(['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']);
    expect(pod.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('adds what admission and the kubelet add to a pod: service account, tolerations, a status with IPs on its node', async () => {
    const pod = (await raw(server, '/api/v1/namespaces/web/pods/probe')).json;
    expect(pod.spec).toMatchObject({
      serviceAccountName: 'default',
      serviceAccount: 'default',
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    });
    expect(pod.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
    });
    expect(pod.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(pod.status).toMatchObject({
      phase: 'Running',
      hostIP: '10.240.0.4',
      containerStatuses: [{ name: 'c', ready: true }],
    });
    expect(pod.status.podIP).toMatch(/^10\.244\./);
  });

  it("keeps a node's nodeInfo and labels as given", async () => {
    const node = (await raw(server, '/api/v1/nodes/akswin000000')).json;
    expect(node.status.nodeInfo.kernelVersion).toBe('10.0.17763.1339');
    expect(node.metadata.labels['node.kubernetes.io/windows-build']).toBe('10.0.17763');
  });

  it('namespaces get their name label and a default service account', async () => {
    const ns = (await raw(server, '/api/v1/namespaces/web')).json;
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'web' });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect((await raw(server, '/api/v1/namespaces/web/serviceaccounts/default')).status).toBe(200);
  });

  it('custom resources come with apiVersion and kind, keys sorted as Go writes maps', async () => {
    server.load(rendered('windows-gmsa__it-template__credspec-2.yml'));
    const list = (await raw(server, '/apis/windows.k8s.io/v1/gmsacredentialspecs')).json;
    expect(list.kind).toBe('GMSACredentialSpecList');
    const item = list.items[0];
    expect(Object.keys(item)).toEqual(['apiVersion', 'credspec', 'kind', 'metadata']);
    expect(Object.keys(item.credspec)).toEqual(['ActiveDirectoryConfig', 'CmsPlugins', 'DomainJoinConfig']);
    expect(Object.keys(item.metadata)).toEqual(['creationTimestamp', 'generation', 'name', 'resourceVersion', 'uid']);
    // Conversion "None": the same object under the deprecated version.
    expect((await raw(server, '/apis/windows.k8s.io/v1alpha1/gmsacredentialspecs/gmsa-webapp2')).json.apiVersion).toBe(
      'windows.k8s.io/v1alpha1',
    );
  });

  it("a missing object is a NotFound Status with the API server's details", async () => {
    expect((await raw(server, '/api/v1/namespaces/web/pods/nope')).json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
  });

  it('refuses what the API refuses: bad continue tokens, unknown field selectors', async () => {
    expect((await raw(server, '/api/v1/pods?continue=garbage')).json).toMatchObject({
      code: 400,
      reason: 'BadRequest',
    });
    expect((await raw(server, '/api/v1/pods?fieldSelector=spec.foo%3Dbar')).json).toMatchObject({
      code: 400,
      message: 'field label not supported: spec.foo',
    });
  });
});

describe("controllers' objects: Endpoints and EndpointSlices follow the pods a Service selects", () => {
  it('no ready pod, no addresses; a running pod with the labels, one address on its node', async () => {
    const docs = server.apply(sample('macsux-kerberos-buildpack__CcgPlugin__gmsa-demo.yaml'));
    expect(docs.every((d) => !('error' in d))).toBe(true);
    const empty = (await raw(server, '/api/v1/namespaces/default/endpoints/gmsa-demo')).json;
    expect(empty.subsets).toBeUndefined();
    const emptySlices = (
      await raw(
        server,
        '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dgmsa-demo',
      )
    ).json;
    expect(emptySlices.items).toHaveLength(1);
    expect(emptySlices.items[0].endpoints).toBeNull();
    server.add({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'gmsa-demo-1', namespace: 'default', labels: { app: 'gmsa-demo' } },
      spec: { nodeName: 'akswin000000', containers: [{ name: 'iis', image: 'iis:ltsc2019' }] },
    });
    const endpoints = (await raw(server, '/api/v1/namespaces/default/endpoints/gmsa-demo')).json;
    expect(endpoints.subsets).toEqual([
      {
        addresses: [
          {
            ip: expect.stringMatching(/^10\.244\./),
            nodeName: 'akswin000000',
            targetRef: expect.objectContaining({ kind: 'Pod', name: 'gmsa-demo-1' }),
          },
        ],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
    const slice = (await raw(server, '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')).json.items[0];
    expect(slice.endpoints).toEqual([
      expect.objectContaining({
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'akswin000000',
      }),
    ]);
  });
});

describe('loading the samples', () => {
  it('renders and accepts every integration-test template of windows-gmsa', () => {
    const templates = [
      'windows-gmsa__it-template__service-account.yml',
      'windows-gmsa__it-template__credspecs-users-rbac-role.yml',
      'windows-gmsa__it-template__all-credspecs-users-rbac-role.yml',
      'windows-gmsa__it-template__sa-rbac-binding.yml',
      'windows-gmsa__it-template__simple-with-gmsa.yml',
      'windows-gmsa__it-template__simple-with-container-level-gmsa.yml',
      'windows-gmsa__it-template__simple-with-gmsa-hostname.yml',
      'windows-gmsa__it-template__simple-with-pre-set-matching-contents.yml',
      'windows-gmsa__it-template__simple-with-preset-gmsa-container-level-contents.yml',
      'windows-gmsa__it-template__simple-without-gmsa.yml',
      'windows-gmsa__it-template__single-pod-with-gmsa.yml',
      'windows-gmsa__it-template__single-pod-with-container-level-gmsa.yml',
      'k8s-windows-gmsa__several-containers-with-gmsa.yml',
      'k8s-windows-gmsa__simple-with-pre-set-unmatching-contents.yml',
      'k8s-windows-gmsa__simple-with-preset-gmsa-pod-level-contents.yml',
      'k8s-windows-gmsa__simple-with-unknown-gmsa.yml',
    ];
    for (const [i, name] of templates.entries()) {
      const text = rendered(name, {
        TestName: `t${i}`,
        ExtraSpecLines: ['nodeSelector:', '  kubernetes.io/os: windows'],
      });
      expect(() => server.load(text), name).not.toThrow();
    }
    const hostname = (
      server.store.stored(server.store.typeForManifest('apps/v1', 'Deployment'), 'web').find((s) => s.key === 'web/t6')!
        .object as any
    ).spec.template.spec;
    expect(hostname).toMatchObject({
      hostname: 't6',
      nodeSelector: { 'kubernetes.io/os': 'windows' },
      restartPolicy: 'Always',
    });
    // Templates get pod-spec defaults, but the service account is only filled in on pods.
    expect(hostname.serviceAccountName).toBe('webapp-sa');
  });

  it("refuses the docs' apps/v1beta1 Deployments as kubectl would: the version is long gone", () => {
    const [result] = server.apply(sample('kubernetes-website__configure-gmsa__pod-level-deployment-apps-v1beta1.yaml'));
    expect(result).toMatchObject({
      kind: 'Deployment',
      error: { code: 404, message: 'no matches for kind "Deployment" in version "apps/v1beta1"' },
    });
  });

  it('the non-Helm webhook install: both configurations with admissionregistration/v1 defaults', async () => {
    const text = renderShellTemplate(sample('windows-gmsa__deploy__gmsa-webhook.yml.tpl'), {
      NAMESPACE: 'gmsa-webhook',
      NAME: 'gmsa-webhook',
      TLS_PRIVATE_KEY: Buffer.from('key').toString('base64'),
      TLS_CERTIFICATE: Buffer.from(server.pki.server.cert).toString('base64'),
      RBAC_ROLE_NAME: 'gmsa-webhook-rbac-role',
      TOLERATIONS: '',
      IMAGE_NAME: 'sigwindowstools/k8s-gmsa-webhook:latest',
      CA_BUNDLE: Buffer.from(server.pki.ca.cert).toString('base64'),
    });
    expect(server.load(text)).toHaveLength(9);
    const mutating = (
      await raw(server, '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/gmsa-webhook')
    ).json;
    expect(mutating.webhooks[0]).toMatchObject({
      name: 'admission-webhook.windows-gmsa.sigs.k8s.io',
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      objectSelector: {},
      timeoutSeconds: 10,
      reinvocationPolicy: 'Never',
      clientConfig: { service: { name: 'gmsa-webhook', namespace: 'gmsa-webhook', path: '/mutate', port: 443 } },
    });
    const parsedTemplate = parse(text.split('---').at(-2)!);
    expect(parsedTemplate.kind).toBe('ValidatingWebhookConfiguration');
  });
});

describe('LocalSubjectAccessReview validation', () => {
  const review = (namespace: string, attributesNamespace: string, user = 'system:serviceaccount:web:default') => ({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'LocalSubjectAccessReview',
    metadata: { namespace },
    spec: {
      resourceAttributes: {
        namespace: attributesNamespace,
        verb: 'use',
        group: 'windows.k8s.io',
        resource: 'gmsacredentialspecs',
        name: 'x',
      },
      user,
    },
  });

  it('answers 201 with the review and its status, metadata as the API writes it', async () => {
    const answer = await raw(server, '/apis/authorization.k8s.io/v1/namespaces/web/localsubjectaccessreviews', {
      method: 'POST',
      body: review('web', 'web'),
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      kind: 'LocalSubjectAccessReview',
      metadata: { namespace: 'web', creationTimestamp: null },
      status: { allowed: false },
    });
    expect(answer.json.status.reason).toBeUndefined();
  });

  it('refuses a review whose namespaces disagree, or that names nobody', async () => {
    const mismatch = await raw(server, '/apis/authorization.k8s.io/v1/namespaces/web/localsubjectaccessreviews', {
      method: 'POST',
      body: review('web', 'other'),
    });
    expect(mismatch.json).toMatchObject({
      code: 422,
      message:
        'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace',
    });
    const url = await raw(server, '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', {
      method: 'POST',
      body: review('web', 'web'),
    });
    expect(url.json).toMatchObject({
      code: 400,
      message: 'spec.resourceAttributes.namespace must match namespace: default',
    });
    const nobody = await raw(server, '/apis/authorization.k8s.io/v1/namespaces/web/localsubjectaccessreviews', {
      method: 'POST',
      body: review('web', 'web', ''),
    });
    expect(nobody.json.message).toBe(
      'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    );
  });
});
