/**
 * Which cluster to talk to, and as whom: `--kubeconfig`, else `KUBECONFIG` (several files, the first one to define
 * a name wins, as kubectl merges them), else `~/.kube/config`, else the pod's service account (in-cluster). Read
 * through @kubernetes/client-node's KubeConfig, which also runs exec credential plugins (aws eks get-token,
 * kubelogin, gke-gcloud-auth-plugin) and applies client certificates.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { isIPv6 } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { K8sResult } from './errors.js';
import { failed, ok } from './errors.js';
import { INPUT_LIMITS, InputFileError, readInputText } from '../input-file.js';

export interface KubeconfigOptions {
  /** `--kubeconfig FILE`. */
  kubeconfig?: string;
  /** `--context NAME`; default: the kubeconfig's current-context. */
  context?: string;
  /** `--insecure-skip-tls-verify`: the user's explicit choice; never the default. */
  insecureSkipTlsVerify?: boolean;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Where the in-cluster service account files are; tests point it elsewhere. */
  serviceAccountDir?: string;
}

export interface ClusterTarget {
  kubeConfig: KubeConfig;
  /** `https://host:port` as configured. */
  server: string;
  context: string;
  /** The context's namespace (in-cluster: the pod's), else `default`: what `-n` defaults to. */
  namespace: string;
  /** The kubeconfig user's name (not a secret; no token or key is kept here). */
  user: string;
  /** For reports: `kubeconfig /home/me/.kube/config, context prod` or `in-cluster service account`. */
  source: string;
  /** False only when the user turned verification off (insecure-skip-tls-verify, NODE_TLS_REJECT_UNAUTHORIZED=0). */
  tlsVerify: boolean;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The one context of the in-cluster configuration: not the user's, so reports do not name it. */
const IN_CLUSTER_CONTEXT = 'inClusterContext';

export function loadClusterTarget(options: KubeconfigOptions = {}): K8sResult<ClusterTarget> {
  const env = options.env ?? process.env;
  const files = kubeconfigFiles(options, env);
  if (!files.ok) return files;
  const loaded = files.value.length > 0 ? loadFiles(files.value) : loadInCluster(env, options.serviceAccountDir);
  if (!loaded.ok) return loaded;
  return selectContext(loaded.value.kubeConfig, loaded.value.source, options, env);
}

function kubeconfigFiles(options: KubeconfigOptions, env: NodeJS.ProcessEnv): K8sResult<string[]> {
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) return configError(`--kubeconfig ${options.kubeconfig}: no such file`);
    return ok([options.kubeconfig]);
  }
  if (env.KUBECONFIG) {
    const listed = env.KUBECONFIG.split(delimiter).filter(Boolean);
    const existing = listed.filter((file) => existsSync(file));
    if (existing.length === 0) return configError(`KUBECONFIG=${env.KUBECONFIG} names no existing file`);
    return ok(existing);
  }
  const home = join(options.homeDir ?? env.HOME ?? env.USERPROFILE ?? homedir(), '.kube', 'config');
  return ok(existsSync(home) ? [home] : []);
}

function loadFiles(files: string[]): K8sResult<{ kubeConfig: KubeConfig; source: string }> {
  const kubeConfig = new KubeConfig();
  for (const [index, file] of files.entries()) {
    const config = readKubeconfig(file);
    if (!config.ok) return config;
    if (index === 0) {
      kubeConfig.loadFromOptions({
        clusters: config.value.clusters,
        contexts: config.value.contexts,
        users: config.value.users,
        currentContext: config.value.getCurrentContext(),
      });
      continue;
    }
    // kubectl's merge: the first file to define a name (or a current-context) wins.
    for (const cluster of config.value.clusters)
      if (!kubeConfig.getCluster(cluster.name)) kubeConfig.addCluster(cluster);
    for (const user of config.value.users) if (!kubeConfig.getUser(user.name)) kubeConfig.addUser(user);
    for (const context of config.value.contexts)
      if (!kubeConfig.getContextObject(context.name)) kubeConfig.addContext(context);
    if (!kubeConfig.getCurrentContext()) kubeConfig.setCurrentContext(config.value.getCurrentContext());
  }
  return ok({ kubeConfig, source: `kubeconfig ${files.join(delimiter)}` });
}

