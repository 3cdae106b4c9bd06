/**
 * The verdicts of `gmsa-doctor k8s` and `k8s lint`: what the Kubernetes rules found, and what they did not check
 * and what would (the "not checked here" part). In a scan: the rules a resource the scan could not read kept from
 * judging (with the permission it lacks), the AD checks of the accounts the credential specs name, and the checks
 * that run on each Windows node. In lint: the rules that need the cluster itself, and the AD checks.
 */
import { RUN_CHECKS } from '../checks/index.js';
import { credspecIdentity, uniqueNames } from '../credspec/identity.js';
import { notChecked } from '../engine/check.js';
import type { Check, NotChecked } from '../engine/check.js';
import type { Finding } from '../engine/finding.js';
import type { SectionId } from '../engine/sections.js';
import { K8S_RULES, judgeModel, lintManifests, loadManifests, permissionText, unreadableNeed } from '../k8s/index.js';
import type { ClusterModel, K8sObject, K8sRule } from '../k8s/index.js';
import { readManifestFiles } from '../probes/manifest-files.js';
import type { ManifestReadError } from '../probes/manifest-files.js';

export interface K8sVerdict {
  findings: Finding[];
  /** Silenced by the objects' own ignore annotation. */
  ignored: Finding[];
  notChecked: NotChecked[];
}

/** Checks of a container host, which a scan through the API cannot judge: they run on each Windows node. */
const NODE_SECTIONS: readonly SectionId[] = [
  'known-issues',
  'host-domain-joined',
  'host-non-domain-joined',
  'container',
  'events',
];

/** The checks that run on each Windows node (`k8s --nodes`, or `check` there). */
export function nodeCheckCatalogue(): Check[] {
  return RUN_CHECKS.filter((c) => NODE_SECTIONS.includes(c.meta.section));
}

const ruleNotChecked = (rule: K8sRule, how: string): NotChecked => ({
  id: rule.meta.id,
  title: rule.meta.title,
  section: 'kubernetes',
  how,
});

/**
 * A cluster scan's verdict. `nodeChecksHow` says what would run the checks of each Windows node; absent when they
 * ran (k8s --nodes), which then says itself what it could not check.
 */
export function judgeScan(model: ClusterModel, nodeChecksHow?: string): K8sVerdict {
  const judgement = judgeModel(model);
  const blocked = new Map<string, string>();
  for (const rule of K8S_RULES) {
    const need = rule.mode === 'lint' ? undefined : unreadableNeed(rule, model);
    if (!need) continue;
    const { collection } = need;
    blocked.set(
      rule.meta.id,
      collection.permission
        ? `grant the scan ${permissionText(collection.permission)}`
        : `${need.key} could not be read: ${collection.reason}`,
    );
  }
  return {
    // A rule kept from judging gave one "could not be read" finding: it is said once, under Not checked here.
    findings: judgement.findings.filter((f) => !blocked.has(f.id)),
    ignored: judgement.ignored,
    notChecked: [
      ...K8S_RULES.filter((r) => blocked.has(r.meta.id)).map((r) => ruleNotChecked(r, blocked.get(r.meta.id)!)),
      ...adNotChecked(credspecsOf(model)),
      ...(nodeChecksHow ? nodeCheckCatalogue().map((c) => notChecked(c, nodeChecksHow)) : []),
    ],
  };
}

export interface K8sLintVerdict extends K8sVerdict {
  /** Paths that could not be read at all (exit code 2); syntax errors inside a file are findings. */
  inputErrors: ManifestReadError[];
  files: number;
}

/** `k8s lint PATH...`: every manifest file below the paths (`-`: standard input), judged offline. */
export async function lintManifestPaths(paths: readonly string[], now = new Date()): Promise<K8sLintVerdict> {
  const { files, errors } = await readManifestFiles(paths);
  const loaded = files.map((f) => loadManifests(f.bytes, f.file));
  const judgement = await lintManifests(loaded, now);
  const credspecs = loaded
    .flatMap((f) => f.objects.map((o) => o.object))
    .filter((o) => o.kind === 'GMSACredentialSpec');
  return {
    findings: judgement.findings,
    ignored: judgement.ignored,
    notChecked: [
      ...K8S_RULES.filter((r) => r.mode === 'cluster').map((r) =>
        ruleNotChecked(r, 'against the cluster: `gmsa-doctor k8s`'),
      ),
      ...adNotChecked(credspecs),
    ],
    inputErrors: errors,
    files: files.length,
  };
}

function credspecsOf(model: ClusterModel): K8sObject[] {
  const collection = model.resources.gmsacredentialspecs;
  return collection && collection.state !== 'unavailable' ? collection.items.map((i) => i.object) : [];
}

/**
 * The checks of the gMSA accounts in AD and of the way to their DCs: `check` with the names the credspecs hold (none
 * when no credspec names an account).
 */
function adNotChecked(credspecs: readonly K8sObject[]): NotChecked[] {
  if (credspecs.length === 0) return [];
  const identities = credspecs.map((c) => credspecIdentity(c.credspec));
  const domains = uniqueNames(identities.flatMap((i) => i.dnsName?.value ?? []));
  const accounts = uniqueNames(identities.flatMap((i) => i.gmsa ?? []));
  const gmsas = accounts.slice(0, 3).map((a) => `--gmsa ${a}`);
  const more = accounts.length > 3 ? ` (and --gmsa for ${accounts.length - 3} more)` : '';
  const otherDomains = domains.length > 1 ? ` (then --domain ${domains.slice(1).join(', ')})` : '';
  const how = `against AD: \`gmsa-doctor check --domain ${domains[0] ?? 'D'} ${gmsas.join(' ') || '--gmsa NAME'}\`${more}${otherDomains}`;
  const ad = (c: Check): boolean =>
    c.meta.section === 'account' || c.meta.section === 'network' || c.meta.id === 'credspec/matches-domain';
  return RUN_CHECKS.filter(ad).map((c) => notChecked(c, how));
}
