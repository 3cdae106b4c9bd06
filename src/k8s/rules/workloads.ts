/**
 * Pods and pod templates that use a gMSA: the named credspec exists (names compared exactly), inline contents match
 * it, contents come with a name, the service account may `use` it, the pod lands only on Windows nodes, the
 * webhook's mutation reached running pods, the old alpha annotations, misspelled windowsOptions keys, and Hyper-V
 * isolation. Each denial is worded as the windows-gmsa webhook words it.
 */
import { closestKey, editDistance } from '../../credspec/values.js';
import { admissionDenial, apiServerText, differingFields, goJson, sameContents } from '../admission.js';
import type { AccessDecision, CredspecLookup } from '../admission.js';
import type { K8sObject } from '../model.js';
import type { RuleContext } from '../context.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import { isTemplated } from '../templates.js';
import type { GmsaUsage, Workload } from '../workloads.js';
import { get, nodeAccepts, nodeOs, serviceAccountOf, usageResource, windowsPlacement } from '../workloads.js';
import { windowsNodeFacts } from '../nodes.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const usageField = (u: GmsaUsage, key: 'gmsaCredentialSpecName' | 'gmsaCredentialSpec'): string => `${u.field}.${key}`;
const where = (w: Workload, u: GmsaUsage): string =>
  u.level === 'pod' ? 'the pod' : `${u.level} ${u.containerName ?? ''}`;

/** The pod template's own object for the ignore annotation (a Deployment's template carries annotations too). */
const ignoreScope = (w: Workload) => [{ object: { metadata: w.podMetadata } }];

function draft(
  w: Workload,
  severity: RuleDraft['severity'],
  message: string,
  extra: Partial<RuleDraft> = {},
): RuleDraft {
  return { severity, message, about: w.item, alsoIgnoredBy: ignoreScope(w), ...extra };
}

function credspecLookup(ctx: RuleContext): CredspecLookup {
  return (name) => {
    const found = ctx.credspecsByName().get(name);
    return found ? { exists: true, credspec: found.object.credspec } : { exists: false };
  };
}

function accessFor(ctx: RuleContext, w: Workload): (sa: string, credspec: string) => AccessDecision {
  return (sa, credspec) => ctx.access(w.namespace, sa, credspec);
}

/**
 * Errors about a pod the webhook refuses carry what it answers first (of several problems, the one the user sees):
 * the webhook stops at its first refusal.
 */
function withFirstRefusal(ctx: RuleContext, w: Workload, drafts: RuleDraft[]): RuleDraft[] {
  if (!drafts.some((d) => d.severity === 'error')) return drafts;
  const denial = admissionDenial(w, credspecLookup(ctx), accessFor(ctx, w));
  if (!denial) return drafts;
  return drafts.map((d) =>
    d.severity === 'error'
      ? { ...d, evidence: { ...(d.evidence ?? {}), webhookAnswersFirst: apiServerText(denial) } }
      : d,
  );
}

const namedUsages = (w: Workload) =>
  w.usages.filter((u): u is GmsaUsage & { name: string } => u.name !== undefined && !isTemplated(u.name));
const gmsaSubjects = (ctx: RuleContext) => ({ count: ctx.gmsaWorkloads().length, noun: 'workloads using a gMSA' });

