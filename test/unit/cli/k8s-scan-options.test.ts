// `gmsa-doctor k8s` as users point it at a cluster and read it: --context, -A, the pod's own service account
// (in-cluster), paged lists and bounded concurrency in a cluster with many pods, the progress line on a terminal, and
// the per-object ignore annotation, each through the CLI against the test API server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../src/engine/finding.js';
import type { K8sObject } from '../../../src/k8s/index.js';
import { cli } from '../../helpers/cli.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import { healthyCluster, startWebhook, webhookBench, WINDOWS } from '../kubernetes/clusters.js';
import { rendered } from '../kubernetes/helpers.js';

// Each test runs a few whole scans: on a loaded machine they outlast the default 5 s.
vi.setConfig({ testTimeout: 30_000 });

const bench = webhookBench('gmsa-k8s-options-');

let server: K8sApiServer | undefined;
let webhook: { port: number; close(): Promise<void> } | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  await webhook?.close();
  server = webhook = undefined;
});

async function cluster(): Promise<K8sApiServer> {
  webhook = await startWebhook(bench.serving);
  server = await healthyCluster({ webhookPki: bench.pki, serving: bench.serving, webhookPort: webhook.port });
  return server;
}

interface Json {
  exitCode: number;
  vantagePoint: string;
  findings: Finding[];
  ignored: Finding[];
}

const problems = (json: Json) => json.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');

/** A Deployment able to land on Linux (a warning), optionally annotated. */
function anywhere(name: string, annotations?: Record<string, string>): K8sObject {
  const object = parse(rendered('windows-gmsa__it-template__simple-with-gmsa.yml', { TestName: name })) as K8sObject;
  if (annotations) object.metadata = { ...object.metadata, annotations };
  return object;
}