function readKubeconfig(file: string): K8sResult<KubeConfig> {
  try {
    let text: string;
    try {
      text = readInputText(file, INPUT_LIMITS.kubeconfig);
    } catch (error) {
      if (error instanceof InputFileError) return configError(error.message);
      throw error;
    }
    const config = new KubeConfig();
    config.loadFromString(text);
    config.makePathsAbsolute(dirname(file));
    return ok(config);
  } catch (error) {
    return configError(`${file}: not a usable kubeconfig: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** What KubeConfig.loadFromCluster builds, from an injectable environment and directory. */
function loadInCluster(
  env: NodeJS.ProcessEnv,
  serviceAccountDir = inClusterDir(env),
): K8sResult<{ kubeConfig: KubeConfig; source: string }> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(serviceAccountDir, 'token');
  if (!host || !port || !existsSync(tokenFile)) {
    return configError(
      'no kubeconfig (--kubeconfig, KUBECONFIG, ~/.kube/config) and not running in a pod with a service account token',
    );
  }
  const namespaceFile = join(serviceAccountDir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'inCluster',
        server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
        caFile: join(serviceAccountDir, 'ca.crt'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [
      { name: IN_CLUSTER_CONTEXT, cluster: 'inCluster', user: 'inClusterUser', ...(namespace ? { namespace } : {}) },
    ],
    currentContext: IN_CLUSTER_CONTEXT,
  });
  return ok({ kubeConfig, source: `in-cluster service account (${serviceAccountDir})` });
}

/**
 * On containerd 1.6, a HostProcess container sees its volumes under $CONTAINER_SANDBOX_MOUNT_POINT, so the token
 * is not at the usual path (kubernetes#104562); 1.7+ bind-mounts it there.
 */
function inClusterDir(env: NodeJS.ProcessEnv): string {
  const sandbox = env.CONTAINER_SANDBOX_MOUNT_POINT;
  if (
    sandbox &&
    !existsSync(join(SERVICE_ACCOUNT_DIR, 'token')) &&
    existsSync(join(sandbox, SERVICE_ACCOUNT_DIR, 'token'))
  )
    return join(sandbox, SERVICE_ACCOUNT_DIR);
  return SERVICE_ACCOUNT_DIR;
}

function selectContext(
  kubeConfig: KubeConfig,
  source: string,
  options: KubeconfigOptions,
  env: NodeJS.ProcessEnv,
): K8sResult<ClusterTarget> {
  const names = kubeConfig.getContexts().map((c) => c.name);
  const contextName = options.context ?? kubeConfig.getCurrentContext();
  const available = names.length > 0 ? names.join(', ') : 'none';
  if (!contextName) return configError(`${source}: no current-context; pass --context (contexts: ${available})`);
  const context = kubeConfig.getContextObject(contextName);
  if (!context) return configError(`${source}: no context ${JSON.stringify(contextName)} (contexts: ${available})`);
  kubeConfig.setCurrentContext(contextName);
  let cluster = kubeConfig.getCurrentCluster();
  if (!cluster)
    return configError(
      `${source}: context ${JSON.stringify(contextName)} names cluster ${JSON.stringify(context.cluster)}, which is not defined`,
    );
  if (options.insecureSkipTlsVerify && !cluster.skipTLSVerify) {
    const insecure = { ...cluster, skipTLSVerify: true };
    kubeConfig.loadFromOptions({
      clusters: kubeConfig.getClusters().map((c) => (c.name === insecure.name ? insecure : c)),
      contexts: kubeConfig.getContexts(),
      users: kubeConfig.getUsers(),
      currentContext: contextName,
    });
    cluster = insecure;
  }
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    return configError(
      `${source}: cluster ${JSON.stringify(cluster.name)} has no valid server URL (${JSON.stringify(cluster.server)})`,
    );
  }
  if (url.protocol === 'http:' && !cluster.skipTLSVerify) {
    return configError(
      `${source}: server ${cluster.server} is plain HTTP; the Kubernetes client only speaks to it with insecure-skip-tls-verify set`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return configError(`${source}: server ${cluster.server} is not an https:// URL`);
  return ok({
    kubeConfig,
    server: cluster.server.replace(/\/+$/, ''),
    context: contextName,
    namespace: context.namespace ?? 'default',
    user: kubeConfig.getCurrentUser()?.name ?? '',
    source: contextName === IN_CLUSTER_CONTEXT ? source : `${source}, context ${contextName}`,
    tlsVerify: !cluster.skipTLSVerify && env.NODE_TLS_REJECT_UNAUTHORIZED !== '0',
  });
}

function configError(message: string): K8sResult<never> {
  return failed({ kind: 'config', message: `config: ${message}` });
}
