/**
 * Several pods running as one gMSA at once: they lose their domain trust intermittently, also on current Windows
 * builds (NETLOGON 5720 with the gMSA's name as machine name, microsoft/Windows-Containers#405, 2024). The
 * windows-gmsa webhook's random-hostname option (chart value randomHostname, env RANDOM_HOSTNAME) mitigates it by
 * giving each gMSA pod a random 15-character hostname, but only for pods that set no `hostname` of their own.
 */
import type { RuleContext } from '../context.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import { webhookWorkloads } from './webhook.js';
import { isTemplated } from '../templates.js';
import type { Workload } from '../workloads.js';
import { get } from '../workloads.js';

/** NetBIOS computer names are the first 15 characters of the host name. */
const NETBIOS_LENGTH = 15;
/** A Deployment's pods are named NAME-<pod-template-hash, up to 10>-<5>. */
const TEMPLATE_HASH_LENGTH = 10;

/** The gMSA account behind a credspec name: its MachineAccountName, or the credspec's name when unknown. */
function accountOf(ctx: RuleContext, credspec: string): string {
  const resource = ctx.credspecsByName().get(credspec);
  const account = get(resource?.object, 'credspec.DomainJoinConfig.MachineAccountName');
  return typeof account === 'string' && account !== '' && !isTemplated(account)
    ? account.toLowerCase()
    : `credspec ${credspec}`;
}

/** The accounts a pod runs containers as: each container's own name, else the pod's. */
function accountsOf(ctx: RuleContext, w: Workload): Set<string> {
  const podLevel = w.usages.find((u) => u.level === 'pod')?.name;
  const names = new Set<string>();
  const containers = Array.isArray(w.podSpec.containers) ? w.podSpec.containers : [];
  containers.forEach((_, i) => {
    const own = w.usages.find((u) => u.level === 'container' && u.containerIndex === i)?.name;
    const name = own ?? podLevel;
    if (name && !isTemplated(name)) names.add(accountOf(ctx, name));
  });
  return names;
}

type RandomHostname = 'on' | 'off' | 'unknown';

/** RANDOM_HOSTNAME of the webhook's own Deployment (the pods behind its Service); unset means off. */
function randomHostname(ctx: RuleContext): RandomHostname {
  const deployments = ctx
    .gmsaWebhooks()
    .flatMap((hook) => (hook.type === 'mutating' ? webhookWorkloads(ctx, hook) : []));
  if (deployments.length === 0) return 'unknown';
  const values = deployments
    .flatMap((w) => (Array.isArray(w.podSpec.containers) ? (w.podSpec.containers as { env?: unknown }[]) : []))
    .flatMap((c) => (Array.isArray(c?.env) ? (c.env as { name?: unknown; value?: unknown }[]) : []))
    .filter((e) => e?.name === 'RANDOM_HOSTNAME')
    .map((e) => (typeof e.value === 'string' ? e.value : ''));
  if (values.some((v) => v === 'true')) return 'on';
  return values.some(isTemplated) ? 'unknown' : 'off';
}

function runningPods(ctx: RuleContext): Workload[] {
  return ctx
    .workloads()
    .filter(
      (w) =>
        w.isPod && w.usages.length > 0 && !['Succeeded', 'Failed'].includes(get(w.object, 'status.phase') as string),
    );
}

const netbiosName = (pod: Workload): string =>
  String(typeof pod.podSpec.hostname === 'string' && pod.podSpec.hostname ? pod.podSpec.hostname : pod.name)
    .slice(0, NETBIOS_LENGTH)
    .toUpperCase();

interface Use {
  workload: Workload;
  /** Pods of the workload running as the account (cluster), or replicas (templates). */
  count: number | 'per-node';
  pods: Workload[];
}

function usesByAccount(ctx: RuleContext): Map<string, Use[]> {
  const byAccount = new Map<string, Use[]>();
  const add = (account: string, use: Use) => byAccount.set(account, [...(byAccount.get(account) ?? []), use]);
  if (ctx.mode === 'cluster' && ctx.complete('pods')) {
    const byOwner = new Map<Workload, Map<string, Workload[]>>();
    for (const pod of runningPods(ctx)) {
      const owner = ctx.ownerOf(pod);
      const accounts = byOwner.get(owner) ?? new Map<string, Workload[]>();
      for (const account of accountsOf(ctx, pod)) accounts.set(account, [...(accounts.get(account) ?? []), pod]);
      byOwner.set(owner, accounts);
    }
    for (const [workload, accounts] of byOwner)
      for (const [account, pods] of accounts) add(account, { workload, count: pods.length, pods });
    return byAccount;
  }
  for (const w of ctx.gmsaWorkloads()) {
    if (w.replicas === undefined) continue;
    for (const account of accountsOf(ctx, w)) add(account, { workload: w, count: w.replicas, pods: [] });
  }
  return byAccount;
}

function describeCount(use: Use): string {
  if (use.count === 'per-node') return 'one pod per node';
  return `${use.count} ${use.workload.isPod ? 'pod' : use.count === 1 ? 'replica' : 'replicas'}`;
}

