// Clusters for the scan's tests, served by the test API server (test/helpers/k8s-api-server.ts) from the real
// windows-gmsa manifests: the CRD, the webhook as its deploy script installs it, the integration tests' credspecs,
// RBAC and workloads. The webhook itself is a local HTTPS server answering as webhook.go does (`GET /info` gives
// `{"version": ...}`, `GET /health` 204), reached through the Endpoints of its Service like a routable pod IP.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parse } from 'yaml';
import { goJson } from '../../../src/k8s/admission.js';
import type { K8sObject } from '../../../src/k8s/index.js';
import { renderShellTemplate } from '../../helpers/go-template.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import { startK8sApiServer } from '../../helpers/k8s-api-server.js';
import type { KeyPair } from '../../helpers/k8s-tls.js';
import { TestPki } from '../../helpers/k8s-tls.js';
import { linuxNode, rendered, renderedCredspec, sample, windowsNode } from './helpers.js';

export const WINDOWS = ['nodeSelector:', '  kubernetes.io/os: windows'];
export const WEBHOOK_HOST = 'gmsa-webhook.gmsa-webhook.svc';
export const WEBHOOK_VERSION = 'v0.13.0';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The webhook's own CA (what its caBundle holds) and serving certificates made from it, or from another CA. */
export class WebhookPki {
  readonly pki: TestPki;

  constructor(dir: string) {
    this.pki = new TestPki(mkdtempSync(join(dir, 'webhook-pki-')), 'gmsa-webhook-ca', 400);
  }

  serving(days = 365, pki: TestPki = this.pki): KeyPair {
    return pki.issue(WEBHOOK_HOST, { names: [`DNS:${WEBHOOK_HOST}`], usage: 'serverAuth', days });
  }
}

/** The webhook process: HTTPS with the given serving certificate, on a free local port. */
/** A test file's temporary folder, with the webhook's CA and a serving pair it signed, made once for the file. */
export function webhookBench(prefix: string): { dir: string; pki: WebhookPki; serving: KeyPair } {
  const bench = {} as { dir: string; pki: WebhookPki; serving: KeyPair };
  beforeAll(() => {
    bench.dir = mkdtempSync(join(tmpdir(), prefix));
    bench.pki = new WebhookPki(bench.dir);
    bench.serving = bench.pki.serving();
  });
  afterAll(() => rmSync(bench.dir, { recursive: true, force: true }));
  return bench;
}

export async function startWebhook(serving: KeyPair): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer({ key: serving.key, cert: serving.cert }, (req, res) => {
    if (req.url === '/info') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ version: WEBHOOK_VERSION }));
    } else if (req.url === '/health') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ClusterOptions {
  crd?: string;
  credspecs?: string[];
  windows?: K8sObject;
  /** The webhook's caBundle CA. */
  webhookPki: WebhookPki;
  /** Its serving certificate and key, in the Secret the Deployment mounts (the scan never reads Secrets). */
  serving: KeyPair;
  /** Where the webhook pod listens (127.0.0.1:port); without one, the Service has no endpoint. */
  webhookPort?: number;
}

/**
 * A healthy cluster: the CRD, the webhook as its deploy script installs it (its pod running on the Linux node),
 * two nodes, credspecs 0..2, the integration tests' RBAC (a RoleBinding in `web` granting `use`), a Deployment and a
 * pod the webhook admitted.
 */
export async function healthyCluster(options: ClusterOptions): Promise<K8sApiServer> {
  const s = await startK8sApiServer();
  s.add(linuxNode('aks-nodepool1-0'));
  s.add(options.windows ?? windowsNode('akswin000000', '10.0.20348.2527'));
  s.load(options.crd ?? sample('windows-gmsa__deploy__gmsa-crd.yml'));
  const webhook = renderShellTemplate(sample('windows-gmsa__deploy__gmsa-webhook.yml.tpl'), {
    NAMESPACE: 'gmsa-webhook',
    NAME: 'gmsa-webhook',
    RBAC_ROLE_NAME: 'gmsa-webhook-rbac-role',
    IMAGE_NAME: `registry.k8s.io/gmsa-webhook/k8s-gmsa-webhook:${WEBHOOK_VERSION}`,
    TOLERATIONS: '',
    TLS_PRIVATE_KEY: b64(options.serving.key),
    TLS_CERTIFICATE: b64(options.serving.cert),
    CA_BUNDLE: b64(options.webhookPki.pki.ca.cert),
  });
  // The pod listens where the test's webhook does: the Service sends 443 there.
  s.load(options.webhookPort ? webhook.replace('targetPort: 443', `targetPort: ${options.webhookPort}`) : webhook);
  if (options.webhookPort) s.add(webhookPod());
  s.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  const credspecs = [
    renderedCredspec('k8s-windows-gmsa__credspec-0.yml'),
    renderedCredspec('k8s-windows-gmsa__credspec-1-v1alpha1.yml'),
    rendered('windows-gmsa__it-template__credspec-2.yml'),
  ];
  for (const credspec of options.credspecs ?? credspecs) s.load(credspec);
  for (const name of ['credspecs-users-rbac-role', 'service-account', 'sa-rbac-binding'])
    s.load(rendered(`windows-gmsa__it-template__${name}.yml`));
  s.load(rendered('windows-gmsa__it-template__simple-with-gmsa.yml', { ExtraSpecLines: WINDOWS }));
  return s;
}

/** The webhook's running pod, at 127.0.0.1 (the status kubelet reports, with the pod IP the test can reach). */
function webhookPod(): K8sObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'gmsa-webhook-6d4b9c7f8-kq2xv', namespace: 'gmsa-webhook', labels: { app: 'gmsa-webhook' } },
    spec: {
      nodeName: 'aks-nodepool1-0',
      serviceAccountName: 'gmsa-webhook',
      containers: [{ name: 'gmsa-webhook', image: `registry.k8s.io/gmsa-webhook/k8s-gmsa-webhook:${WEBHOOK_VERSION}` }],
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: now,
      })),
      hostIP: '10.240.0.5',
      podIP: '127.0.0.1',
      podIPs: [{ ip: '127.0.0.1' }],
      startTime: now,
    },
  };
}

/** A pod the webhook admitted: contents as its mutating pass writes them. */
export function admittedPod(name: string, credspec: string, contents: unknown, extra: string[] = []): K8sObject {
  return parse(
    rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml', {
      TestName: name,
      CredSpecNames: [credspec],
      CredSpecContent: goJson(contents),
      ExtraSpecLines: [...WINDOWS, 'nodeName: akswin000000', ...extra],
    }),
  ) as K8sObject;
}

/** A credspec as kubectl applied it at v1alpha1 (with its last-applied-configuration), for the old CRDs. */
export function appliedAtV1alpha1(credspecTemplate: string): string {
  const applied = parse(
    renderedCredspec(credspecTemplate).replace('windows.k8s.io/v1\n', 'windows.k8s.io/v1alpha1\n'),
  ) as K8sObject;
  return JSON.stringify({
    ...applied,
    metadata: {
      ...applied.metadata,
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) },
    },
  });
}
