/**
 * Where a scan can reach the windows-gmsa webhook itself, from the configurations, the Service and its endpoints in
 * the model: the Service's DNS name (inside the cluster) and each ready endpoint (pod IP and target port). Pure.
 */
import { RuleContext } from './context.js';
import type { ClusterModel } from './model.js';
import { get } from './workloads.js';

export interface WebhookTarget {
  /** `namespace/service`: the key of ClusterModel.servingCertificates and webhookInfo. */
  key: string;
  namespace: string;
  service: string;
  /** The Service port the configurations call (443 by default). */
  port: number;
  /** `NAME.NAMESPACE.svc`, the name kube-apiserver calls and verifies. */
  dnsName: string;
  /** Ready endpoints, at the port the Service sends that port to. */
  endpoints: { ip: string; port: number }[];
}

type Json = Record<string, unknown>;
const asArray = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];

export function webhookTargets(model: ClusterModel): WebhookTarget[] {
  const ctx = new RuleContext(model);
  const targets = new Map<string, WebhookTarget>();
  for (const hook of ctx.gmsaWebhooks()) {
    if (!hook.service) continue;
    const { namespace, name, port } = hook.service;
    const key = `${namespace}/${name}`;
    if (targets.has(key)) continue;
    const service = ctx.find('services', namespace, name)?.object;
    const portName = asArray(get(service, 'spec.ports')).find((p) => p.port === port)?.name;
    targets.set(key, {
      key,
      namespace,
      service: name,
      port,
      dnsName: `${name}.${namespace}.svc`,
      endpoints: readyEndpoints(ctx, namespace, name, typeof portName === 'string' ? portName : undefined),
    });
  }
  return [...targets.values()];
}

function readyEndpoints(
  ctx: RuleContext,
  namespace: string,
  service: string,
  portName: string | undefined,
): { ip: string; port: number }[] {
  const pick = (ports: Json[]): number | undefined => {
    const port = (portName ? ports.find((p) => p.name === portName) : undefined) ?? ports[0];
    return typeof port?.port === 'number' ? port.port : undefined;
  };
  const out: { ip: string; port: number }[] = [];
  const endpoints = ctx.find('endpoints', namespace, service)?.object;
  for (const subset of asArray(endpoints?.subsets)) {
    const port = pick(asArray(subset.ports));
    for (const address of asArray(subset.addresses))
      if (typeof address.ip === 'string' && port) out.push({ ip: address.ip, port });
  }
  if (endpoints) return out;
  for (const slice of ctx.items('endpointslices').map((s) => s.object)) {
    if (slice.metadata?.namespace !== namespace || slice.metadata?.labels?.['kubernetes.io/service-name'] !== service)
      continue;
    const port = pick(asArray(slice.ports));
    for (const endpoint of asArray(slice.endpoints)) {
      if ((endpoint.conditions as { ready?: boolean } | undefined)?.ready === false || !port) continue;
      for (const ip of Array.isArray(endpoint.addresses) ? endpoint.addresses : [])
        if (typeof ip === 'string') out.push({ ip, port });
    }
  }
  return out;
}