/** NetBIOS names that more than one of these pods has. */
function sharedNetbiosNames(pods: readonly Workload[]): string[] {
  const counts = new Map<string, number>();
  for (const pod of pods) counts.set(netbiosName(pod), (counts.get(netbiosName(pod)) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([name]) => name);
}

function hostnameAdvice(
  w: Workload,
  random: RandomHostname,
  pods: readonly Workload[],
  collisions: string[],
): { text: string; collisions?: string[] } {
  const fixed = w.podSpec.hostname;
  if (typeof fixed === 'string' && fixed !== '') {
    return {
      text: `Every pod of it sets hostname ${fixed}, so they also share one computer name, and the webhook's random hostname does not apply to pods that set one: remove spec.hostname.`,
    };
  }
  if (collisions.length > 0)
    return {
      text: `Pods of this gMSA share the first ${NETBIOS_LENGTH} characters of their host names, which Windows uses as the NetBIOS computer name: ${collisions.join(', ')}.`,
      collisions,
    };
  if (w.kind === 'Deployment' && w.name.length + 1 + TEMPLATE_HASH_LENGTH >= NETBIOS_LENGTH && pods.length === 0) {
    return {
      text: `Its pods are named ${w.name}-<hash>-<id>: the first ${NETBIOS_LENGTH} characters, the NetBIOS computer name, are the same for all of them.`,
    };
  }
  return { text: random === 'on' ? 'The webhook gives each of them a random hostname (RANDOM_HOSTNAME=true).' : '' };
}

const MITIGATION = {
  text: "Give each gMSA pod its own hostname: enable the windows-gmsa webhook's random hostname (it applies to gMSA pods without spec.hostname), or run one replica per gMSA account.",
  commands: [
    'helm upgrade --reuse-values --set randomHostname=true RELEASE windows-gmsa/gmsa',
    'kubectl -n WEBHOOK_NAMESPACE set env deployment/WEBHOOK_DEPLOYMENT RANDOM_HOSTNAME=true',
  ],
};

const sharedGmsa: K8sRule = {
  meta: {
    id: 'k8s/shared-gmsa',
    link: 'pod',
    title: 'One gMSA is not used by several pods at once (or each has its own hostname)',
    looksAt:
      "Pods (in a scan, the running ones; in manifests, each workload's replicas) grouped by the gMSA account their credspec names (DomainJoinConfig.MachineAccountName); their hostnames (spec.hostname, else the pod name cut to 15 characters); the webhook Deployment's RANDOM_HOSTNAME.",
    why: 'Containers sharing one gMSA lose their trust relationship intermittently, also on current Windows builds: NETLOGON 5720 with the gMSA name as machine name (microsoft/Windows-Containers#405). Unique hostnames avoid it.',
    remediation:
      "Enable the windows-gmsa webhook's random hostname (Helm value randomHostname: true, env RANDOM_HOSTNAME=true), and set no spec.hostname in gMSA pod templates.",
  },
  needs: [],
  check(ctx) {
    const random = randomHostname(ctx);
    const out: RuleDraft[] = [];
    for (const [account, uses] of usesByAccount(ctx)) {
      const total = uses.reduce((n, u) => n + (u.count === 'per-node' ? 2 : u.count), 0);
      if (total < 2) continue;
      const pods = uses.flatMap((u) => u.pods);
      const collisions = sharedNetbiosNames(pods);
      for (const use of uses) {
        const w = use.workload;
        const others = uses.filter((u) => u !== use).map((u) => `${u.workload.subject} (${describeCount(u)})`);
        const advice = hostnameAdvice(w, random, pods, collisions);
        const mitigated = random === 'on' && !w.podSpec.hostname && !advice.collisions;
        const label = account.startsWith('credspec ') ? account : `gMSA ${account}`;
        out.push({
          severity: mitigated ? 'info' : 'warning',
          message:
            `${w.subject} runs ${describeCount(use)} as ${label}${others.length ? `, as do ${others.slice(0, 5).join(', ')}` : ''}: pods sharing one gMSA lose their domain trust intermittently, on every Windows build (NETLOGON 5720, microsoft/Windows-Containers#405). ${advice.text}`.trim(),
          about: w.item,
          alsoIgnoredBy: [{ object: { metadata: w.podMetadata } }],
          field:
            typeof w.podSpec.hostname === 'string'
              ? `${w.podSpecPath}.hostname`
              : w.kind === 'Pod'
                ? 'metadata.name'
                : 'spec.replicas',
          evidence: {
            account,
            pods: total,
            randomHostname: random,
            ...(advice.collisions ? { sameNetbiosName: advice.collisions } : {}),
          },
          ...(mitigated ? {} : { remediation: MITIGATION }),
        });
      }
    }
    return out;
  },
  subjects: (ctx) => ({ count: ctx.gmsaWorkloads().length, noun: 'workloads using a gMSA' }),
};

export const SHARED_RULES: readonly K8sRule[] = [sharedGmsa];
