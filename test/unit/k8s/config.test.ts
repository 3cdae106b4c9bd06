// Which cluster, as whom: --kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster; every problem a config error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K8sClient } from '../../../src/probes/k8s/client.js';
import { loadClusterTarget } from '../../../src/probes/k8s/config.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import { startK8sApiServer } from '../../helpers/k8s-api-server.js';
import { error, value } from './helpers.js';

let server: K8sApiServer;
let dir: string;

beforeAll(async () => {
  server = await startK8sApiServer();
  dir = mkdtempSync(join(tmpdir(), 'gmsa-kubeconfig-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfigWith(contexts: { name: string; namespace?: string }[], current?: string): string {
  const base = JSON.parse(server.kubeconfig()) as Record<string, any>;
  base.contexts = contexts.map((c) => ({
    name: c.name,
    context: { cluster: 'test-cluster', user: 'test-user', ...(c.namespace ? { namespace: c.namespace } : {}) },
  }));
  if (current === undefined) delete base['current-context'];
  else base['current-context'] = current;
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, JSON.stringify(base));
  return path;
}

describe('kubeconfig', () => {
  it("uses --kubeconfig and its current context, and the context's namespace for -n", () => {
    const path = kubeconfigWith([{ name: 'prod', namespace: 'web' }, { name: 'dev' }], 'prod');
    const target = value(loadClusterTarget({ kubeconfig: path, env: {} }));
    expect(target).toMatchObject({
      server: server.url,
      context: 'prod',
      namespace: 'web',
      user: 'test-user',
      tlsVerify: true,
    });
    expect(target.source).toBe(`kubeconfig ${path}, context prod`);
  });

  it('--context picks another context; an unknown one is an error listing the contexts', () => {
    const path = kubeconfigWith([{ name: 'prod' }, { name: 'dev' }], 'prod');
    expect(value(loadClusterTarget({ kubeconfig: path, context: 'dev', env: {} })).namespace).toBe('default');
    const unknown = error(loadClusterTarget({ kubeconfig: path, context: 'staging', env: {} }));
    expect(unknown.message).toBe(`config: kubeconfig ${path}: no context "staging" (contexts: prod, dev)`);
  });

  it('a kubeconfig without a current context asks for --context', () => {
    const path = kubeconfigWith([{ name: 'a' }, { name: 'b' }]);
    expect(error(loadClusterTarget({ kubeconfig: path, env: {} })).message).toBe(
      `config: kubeconfig ${path}: no current-context; pass --context (contexts: a, b)`,
    );
  });

  it('KUBECONFIG with several files: the first to define a name or a current context wins, missing files are skipped', () => {
    const first = kubeconfigWith([{ name: 'shared', namespace: 'first' }]);
    const second = kubeconfigWith(
      [
        { name: 'shared', namespace: 'second' },
        { name: 'only-second', namespace: 'x' },
      ],
      'only-second',
    );
    const env = { KUBECONFIG: [join(dir, 'missing'), first, second].join(delimiter) };
    const target = value(loadClusterTarget({ env }));
    expect(target.context).toBe('only-second');
    expect(value(loadClusterTarget({ env, context: 'shared' })).namespace).toBe('first');
  });

  it('falls back to ~/.kube/config', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), server.kubeconfig({ context: 'from-home' }));
    expect(value(loadClusterTarget({ env: {}, homeDir: home })).context).toBe('from-home');
  });

  it('refuses what cannot be a kubeconfig, naming the file', () => {
    const broken = join(dir, 'broken');
    writeFileSync(broken, 'clusters:\n- name: x\n  cluster: {}\n');
    expect(error(loadClusterTarget({ kubeconfig: broken, env: {} })).message).toMatch(
      new RegExp(`^config: ${broken}: not a usable kubeconfig: `),
    );
    expect(error(loadClusterTarget({ kubeconfig: join(dir, 'nope'), env: {} })).message).toBe(
      `config: --kubeconfig ${join(dir, 'nope')}: no such file`,
    );
    expect(error(loadClusterTarget({ env: { KUBECONFIG: join(dir, 'nope') } })).message).toBe(
      `config: KUBECONFIG=${join(dir, 'nope')} names no existing file`,
    );
  });

  it('refuses a plain-HTTP server unless TLS verification was turned off', () => {
    const path = join(dir, 'http');
    writeFileSync(path, server.kubeconfig({ server: 'http://127.0.0.1:8080' }));
    expect(error(loadClusterTarget({ kubeconfig: path, env: {} })).message).toMatch(
      /server http:\/\/127\.0\.0\.1:8080 is plain HTTP/,
    );
  });

  it('with nothing configured and no pod token, says so', () => {
    expect(
      error(loadClusterTarget({ env: {}, homeDir: join(dir, 'empty-home'), serviceAccountDir: join(dir, 'no-sa') }))
        .message,
    ).toBe(
      'config: no kubeconfig (--kubeconfig, KUBECONFIG, ~/.kube/config) and not running in a pod with a service account token',
    );
  });
});

describe('in-cluster', () => {
  it("uses the pod's service account token, CA and namespace, and reaches the API with them", async () => {
    const sa = join(dir, 'serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'in-cluster-token');
    writeFileSync(join(sa, 'ca.crt'), server.pki.ca.cert);
    writeFileSync(join(sa, 'namespace'), 'gmsa-doctor');
    server.addToken('in-cluster-token', {
      name: 'system:serviceaccount:gmsa-doctor:scanner',
      groups: ['system:serviceaccounts', 'system:authenticated'],
    });
    const port = new URL(server.url).port;
    const target = value(
      loadClusterTarget({
        env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
        homeDir: join(dir, 'empty-home'),
        serviceAccountDir: sa,
      }),
    );
    expect(target).toMatchObject({ server: `https://127.0.0.1:${port}`, namespace: 'gmsa-doctor', tlsVerify: true });
    expect(value(await new K8sClient(target).list('namespaces')).items.length).toBeGreaterThan(0);
    expect(server.requests.at(-1)?.user).toBe('system:serviceaccount:gmsa-doctor:scanner');
  });
});