const exists: K8sRule = {
  meta: {
    id: 'k8s/credspec-exists',
    link: 'pod',
    title: 'The GMSACredentialSpec a pod names exists, spelled exactly',
    looksAt:
      'gmsaCredentialSpecName of the pod and of each container and init container, against the GMSACredentialSpec names (exact, case-sensitive); names differing only by case, or by a typo, are named.',
    why: 'The webhook looks the name up exactly and refuses the pod with `cred spec NAME does not exist`; names are lowercase RFC 1123 subdomains, so a name with capitals can never exist (the Kubernetes docs mixed gmsa-WebApp1, gmsa-webapp1 and gmsa-Webapp1).',
    remediation:
      "Use the GMSACredentialSpec's exact metadata.name in gmsaCredentialSpecName (and in the RBAC role's resourceNames).",
  },
  needs: ['gmsacredentialspecs'],
  check(ctx) {
    const names = ctx.credspecsByName();
    const partial = !ctx.complete('gmsacredentialspecs');
    return ctx.gmsaWorkloads().flatMap((w) =>
      withFirstRefusal(
        ctx,
        w,
        namedUsages(w).flatMap((u): RuleDraft[] => {
          if (names.has(u.name)) return [];
          const field = usageField(u, 'gmsaCredentialSpecName');
          const sameLetters = (ctx.credspecsByLowerName().get(u.name.toLowerCase()) ?? []).filter((n) => n !== u.name);
          const invalid = !DNS1123_SUBDOMAIN.test(u.name);
          if (partial && names.size === 0 && sameLetters.length === 0 && !invalid) {
            return [
              draft(
                w,
                'skipped',
                `not checked: ${where(w, u)} names GMSACredentialSpec ${u.name}, and no GMSACredentialSpec is among the linted files; lint them together, or run gmsa-doctor k8s against the cluster`,
                { field },
              ),
            ];
          }
          const near = sameLetters[0] ?? nearMiss(u.name, [...names.keys()]);
          const parts = [
            `${where(w, u)} names GMSACredentialSpec ${JSON.stringify(u.name)}, which ${partial ? `is not among the ${names.size} GMSACredentialSpecs of the linted files` : 'does not exist'}`,
          ];
          if (sameLetters.length)
            parts.push(`${JSON.stringify(sameLetters[0])} exists, but names are compared exactly (case matters)`);
          else if (near) parts.push(`did you mean ${JSON.stringify(near)}?`);
          if (invalid)
            parts.push(`and it can never exist: a GMSACredentialSpec name is a lowercase RFC 1123 subdomain`);
          const fixName = near && DNS1123_SUBDOMAIN.test(near) ? near : u.name.toLowerCase();
          return [
            draft(
              w,
              'error',
              `${parts.join('; ')}. The webhook refuses the pod: ${apiServerText({ message: `cred spec ${u.name} does not exist`, code: 404, cause: 'not-found', usage: 0 })}`,
              {
                field,
                evidence: { credspec: u.name, ...(near ? { nearest: near } : {}), credspecs: names.size },
                remediation: {
                  text: near
                    ? `Set gmsaCredentialSpecName to ${JSON.stringify(fixName)}${sameLetters.length && !DNS1123_SUBDOMAIN.test(sameLetters[0]!) ? ` and rename the GMSACredentialSpec to ${JSON.stringify(fixName)} (it cannot be created with capitals)` : ''}, and use the same name in the RBAC role's resourceNames.`
                    : `Create the GMSACredentialSpec ${JSON.stringify(fixName)} (gmsa-doctor credspec new --k8s), or name an existing one.`,
                  commands: ['kubectl get gmsacredentialspecs -o custom-columns=NAME:.metadata.name'],
                },
              },
            ),
          ];
        }),
      ),
    );
  },
  subjects: gmsaSubjects,
};

function nearMiss(name: string, candidates: string[]): string | undefined {
  if (candidates.length > 5000) return undefined;
  let best: string | undefined;
  let distance = 3;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < distance) [best, distance] = [c, d];
  }
  return best;
}