describe('which cluster, as whom', () => {
  it('--context picks a kubeconfig context other than the current one; -A scans every namespace, as the default does', async () => {
    const s = await cluster();
    // The current context names a cluster that is not there; `test` is the test API server.
    const config = JSON.parse(s.kubeconfig()) as Record<string, any>;
    config.clusters.push({
      name: 'prod-cluster',
      cluster: { ...config.clusters[0].cluster, server: 'https://127.0.0.1:1' },
    });
    config.contexts.push({ name: 'prod', context: { cluster: 'prod-cluster', user: 'test-user' } });
    config['current-context'] = 'prod';
    const kubeconfig = join(bench.dir, 'two-contexts');
    writeFileSync(kubeconfig, JSON.stringify(config));

    const current = await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json');
    expect(current.code).toBe(2);
    expect(JSON.parse(current.out).inputErrors[0].reason).toMatch(/^unreachable: https:\/\/127\.0\.0\.1:1: /);

    const picked = await cli('k8s', '--kubeconfig', kubeconfig, '--context', 'test', '-A', '--format', 'json');
    expect(picked.code).toBe(0);
    const json = JSON.parse(picked.out) as Json;
    expect(json.vantagePoint).toBe(
      `${s.url} (kubeconfig ${kubeconfig}, context test), Kubernetes v1.30.4, all namespaces`,
    );
    expect(problems(json)).toEqual([]);
    expect(s.requestCount({ resource: 'pods', verb: 'list', path: '/api/v1/pods' })).toBeGreaterThan(0);

    const unknown = await cli('k8s', '--kubeconfig', kubeconfig, '--context', 'staging');
    expect(unknown).toMatchObject({ code: 2, out: '' });
    expect(unknown.err).toBe(
      `gmsa-doctor: config: kubeconfig ${kubeconfig}: no context "staging" (contexts: test, prod)\n`,
    );
  });

  it("in a pod, without a kubeconfig: the pod's service account token, CA and API server address", async () => {
    const s = await cluster();
    // A HostProcess container on containerd 1.6 sees its service account under $CONTAINER_SANDBOX_MOUNT_POINT.
    const sandbox = join(bench.dir, 'sandbox');
    const account = join(sandbox, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(account, { recursive: true });
    writeFileSync(join(account, 'token'), 'projected-service-account-token');
    writeFileSync(join(account, 'ca.crt'), s.pki.ca.cert);
    writeFileSync(join(account, 'namespace'), 'gmsa-doctor');
    s.addToken('projected-service-account-token', {
      name: 'system:serviceaccount:gmsa-doctor:gmsa-doctor-scan',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:gmsa-doctor', 'system:authenticated'],
    });
    vi.stubEnv('KUBECONFIG', undefined);
    vi.stubEnv('HOME', join(bench.dir, 'no-home'));
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '127.0.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', new URL(s.url).port);
    vi.stubEnv('CONTAINER_SANDBOX_MOUNT_POINT', sandbox);

    const { code, out } = await cli('k8s', '--format', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(out) as Json;
    expect(json.vantagePoint).toBe(
      `${s.url} (in-cluster service account (${account})), Kubernetes v1.30.4, all namespaces`,
    );
    expect(problems(json)).toEqual([]);
    expect(s.requests.length).toBeGreaterThan(10);
    expect(s.requests.every((r) => r.user === 'system:serviceaccount:gmsa-doctor:gmsa-doctor-scan')).toBe(true);
  });
});

describe('a cluster with many pods', () => {
  it('lists pods in pages of 500 (limit/continue), keeps only the gMSA ones, with at most --concurrency requests in flight', async () => {
    const s = await cluster();
    for (let i = 0; i < 1200; i++)
      s.add({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `api-${String(i).padStart(4, '0')}`, namespace: 'web', labels: { app: 'api' } },
        spec: {
          nodeName: 'aks-nodepool1-0',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [{ name: 'api', image: 'mcr.microsoft.com/dotnet/samples:aspnetapp' }],
        },
      });
    s.add(anywhere('webapp-anywhere'));
    let inFlight = 0;
    let peak = 0;
    s.latency = () => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => inFlight--, 15);
      return 15;
    };
    const { code, out } = await cli(
      'k8s',
      '--kubeconfig',
      s.writeKubeconfig(),
      '--concurrency',
      '2',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(peak).toBe(2);
    const pages = s.requests.filter((r) => r.path === '/api/v1/pods');
    expect(pages.map((r) => r.query.limit)).toEqual(['500', '500', '500']);
    expect(pages[0]!.query.continue).toBeUndefined();
    expect(pages.slice(1).every((r) => (r.query.continue ?? '') !== '')).toBe(true);
    const json = JSON.parse(out) as Json;
    expect(problems(json).map((f) => [f.id, f.subject])).toEqual([
      ['k8s/windows-nodes-only', 'web/Deployment/webapp-anywhere'],
    ]);
    expect(json.findings.some((f) => f.subject?.includes('/Pod/api-'))).toBe(false);
  });

  it('--concurrency and --timeout must be positive numbers', async () => {
    const bad = await cli('k8s', '--concurrency', '0');
    expect(bad).toMatchObject({ code: 2, err: 'gmsa-doctor: --concurrency 0: not a positive number\n' });
    expect((await cli('k8s', '--timeout', 'soon')).err).toBe('gmsa-doctor: --timeout soon: not a positive number\n');
  });
});

