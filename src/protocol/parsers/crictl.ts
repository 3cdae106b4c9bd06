/**
 * `crictl` output on a Kubernetes Windows node (containerd's CRI plugin), read into the same container facts as
 * `docker inspect`:
 * - `crictl pods -o json`: `{ items: [PodSandbox] }` (CRI ListPodSandboxResponse);
 * - `crictl ps -a -o json`: `{ containers: [Container] }` (CRI ListContainersResponse);
 * - `crictl inspect -o json ID`: `{ status: ContainerStatus, info: ContainerInfo }`, where containerd's info holds
 *   the CRI ContainerConfig (`config.windows.security_context.credential_spec`, snake_case as Go's encoding/json
 *   writes the CRI types) and the OCI spec it made from it (`runtimeSpec.windows.credentialSpec`);
 * - `crictl inspectp -o json ID`: the same for a pod sandbox (hostname, runtime handler, pod-level credential spec).
 * A credential spec reaches the container as JSON text; it is kept parsed, so redaction sees its PluginInput key.
 * Environment variables, mounts and everything else are left out: they often hold secrets and no check needs them.
 * Pure.
 */
import type { ContainerFacts } from '../../facts/docker.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const at = (root: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, key) => obj(v)?.[key], root);

export interface CriSandbox {
  id: string;
  namespace?: string;
  name?: string;
  /** SANDBOX_READY | SANDBOX_NOTREADY */
  state?: string;
}