const contentsMatch: K8sRule = {
  meta: {
    id: 'k8s/inline-contents-match',
    link: 'pod',
    title: 'Inline credential spec contents match the named GMSACredentialSpec',
    looksAt:
      "gmsaCredentialSpec set next to gmsaCredentialSpecName, compared with the resource's credspec as the webhook compares them (the same text, or the same JSON object); in a cluster, also the contents running pods got.",
    why: 'The webhook refuses a pod whose inline contents differ: `the GMSA cred spec contents for pod "X" does not match the contents of GMSA resource "Y"`; a running pod keeps the contents it was admitted with, so a credspec changed since is not what it uses.',
    remediation:
      'Remove gmsaCredentialSpec and let the webhook fill it in from the resource; restart pods admitted before the credspec changed.',
  },
  needs: ['gmsacredentialspecs'],
  check(ctx) {
    const names = ctx.credspecsByName();
    const judged = ctx.mode === 'cluster' ? ctx.workloads().filter((w) => w.usages.length > 0) : ctx.gmsaWorkloads();
    return judged.flatMap((w) =>
      namedUsages(w).flatMap((u): RuleDraft[] => {
        const resource = names.get(u.name);
        if (u.contents === undefined || !resource || isTemplated(u.contents)) return [];
        const expected = goJson(resource.object.credspec);
        const compared = sameContents(u.contents, expected);
        if (compared.equal) return [];
        const changed = compared.parseError ? [] : differingFields(JSON.parse(u.contents), JSON.parse(expected));
        const admitted = w.isPod && w.controller !== undefined && ctx.mode === 'cluster';
        const message = admitted
          ? `${where(w, u)} runs with credential spec contents that differ from GMSACredentialSpec ${u.name} (${changed.join(', ') || 'not a JSON object'}): the credspec changed after the pod was admitted, and the pod keeps the old contents`
          : `${where(w, u)} sets gmsaCredentialSpec contents that differ from GMSACredentialSpec ${u.name}${changed.length ? ` in ${changed.join(', ')}` : ''}. The webhook refuses the pod: ${apiServerText({ message: `the GMSA cred spec contents for ${usageResource(w, u)} does not match the contents of GMSA resource ${JSON.stringify(u.name)}${compared.parseError ? `: ${compared.parseError}` : ''}`, code: 422, cause: 'contents-differ', usage: 0 })}`;
        return [
          draft(w, admitted ? 'warning' : 'error', message, {
            field: usageField(u, 'gmsaCredentialSpec'),
            evidence: { credspec: u.name, differingFields: changed },
            remediation: admitted
              ? {
                  text: 'Recreate the pod so the webhook fills in the current contents.',
                  commands: [`kubectl -n ${w.namespace} delete pod ${w.name}`],
                }
              : {
                  text: `Remove gmsaCredentialSpec from ${where(w, u)}; the mutating webhook fills it in from GMSACredentialSpec ${u.name}.`,
                },
          }),
        ];
      }),
    );
  },
  subjects: gmsaSubjects,
};

const contentsWithoutName: K8sRule = {
  meta: {
    id: 'k8s/contents-without-name',
    link: 'pod',
    title: 'Inline credential spec contents come with the resource name',
    looksAt: 'gmsaCredentialSpec set without gmsaCredentialSpecName, at pod, container or init container level.',
    why: 'The webhook refuses such a pod: `pod "X" has a GMSA cred spec set, but does not define the name of the corresponding resource`: it can only vouch for contents of a resource the service account may use.',
    remediation:
      'Create a GMSACredentialSpec with these contents and set gmsaCredentialSpecName to its name instead of the contents.',
  },
  needs: [],
  check(ctx) {
    return ctx.gmsaWorkloads().flatMap((w) =>
      w.usages
        .filter((u) => u.name === undefined && u.contents !== undefined)
        .map((u) =>
          draft(
            w,
            'error',
            `${where(w, u)} sets gmsaCredentialSpec contents but no gmsaCredentialSpecName. The webhook refuses the pod: ${apiServerText({ message: `${usageResource(w, u)} has a GMSA cred spec set, but does not define the name of the corresponding resource`, code: 422, cause: 'no-name', usage: 0 })}`,
            {
              field: usageField(u, 'gmsaCredentialSpec'),
              remediation: {
                text: 'Put the contents into a GMSACredentialSpec (gmsa-doctor credspec new --k8s writes one) and name it in gmsaCredentialSpecName; drop gmsaCredentialSpec.',
              },
            },
          ),
        ),
    );
  },
  subjects: gmsaSubjects,
};

function grantCommands(w: Workload, credspec: string, sa: string): string[] {
  const role = `use-${credspec}`.slice(0, 63);
  return [
    `kubectl create clusterrole ${role} --verb=use --resource=gmsacredentialspecs.windows.k8s.io --resource-name=${credspec}`,
    `kubectl -n ${w.namespace} create rolebinding ${role} --clusterrole=${role} --serviceaccount=${w.namespace}:${sa}`,
    `kubectl auth can-i use gmsacredentialspecs.windows.k8s.io/${credspec} -n ${w.namespace} --as=system:serviceaccount:${w.namespace}:${sa}`,
  ];
}