describe('the progress line', () => {
  function terminal(isTTY: boolean): () => void {
    const own = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true });
    return () => {
      if (own) Object.defineProperty(process.stderr, 'isTTY', own);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    };
  }

  it('on a terminal: the list being read with its counts, on standard error, erased at the end; none on a pipe', async () => {
    const s = await cluster();
    s.latency = 20;
    const kubeconfig = s.writeKubeconfig();
    vi.stubEnv('CI', '');
    const restore = terminal(true);
    let onTerminal;
    try {
      onTerminal = await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json');
    } finally {
      restore();
    }
    expect(onTerminal.code).toBe(0);
    // Each line starts by going back to the start of the line and erasing it (ESC [2K).
    const lines = onTerminal.err.split('\r\u001b[2K');
    expect(lines[0]).toBe('');
    expect(lines[1]).toMatch(/^reading [a-z]+: \d+ \(\d+ of \d+ lists done\)$/);
    expect(lines.at(-1)).toBe('');
    expect(onTerminal.err).not.toContain('\n');
    // The report itself is untouched by it.
    expect((JSON.parse(onTerminal.out) as Json).exitCode).toBe(0);

    const restorePipe = terminal(false);
    try {
      expect((await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json')).err).toBe('');
    } finally {
      restorePipe();
    }
  });
});

describe('the ignore annotation gmsa-doctor.io/ignore', () => {
  it('silences the rules it names on that object only: not counted, exit 0, listed as ignored', async () => {
    const s = await cluster();
    s.add(anywhere('webapp-anywhere'));
    s.add(anywhere('webapp-accepted', { 'gmsa-doctor.io/ignore': 'k8s/windows-nodes-only' }));
    s.load(
      rendered('windows-gmsa__it-template__simple-with-gmsa.yml', {
        TestName: 'webapp-case',
        CredSpecNames: ['gmsa-WebApp0'],
        ExtraSpecLines: WINDOWS,
      }),
    );
    const kubeconfig = s.writeKubeconfig();
    const before = JSON.parse((await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json')).out) as Json;
    expect(before.exitCode).toBe(1);
    expect(problems(before).map((f) => f.subject)).not.toContain('web/Deployment/webapp-accepted');
    expect(before.ignored.map((f) => [f.id, f.subject])).toEqual([
      ['k8s/windows-nodes-only', 'web/Deployment/webapp-accepted'],
    ]);

    // Accepting the case mismatch on its Deployment too: what is left is the one warning, so exit 0.
    s.add({
      ...(parse(
        rendered('windows-gmsa__it-template__simple-with-gmsa.yml', {
          TestName: 'webapp-case',
          CredSpecNames: ['gmsa-WebApp0'],
          ExtraSpecLines: WINDOWS,
        }),
      ) as K8sObject),
      metadata: {
        name: 'webapp-case',
        namespace: 'web',
        labels: { app: 'webapp-case' },
        annotations: { 'gmsa-doctor.io/ignore': 'k8s/credspec-exists,k8s/credspec-use-permitted' },
      },
    });
    const text = await cli('k8s', '--kubeconfig', kubeconfig, '--no-color');
    expect(text.code).toBe(0);
    expect(text.out).toContain('3 findings silenced by gmsa-doctor.io/ignore annotations (--format json lists them)');
    const ci = (await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'ci')).out.split('\n');
    expect(ci.filter((l) => /^\[(ERROR|WARNING)\]/.test(l))).toEqual([
      expect.stringMatching(/^\[WARNING\] web\/Deployment\/webapp-anywhere: \(k8s\/windows-nodes-only\) /),
    ]);
  });

  it('k8s lint honours it in the manifest', async () => {
    const file = join(bench.dir, 'anywhere.yaml');
    const manifest = (annotations?: Record<string, string>) => JSON.stringify(anywhere('webapp-anywhere', annotations));
    writeFileSync(file, manifest());
    const warned = JSON.parse((await cli('k8s', 'lint', file, '--format', 'json')).out) as Json;
    expect(problems(warned).map((f) => f.id)).toEqual(['k8s/windows-nodes-only']);
    writeFileSync(file, manifest({ 'gmsa-doctor.io/ignore': 'k8s/windows-nodes-only' }));
    const silenced = JSON.parse((await cli('k8s', 'lint', file, '--format', 'json')).out) as Json;
    expect(problems(silenced)).toEqual([]);
    expect(silenced.ignored.map((f) => f.id)).toEqual(['k8s/windows-nodes-only']);
  });
});
