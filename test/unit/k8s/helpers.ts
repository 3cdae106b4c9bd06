import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { K8sClientOptions } from '../../../src/probes/k8s/client.js';
import { K8sClient } from '../../../src/probes/k8s/client.js';
import type { ClusterTarget } from '../../../src/probes/k8s/config.js';
import { loadClusterTarget } from '../../../src/probes/k8s/config.js';
import type { K8sError, K8sResult } from '../../../src/probes/k8s/errors.js';
import { renderGoTemplate } from '../../helpers/go-template.js';
import type { K8sApiServer, KubeconfigVariant } from '../../helpers/k8s-api-server.js';

/** A real manifest from test/fixtures/k8s/samples (see PROVENANCE.md there). */
export function sample(name: string): string {
  return readFileSync(new URL(`../../fixtures/k8s/samples/${name}`, import.meta.url), 'utf8');
}

export function credspecSample(name: string): string {
  return readFileSync(new URL(`../../fixtures/credspec/samples/${name}`, import.meta.url), 'utf8');
}

/** The values windows-gmsa's integration tests render their templates with, overridable. */
export function rendered(name: string, values: Record<string, unknown> = {}): string {
  return renderGoTemplate(sample(name), {
    TestName: 'webapp',
    Namespace: 'web',
    ServiceAccountName: 'webapp-sa',
    ClusterRoleName: 'webapp-use-credspecs',
    RoleBindingName: 'webapp-sa-use-credspecs',
    CredSpecNames: ['gmsa-webapp0', 'gmsa-webapp1', 'gmsa-webapp2'],
    CredSpecContent: '',
    Image: '',
    ExtraSpecLines: [],
    ...values,
  });
}

export function target(
  server: K8sApiServer,
  variant: KubeconfigVariant = {},
  name = `kubeconfig-${Math.random().toString(36).slice(2)}`,
): ClusterTarget {
  const loaded = loadClusterTarget({ kubeconfig: server.writeKubeconfig(name, variant), env: {} });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value;
}

export function connect(
  server: K8sApiServer,
  variant: KubeconfigVariant = {},
  options: K8sClientOptions = {},
): K8sClient {
  return new K8sClient(target(server, variant), options);
}

export function value<T>(result: K8sResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result.value;
}

export function error<T>(result: K8sResult<T>): K8sError {
  expect(result.ok, result.ok ? 'expected an error, got success' : '').toBe(false);
  return (result as { ok: false; error: K8sError }).error;
}