const usePermitted: K8sRule = {
  meta: {
    id: 'k8s/credspec-use-permitted',
    link: 'pod',
    title: "The pod's service account may `use` the GMSACredentialSpec",
    looksAt:
      "The webhook's question, a LocalSubjectAccessReview in the pod's namespace: may system:serviceaccount:NS:SA (groups system:serviceaccounts, system:serviceaccounts:NS) `use` windows.k8s.io/gmsacredentialspecs NAME? Answered by the API server in a scan, by the loaded Roles, ClusterRoles and bindings otherwise.",
    why: 'The validating webhook refuses the pod with `service account "SA" is not authorized to `use` GMSA cred spec "NAME"`. Because the review is namespaced, a RoleBinding in the pod\'s namespace grants it as well as a ClusterRoleBinding; resourceNames are compared exactly.',
    remediation:
      "Grant `use` on the credspec by name to the pod's service account: a ClusterRole with resourceNames, bound by a RoleBinding in the pod's namespace.",
  },
  needs: [],
  check(ctx) {
    return ctx.gmsaWorkloads().flatMap((w) => {
      const sa = serviceAccountOf(w);
      return withFirstRefusal(
        ctx,
        w,
        namedUsages(w).flatMap((u): RuleDraft[] => {
          const decision = ctx.access(w.namespace, sa, u.name);
          const field = usageField(u, 'gmsaCredentialSpecName');
          if (!decision.known)
            return [
              draft(
                w,
                'skipped',
                `not checked: whether service account ${w.namespace}/${sa} may use GMSACredentialSpec ${u.name} (${decision.reason})`,
                { field },
              ),
            ];
          if (decision.allowed) return [];
          const reason = decision.reason ? `, reason: ${JSON.stringify(decision.reason)}` : '';
          const text = apiServerText({
            message: `service account ${JSON.stringify(sa)} is not authorized to \`use\` GMSA cred spec ${JSON.stringify(u.name)}${reason}`,
            code: 403,
            cause: 'not-authorized',
            usage: 0,
          });
          const lint = ctx.mode === 'lint';
          return [
            draft(
              w,
              lint ? 'warning' : 'error',
              `service account ${w.namespace}/${sa} may not use GMSACredentialSpec ${u.name}${lint ? ' by the RBAC of the linted files (a binding elsewhere may grant it)' : ''}. The webhook refuses the pod: ${text}`,
              {
                field,
                evidence: {
                  user: `system:serviceaccount:${w.namespace}:${sa}`,
                  verb: 'use',
                  resource: 'windows.k8s.io/gmsacredentialspecs',
                  name: u.name,
                  namespace: w.namespace,
                  decidedBy: decision.source,
                },
                remediation: {
                  text: `Grant it (a RoleBinding in ${w.namespace} is enough: the webhook asks in the pod's namespace):`,
                  commands: grantCommands(w, u.name, sa),
                },
              },
            ),
          ];
        }),
      );
    });
  },
  subjects: gmsaSubjects,
};

const serviceAccountExists: K8sRule = {
  meta: {
    id: 'k8s/service-account-exists',
    link: 'pod',
    title: "The pod's service account exists",
    looksAt: 'spec.serviceAccountName of each workload using a gMSA, against the ServiceAccounts of its namespace.',
    why: 'The ServiceAccount admission plugin refuses a pod whose service account does not exist, before the gMSA webhook is asked.',
    remediation: 'Create the service account, or name an existing one.',
  },
  needs: ['serviceaccounts'],
  mode: 'cluster',
  check(ctx) {
    return ctx.gmsaWorkloads().flatMap((w): RuleDraft[] => {
      const sa = serviceAccountOf(w);
      if (isTemplated(sa) || ctx.find('serviceaccounts', w.namespace, sa)) return [];
      return [
        draft(
          w,
          'error',
          `service account ${w.namespace}/${sa} does not exist: pods "${w.name}" is forbidden: error looking up service account ${w.namespace}/${sa}: serviceaccount "${sa}" not found`,
          {
            field: `${w.podSpecPath}.serviceAccountName`,
            remediation: { text: 'Create it:', commands: [`kubectl -n ${w.namespace} create serviceaccount ${sa}`] },
          },
        ),
      ];
    });
  },
  subjects: gmsaSubjects,
};

const WINDOWS_SELECTOR_PATCH = '{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"windows"}}}}}';