export interface CriContainer {
  id: string;
  sandboxId?: string;
  name?: string;
  attempt: number;
  /** CONTAINER_CREATED | CONTAINER_RUNNING | CONTAINER_EXITED | CONTAINER_UNKNOWN */
  state?: string;
  labels: Record<string, string>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseJson(text: string, what: string): Parsed<Json> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${what}: not JSON (${(error as Error).message})` };
  }
  const o = obj(json);
  return o ? { ok: true, value: o } : { ok: false, reason: `${what}: not a JSON object` };
}

function labelsOf(v: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj(v) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** `crictl pods -o json`. */
export function parseCrictlPods(text: string): Parsed<CriSandbox[]> {
  const parsed = parseJson(text, '`crictl pods -o json`');
  if (!parsed.ok) return parsed;
  const items = parsed.value.items ?? [];
  if (!Array.isArray(items)) return { ok: false, reason: '`crictl pods -o json`: "items" is not a list' };
  return {
    ok: true,
    value: items.flatMap((item): CriSandbox[] => {
      const id = str(obj(item)?.id);
      if (!id) return [];
      return [
        {
          id,
          ...(str(at(item, 'metadata.namespace')) ? { namespace: at(item, 'metadata.namespace') as string } : {}),
          ...(str(at(item, 'metadata.name')) ? { name: at(item, 'metadata.name') as string } : {}),
          ...(str(obj(item)?.state) ? { state: obj(item)!.state as string } : {}),
        },
      ];
    }),
  };
}

/** `crictl ps -a -o json`. */
export function parseCrictlPs(text: string): Parsed<CriContainer[]> {
  const parsed = parseJson(text, '`crictl ps -o json`');
  if (!parsed.ok) return parsed;
  const list = parsed.value.containers ?? [];
  if (!Array.isArray(list)) return { ok: false, reason: '`crictl ps -o json`: "containers" is not a list' };
  return {
    ok: true,
    value: list.flatMap((item): CriContainer[] => {
      const id = str(obj(item)?.id);
      if (!id) return [];
      const attempt = Number(at(item, 'metadata.attempt') ?? 0);
      return [
        {
          id,
          ...(str(obj(item)?.podSandboxId) ? { sandboxId: obj(item)!.podSandboxId as string } : {}),
          ...(str(at(item, 'metadata.name')) ? { name: at(item, 'metadata.name') as string } : {}),
          attempt: Number.isFinite(attempt) ? attempt : 0,
          ...(str(obj(item)?.state) ? { state: obj(item)!.state as string } : {}),
          labels: labelsOf(obj(item)?.labels),
        },
      ];
    }),
  };
}

/**
 * The containers worth inspecting: each container's latest attempt (`ps -a` also lists the exited attempts of a
 * container in a restart loop), in pods that still exist.
 */
export function latestAttempts(containers: readonly CriContainer[], sandboxes: readonly CriSandbox[]): CriContainer[] {
  const stale = new Set(sandboxes.filter((s) => s.state === 'SANDBOX_NOTREADY').map((s) => s.id));
  const latest = new Map<string, CriContainer>();
  for (const c of containers) {
    if (c.sandboxId && stale.has(c.sandboxId)) continue;
    const key = `${c.sandboxId ?? ''}/${c.name ?? c.id}`;
    const seen = latest.get(key);
    if (!seen || c.attempt > seen.attempt) latest.set(key, c);
  }
  return [...latest.values()];
}

/** A credential spec as the CRI carries it (JSON text), parsed; or why it cannot be. */
export function criCredentialSpec(text: string): { spec: unknown } | { problem: string } {
  try {
    return { spec: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `the credential spec the container was given is not JSON (${(error as Error).message})` };
  }
}

/** `ns/pod/container` from the kubelet's labels, else the CRI name. */
function displayName(labels: Record<string, string>, fallback: string): string {
  const ns = labels['io.kubernetes.pod.namespace'];
  const pod = labels['io.kubernetes.pod.name'];
  const container = labels['io.kubernetes.container.name'] ?? fallback;
  return ns && pod ? `${ns}/${pod}/${container}` : container;
}

/**
 * One `crictl inspect -o json` answer (and, when known, its pod's `crictl inspectp -o json`), as container facts;
 * a reason naming the field when it is not a container's status.
 */
export function containerFromCrictlInspect(inspect: unknown, sandbox?: unknown): ContainerFacts | { reason: string } {
  const status = obj(obj(inspect)?.status);
  const id = str(status?.id);
  if (!status || !id) return { reason: 'status.id missing: this is not `crictl inspect -o json` output' };
  const info = obj(obj(inspect)?.info) ?? {};
  const spec = obj(info.runtimeSpec) ?? {};
  const windows = obj(spec.windows);
  const labels = labelsOf(status.labels);
  const state = str(status.state);
  const criText =
    str(at(info, 'config.windows.security_context.credential_spec')) ??
    str(at(windows, 'credentialSpec')) ??
    str(at(sandbox, 'info.config.windows.security_context.credential_spec'));
  const credential = criText === undefined ? undefined : criCredentialSpec(criText);
  const exitCode = Number(status.exitCode ?? 0);
  const failed = state === 'CONTAINER_EXITED' && exitCode !== 0;
  const handler = str(at(sandbox, 'info.runtimeHandler')) ?? str(at(sandbox, 'status.runtimeHandler'));
  const hyperv = windows?.hyperv !== undefined || (handler !== undefined && /hypervisor/i.test(handler));
  const container: ContainerFacts = {
    id,
    name: displayName(labels, str(at(status, 'metadata.name')) ?? id.slice(0, 13)),
    image: str(at(status, 'image.image')),
    platform: windows ? 'windows' : obj(spec.linux) ? 'linux' : undefined,
    running: state === 'CONTAINER_RUNNING',
    stateError: failed ? [str(status.reason), str(status.message)].filter(Boolean).join(': ') || undefined : undefined,
    hostname: str(spec.hostname) ?? str(at(sandbox, 'info.config.hostname')),
    user: str(at(spec, 'process.user.username')),
    isolation: windows ? (hyperv ? 'hyperv' : 'process') : undefined,
    securityOpt: [],
    dns: [],
    runtime: 'containerd',
  };
  if (credential && 'spec' in credential) container.credentialSpec = credential.spec;
  if (credential && 'problem' in credential) container.credentialSpecProblem = credential.problem;
  const namespace = labels['io.kubernetes.pod.namespace'];
  const pod = labels['io.kubernetes.pod.name'];
  if (namespace && pod) container.pod = { namespace, name: pod };
  return Object.fromEntries(Object.entries(container).filter(([, v]) => v !== undefined)) as unknown as ContainerFacts;
}