function placementFix(w: Workload): RuleDraft['remediation'] {
  const yaml = `${w.podSpecPath
    .split('.')
    .map((k, i) => `${'  '.repeat(i)}${k}:`)
    .join(
      '\n',
    )}\n${'  '.repeat(w.podSpecPath.split('.').length)}nodeSelector:\n${'  '.repeat(w.podSpecPath.split('.').length + 1)}kubernetes.io/os: windows`;
  const commands =
    w.isPod || w.kind === 'CronJob'
      ? []
      : [`kubectl -n ${w.namespace} patch ${w.kind.toLowerCase()} ${w.name} -p '${WINDOWS_SELECTOR_PATCH}'`];
  return {
    text: `Select Windows nodes in the pod template (tolerations only let it onto tainted Windows nodes):\n${yaml}`,
    commands,
  };
}

/** The Linux nodes a pod template would be scheduled on; pods of one template share the answer. */
function linuxNodesAccepting(ctx: RuleContext, w: Workload): K8sObject[] {
  const spec = w.podSpec;
  const key = JSON.stringify([
    spec.nodeName,
    spec.nodeSelector,
    spec.affinity,
    spec.tolerations,
    spec.runtimeClassName,
  ]);
  return ctx.memo(`linux-nodes/${key}`, () => {
    const runtimeClass = ctx.runtimeClass(spec.runtimeClassName);
    return ctx.nodes().filter((n) => nodeOs(n) === 'linux' && nodeAccepts(n, spec, runtimeClass));
  });
}

const windowsOnly: K8sRule = {
  meta: {
    id: 'k8s/windows-nodes-only',
    link: 'pod',
    title: 'A gMSA pod can only land on Windows nodes',
    looksAt:
      "nodeSelector, required node affinity and the RuntimeClass's scheduling for kubernetes.io/os: windows (or node.kubernetes.io/windows-build); in a scan, the Linux nodes whose labels and taints would accept the pod.",
    why: "gMSA exists only on Windows: a pod scheduled on a Linux node runs without it (or not at all). Tolerations of the Windows nodes' taints let a pod onto them but do not keep it off Linux nodes.",
    remediation: 'Add nodeSelector kubernetes.io/os: windows to the pod template.',
  },
  needs: [],
  check(ctx) {
    return ctx.gmsaWorkloads().flatMap((w): RuleDraft[] => {
      const runtimeClass = ctx.runtimeClass(w.podSpec.runtimeClassName);
      const placement = windowsPlacement(w.podSpec, runtimeClass);
      if (placement.windowsOnly || placement.templated) return [];
      const field = `${w.podSpecPath}.nodeSelector`;
      if (placement.linuxOnly)
        return [
          draft(
            w,
            'error',
            `${w.subject} uses a gMSA but is pinned to Linux nodes (${placement.by}): gMSA only exists on Windows`,
            { field, remediation: placementFix(w) },
          ),
        ];
      const tolerations = placement.tolerationsOnly
        ? " It tolerates the Windows nodes' taints, which lets it onto them but does not keep it off Linux nodes."
        : '';
      if (ctx.mode === 'cluster' && ctx.available('nodes')) {
        const linux = linuxNodesAccepting(ctx, w);
        if (linux.length === 0)
          return [
            draft(
              w,
              'info',
              `${w.subject} selects no OS: only taints keep it off the Linux nodes today (none of them accepts it); a Linux node without a taint would take it.${tolerations}`,
              { field, remediation: placementFix(w) },
            ),
          ];
        const names = linux.map((n) => n.metadata?.name ?? '');
        return [
          draft(
            w,
            'warning',
            `${w.subject} uses a gMSA and can be scheduled on ${linux.length} Linux node${linux.length === 1 ? '' : 's'} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}): there it runs without its gMSA.${tolerations}`,
            { field, evidence: { linuxNodes: names.slice(0, 20) }, remediation: placementFix(w) },
          ),
        ];
      }
      return [
        draft(
          w,
          'warning',
          `${w.subject} uses a gMSA but selects no Windows nodes (no nodeSelector kubernetes.io/os: windows): it can land on a Linux node, where it runs without its gMSA.${tolerations}`,
          { field, remediation: placementFix(w) },
        ),
      ];
    });
  },
  subjects: gmsaSubjects,
};

const contentsInjected: K8sRule = {
  meta: {
    id: 'k8s/contents-injected',
    link: 'pod',
    title: 'Running gMSA pods got their credential spec from the webhook',
    looksAt:
      'Every pod whose gmsaCredentialSpecName is set: gmsaCredentialSpec must be there too (the mutating webhook adds it on CREATE).',
    why: 'A pod admitted without the mutating webhook (created before it was installed, in a namespace its namespaceSelector skips, or while its failurePolicy was Ignore and it was down) has no contents: its containers start without gMSA.',
    remediation: 'Recreate the pod once the webhook covers its namespace.',
  },
  needs: ['pods'],
  mode: 'cluster',
  check(ctx) {
    return ctx
      .workloads()
      .filter((w) => w.isPod)
      .flatMap((w) =>
        namedUsages(w)
          .filter((u) => u.contents === undefined)
          .map((u) =>
            draft(
              w,
              'error',
              `${where(w, u)} of pod ${w.namespace}/${w.name} names GMSACredentialSpec ${u.name} but has no gmsaCredentialSpec contents: the mutating webhook did not admit it, so its containers run without the gMSA`,
              {
                field: usageField(u, 'gmsaCredentialSpecName'),
                alsoIgnoredBy: [ctx.ownerOf(w).item],
                remediation: {
                  text: 'Make sure the webhook covers the namespace (k8s/webhook-covers-namespace), then recreate the pod:',
                  commands: [`kubectl -n ${w.namespace} delete pod ${w.name}`],
                },
              },
            ),
          ),
      );
  },
  subjects: (ctx) => ({
    count: ctx.workloads().filter((w) => w.isPod && w.usages.length > 0).length,
    noun: 'pods using a gMSA',
  }),
};

/** The alpha annotations (Kubernetes 1.14 and earlier), as windows-gmsa's old integration tests set them. */
const alphaAnnotations: K8sRule = {
  meta: {
    id: 'k8s/alpha-annotations',
    link: 'pod',
    title: 'No alpha gMSA annotations',
    looksAt:
      'pod.alpha.windows.kubernetes.io/gmsa-credential-spec(-name) and <container>.container.alpha.windows.kubernetes.io/gmsa-credential-spec(-name) annotations on pods and pod templates.',
    why: "These annotations were gMSA's alpha interface, before securityContext.windowsOptions; the windows-gmsa webhook and current kubelets read only windowsOptions, so a pod configured through them gets no gMSA.",
    remediation: 'Move the name to securityContext.windowsOptions.gmsaCredentialSpecName and remove the annotations.',
  },
  needs: [],
  check(ctx) {
    return ctx.topWorkloads().flatMap((w) =>
      w.legacyAnnotations.map((a) =>
        draft(
          w,
          w.usages.length > 0 ? 'info' : 'error',
          `${w.subject} carries the alpha annotation ${a.key}, which nothing reads any more${w.usages.length > 0 ? '; securityContext.windowsOptions is set too, so it is only clutter' : ': the pod gets no gMSA from it'}`,
          {
            field: a.field,
            remediation: {
              text: "Set securityContext.windowsOptions.gmsaCredentialSpecName (pod or container level) to the GMSACredentialSpec's name, and drop the annotation.",
            },
          },
        ),
      ),
    );
  },
  subjects: (ctx) => ({
    count: ctx.topWorkloads().filter((w) => w.legacyAnnotations.length > 0).length,
    noun: 'workloads with alpha annotations',
  }),
};

const WINDOWS_OPTIONS_KEYS = ['gmsaCredentialSpecName', 'gmsaCredentialSpec', 'runAsUserName', 'hostProcess'];

const windowsOptionsKeys: K8sRule = {
  meta: {
    id: 'k8s/windows-options-keys',
    link: 'pod',
    title: 'securityContext.windowsOptions has no misspelled keys',
    looksAt:
      'The keys of every securityContext.windowsOptions (pod, containers, init containers) against gmsaCredentialSpecName, gmsaCredentialSpec, runAsUserName, hostProcess.',
    why: "A misspelled key (gmsaCredentialSpecname) is refused by kubectl's strict validation, or dropped by the API server with --validate=false: the pod then runs without a gMSA.",
    remediation: 'Spell the key as shown.',
  },
  needs: [],
  check(ctx) {
    return ctx.topWorkloads().flatMap((w) => {
      const options: [string, unknown][] = [
        [`${w.podSpecPath}.securityContext.windowsOptions`, get(w.podSpec, 'securityContext.windowsOptions')],
      ];
      for (const list of ['containers', 'initContainers']) {
        const containers = w.podSpec[list];
        if (Array.isArray(containers))
          containers.forEach((c, i) =>
            options.push([
              `${w.podSpecPath}.${list}[${i}].securityContext.windowsOptions`,
              get(c, 'securityContext.windowsOptions'),
            ]),
          );
      }
      return options.flatMap(([path, value]) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.keys(value)
              .filter((key) => !WINDOWS_OPTIONS_KEYS.includes(key) && !isTemplated(key))
              .map((key) => {
                const near = closestKey(key, WINDOWS_OPTIONS_KEYS);
                return draft(
                  w,
                  'error',
                  `unknown key ${key} in windowsOptions${near ? `: did you mean ${near}?` : ` (known: ${WINDOWS_OPTIONS_KEYS.join(', ')})`} The API server drops it, and what it was meant to set is not set`,
                  { field: `${path}.${key}` },
                );
              })
          : [],
      );
    });
  },
  subjects: (ctx) => ({ count: ctx.topWorkloads().length, noun: 'workloads' }),
};

const HYPERV_GMSA_MIN_BUILD = 19041;

const hypervIsolation: K8sRule = {
  meta: {
    id: 'k8s/hyperv-isolation',
    link: 'pod',
    title: 'Hyper-V isolated gMSA pods run on builds that support it',
    looksAt:
      'gMSA workloads whose RuntimeClass handler is a Hyper-V one (runhcs-wcow-hypervisor), and the Windows builds of the nodes that would accept them.',
    why: "hcsshim's v2 Hyper-V isolated containers did not support gMSA (microsoft/hcsshim#797) until it was added for builds 19041 and later (hcsshim#856): on Windows Server 2019 nodes such a pod gets no gMSA.",
    remediation:
      'Run the pod process-isolated (no Hyper-V RuntimeClass), or on Windows Server 2022 (20348) or later nodes.',
  },
  needs: [],
  check(ctx) {
    return ctx.gmsaWorkloads().flatMap((w): RuleDraft[] => {
      const runtimeClass = ctx.runtimeClass(w.podSpec.runtimeClassName);
      const handler = runtimeClass?.handler;
      if (typeof handler !== 'string' || !/hypervisor/i.test(handler)) return [];
      const old = ctx
        .nodes()
        .map((n) => ({ n, facts: windowsNodeFacts(n) }))
        .filter(
          ({ n, facts }) =>
            facts?.build !== undefined &&
            facts.build < HYPERV_GMSA_MIN_BUILD &&
            nodeAccepts(n, w.podSpec, runtimeClass),
        );
      const field = `${w.podSpecPath}.runtimeClassName`;
      if (old.length > 0) {
        return [
          draft(
            w,
            'error',
            `${w.subject} is Hyper-V isolated (RuntimeClass ${runtimeClass!.metadata?.name ?? ''}, handler ${handler}) and may run on ${old
              .map(({ facts }) => `${facts!.name} (build ${facts!.build})`)
              .slice(0, 5)
              .join(
                ', ',
              )}: Hyper-V isolated containers support gMSA only on builds ${HYPERV_GMSA_MIN_BUILD} and later (microsoft/hcsshim#797, #856)`,
            { field },
          ),
        ];
      }
      if (ctx.mode === 'lint' || !ctx.available('nodes'))
        return [
          draft(
            w,
            'info',
            `${w.subject} is Hyper-V isolated (handler ${handler}): gMSA works there only on nodes of build ${HYPERV_GMSA_MIN_BUILD} or later (Windows Server 2022+)`,
            { field },
          ),
        ];
      return [];
    });
  },
  subjects: gmsaSubjects,
};

export const WORKLOAD_RULES: readonly K8sRule[] = [
  exists,
  contentsMatch,
  contentsWithoutName,
  usePermitted,
  serviceAccountExists,
  windowsOnly,
  contentsInjected,
  alphaAnnotations,
  windowsOptionsKeys,
  hypervIsolation,
];
