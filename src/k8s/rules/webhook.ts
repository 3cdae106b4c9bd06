/**
 * The windows-gmsa admission webhook: both configurations, failurePolicy and selectors, the Service and its ready
 * endpoints, a Linux node for its pods, its RBAC, and the TLS trust between the API server and it. With
 * failurePolicy Fail, a broken webhook makes the API server refuse every pod CREATE in every namespace its
 * namespaceSelector matches, Linux and Windows, gMSA or not; these findings say so.
 */
import { matchesLabelSelector } from '../../protocol/k8s/label-selector.js';
import type { LabelSelector } from '../../protocol/k8s/label-selector.js';
import { serviceAccountUser } from '../../protocol/k8s/rbac.js';
import { WEBHOOK_NAME } from '../admission.js';
import { decodeCaBundle, goTime, parsePemBundle, verifyServing } from '../certificates.js';
import type { GmsaWebhook, RuleContext } from '../context.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import { isTemplated } from '../templates.js';
import type { Workload } from '../workloads.js';
import { get, isNodeReady, nodeAccepts, nodeOs, serviceAccountOf, windowsPlacement } from '../workloads.js';

const CERT_MANAGER_ANNOTATION = 'cert-manager.io/inject-ca-from';
const EXPIRY_WARNING_DAYS = 30;

const hookField = (hook: GmsaWebhook, rest = ''): string => `webhooks[${hook.index}]${rest ? `.${rest}` : ''}`;
const policy = (hook: GmsaWebhook): string =>
  typeof hook.entry.failurePolicy === 'string' ? hook.entry.failurePolicy : 'Fail';
const hookName = (hook: GmsaWebhook): string => (typeof hook.entry.name === 'string' ? hook.entry.name : WEBHOOK_NAME);
const url = (hook: GmsaWebhook): string => {
  const s = hook.service!;
  return `https://${s.name}.${s.namespace}.svc:${s.port}${s.path ?? ''}?timeout=${Number(hook.entry.timeoutSeconds ?? 10)}s`;
};

/** The API server's text when it cannot call the webhook (what kubectl and controllers' events show). */
function callFailure(hook: GmsaWebhook, detail: string): string {
  return `Internal error occurred: failed calling webhook ${JSON.stringify(hookName(hook))}: failed to call webhook: Post ${JSON.stringify(url(hook))}: ${detail}`;
}

/** Namespaces whose pod CREATEs the webhook intercepts (all of them without a namespaceSelector). */
function interceptedNamespaces(ctx: RuleContext, hook: GmsaWebhook): { matched: string[]; skipped: string[] } {
  const selector = (hook.entry.namespaceSelector ?? {}) as LabelSelector;
  const matched: string[] = [];
  const skipped: string[] = [];
  for (const name of ctx.namespaceNames())
    (matchesLabelSelector(selector, ctx.namespaceLabels(name)) ? matched : skipped).push(name);
  return { matched, skipped };
}

/** "every pod CREATE ... in N of M namespaces" for a broken webhook with failurePolicy Fail. */
function blockingText(ctx: RuleContext, hook: GmsaWebhook): string {
  if (policy(hook) !== 'Fail')
    return `With failurePolicy ${policy(hook)}, the API server admits pods without it meanwhile: gMSA pods then get no credential spec.`;
  const verbs = hook.type === 'validating' ? 'every pod CREATE and UPDATE' : 'every pod CREATE';
  if (!ctx.available('namespaces') || ctx.namespaceNames().length === 0)
    return `With failurePolicy Fail, the API server refuses ${verbs} in every namespace its namespaceSelector matches, Linux and Windows pods alike, gMSA or not.`;
  const { matched, skipped } = interceptedNamespaces(ctx, hook);
  return `With failurePolicy Fail, the API server refuses ${verbs} in ${matched.length} of ${matched.length + skipped.length} namespaces (all but ${skipped.join(', ') || 'none'}), Linux and Windows pods alike, gMSA or not: Deployments, DaemonSets and Jobs there cannot create pods.`;
}

function hookDraft(
  hook: GmsaWebhook,
  severity: RuleDraft['severity'],
  message: string,
  extra: Partial<RuleDraft> = {},
): RuleDraft {
  return { severity, message, about: hook.config, ...extra };
}

/** The webhook's own Deployment: the workloads whose pods its Service selects. */
export function webhookWorkloads(ctx: RuleContext, hook: GmsaWebhook): Workload[] {
  if (!hook.service) return [];
  const service = ctx.find('services', hook.service.namespace, hook.service.name);
  const selector = get(service?.object, 'spec.selector') as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) return [];
  return ctx
    .topWorkloads()
    .filter(
      (w) =>
        w.namespace === hook.service!.namespace &&
        !w.isPod &&
        matchesLabelSelector({ matchLabels: selector }, w.podMetadata.labels),
    );
}

const webhookSubjects = (ctx: RuleContext) => ({ count: ctx.gmsaWebhooks().length, noun: 'webhook configurations' });

const installed: K8sRule = {
  meta: {
    id: 'k8s/webhook-installed',
    link: 'cluster',
    title: 'Both windows-gmsa webhook configurations are installed',
    looksAt: `MutatingWebhookConfigurations and ValidatingWebhookConfigurations with the webhook ${WEBHOOK_NAME} on pods.`,
    why: "The mutating webhook puts the credspec contents into each pod that names one; without it the containers start without gMSA. The validating one checks that the pod's service account may use the credspec; without it any pod may use any gMSA.",
    remediation:
      'Install the windows-gmsa webhook (Helm chart windows-gmsa/gmsa, or its deploy script), which creates both.',
  },
  needs: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
  check(ctx) {
    const hooks = ctx.gmsaWebhooks();
    const inUse = ctx.gmsaWorkloads().length > 0 || ctx.items('gmsacredentialspecs').length > 0;
    if (ctx.mode === 'lint' && hooks.length === 0) return [];
    if (!inUse && hooks.length === 0) return [];
    const out: RuleDraft[] = [];
    const lint = ctx.mode === 'lint';
    if (!hooks.some((h) => h.type === 'mutating')) {
      out.push({
        severity: lint ? 'info' : 'error',
        subject: 'cluster',
        message: lint
          ? `the linted files hold a validating ${WEBHOOK_NAME} but no mutating one (it may come from elsewhere)`
          : `no MutatingWebhookConfiguration has ${WEBHOOK_NAME}: pods that name a GMSACredentialSpec get no contents, so their containers start without gMSA`,
      });
    }
    if (!hooks.some((h) => h.type === 'validating')) {
      out.push({
        severity: lint ? 'info' : 'warning',
        subject: 'cluster',
        message: lint
          ? `the linted files hold a mutating ${WEBHOOK_NAME} but no validating one (it may come from elsewhere)`
          : `no ValidatingWebhookConfiguration has ${WEBHOOK_NAME}: nothing checks that a pod's service account may use the GMSACredentialSpec it names`,
      });
    }
    return out;
  },
  subjects: webhookSubjects,
};

const failurePolicy: K8sRule = {
  meta: {
    id: 'k8s/webhook-failure-policy',
    link: 'cluster',
    title: 'The webhook intercepts pod CREATE with failurePolicy Fail',
    looksAt: 'failurePolicy and rules of each windows-gmsa webhook entry.',
    why: "With Ignore, pods are admitted while the webhook is down: the mutating webhook's absence leaves them without their credspec contents (they start without gMSA) and the validating one's leaves RBAC unchecked. Rules that do not match pod CREATE never call it.",
    remediation:
      "Keep failurePolicy: Fail (the chart's), rules on pods CREATE (and UPDATE for the validating one), and keep the webhook healthy.",
  },
  needs: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
  check(ctx) {
    return ctx.gmsaWebhooks().flatMap((hook): RuleDraft[] => {
      const out: RuleDraft[] = [];
      const p = policy(hook);
      if (p === 'Ignore')
        out.push(
          hookDraft(
            hook,
            'warning',
            `${hook.type} webhook ${hookName(hook)} has failurePolicy Ignore: while it is down pods are admitted without it, so ${hook.type === 'mutating' ? 'gMSA pods start without their credential spec' : 'no one checks that service accounts may use the credspecs they name'}`,
            { field: hookField(hook, 'failurePolicy') },
          ),
        );
      const rules = Array.isArray(hook.entry.rules) ? (hook.entry.rules as Record<string, unknown>[]) : [];
      const create = rules.some(
        (r) =>
          (r.resources as string[] | undefined)?.some((x) => x === 'pods' || x === '*') &&
          (r.operations as string[] | undefined)?.some((o) => o === 'CREATE' || o === '*'),
      );
      if (!create && !rules.some((r) => isTemplated(JSON.stringify(r))))
        out.push(
          hookDraft(
            hook,
            'error',
            `${hook.type} webhook ${hookName(hook)} has no rule on pods CREATE: the API server never calls it for new pods`,
            { field: hookField(hook, 'rules') },
          ),
        );
      return out;
    });
  },
  subjects: webhookSubjects,
};

const ownNamespace: K8sRule = {
  meta: {
    id: 'k8s/webhook-namespace-selector',
    link: 'cluster',
    title: "The webhook's namespaceSelector skips its own namespace",
    looksAt:
      'namespaceSelector of each windows-gmsa webhook entry against the labels of the namespace its Service lives in (kubernetes.io/metadata.name included, as the API server sets it).',
    why: 'With failurePolicy Fail and its own namespace intercepted, the webhook cannot come back once it is down: its own new pods need it to be admitted (windows-gmsa excludes its release namespace and namespaces labelled windows.k8s.io/disabled=true).',
    remediation:
      "Exclude the webhook's namespace: a matchExpressions entry {key: kubernetes.io/metadata.name, operator: NotIn, values: [NAMESPACE]}, as the chart does.",
  },
  needs: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
  check(ctx) {
    return ctx.gmsaWebhooks().flatMap((hook): RuleDraft[] => {
      if (!hook.service || policy(hook) !== 'Fail') return [];
      const ns = hook.service.namespace;
      const selector = (hook.entry.namespaceSelector ?? {}) as LabelSelector;
      // A templated namespace may render to anything: only a literal one is known to be intercepted.
      if (isTemplated(ns) || !matchesLabelSelector(selector, ctx.namespaceLabels(ns))) return [];
      return [
        hookDraft(
          hook,
          'error',
          `${hook.type} webhook ${hookName(hook)} intercepts its own namespace ${ns} with failurePolicy Fail: once it is down, its own pods cannot be created again, so it cannot recover by itself`,
          {
            field: hookField(hook, 'namespaceSelector'),
            remediation: {
              text: `Add to namespaceSelector.matchExpressions: {key: kubernetes.io/metadata.name, operator: NotIn, values: [${ns}]}, or label the namespace:`,
              commands: [`kubectl label namespace ${ns} windows.k8s.io/disabled=true`],
            },
          },
        ),
      ];
    });
  },
  subjects: webhookSubjects,
};

const coversNamespace: K8sRule = {
  meta: {
    id: 'k8s/webhook-covers-namespace',
    link: 'cluster',
    title: 'The webhook covers the namespaces of gMSA pods',
    looksAt:
      "For each workload using a gMSA, whether a mutating windows-gmsa webhook's namespaceSelector and objectSelector match its namespace's labels and its pods' labels.",
    why: 'A pod the mutating webhook skips keeps gmsaCredentialSpecName without contents: its containers run without the gMSA, silently.',
    remediation:
      'Remove the label that excludes the namespace (windows.k8s.io/disabled=true), or run the workload in a covered namespace.',
  },
  needs: ['mutatingwebhookconfigurations', 'namespaces'],
  check(ctx) {
    const hooks = ctx.gmsaWebhooks().filter((h) => h.type === 'mutating');
    if (hooks.length === 0) return [];
    return ctx.gmsaWorkloads().flatMap((w): RuleDraft[] => {
      const labels = ctx.namespaceLabels(w.namespace);
      const covered = hooks.some(
        (h) =>
          matchesLabelSelector(h.entry.namespaceSelector ?? {}, labels) &&
          matchesLabelSelector(h.entry.objectSelector ?? {}, w.podMetadata.labels),
      );
      if (covered || isTemplated(w.namespace)) return [];
      return [
        {
          severity: 'error',
          message: `the mutating webhook ${WEBHOOK_NAME} skips namespace ${w.namespace} (labels ${JSON.stringify(labels)}): ${w.subject}'s pods keep gmsaCredentialSpecName without contents, so their containers run without the gMSA`,
          about: w.item,
          evidence: { namespaceLabels: labels, namespaceSelectors: hooks.map((h) => h.entry.namespaceSelector ?? {}) },
          remediation: {
            text: 'If the namespace is labelled windows.k8s.io/disabled=true, remove the label; then recreate the pods.',
            commands: [`kubectl label namespace ${w.namespace} windows.k8s.io/disabled-`],
          },
        },
      ];
    });
  },
  subjects: (ctx) => ({ count: ctx.gmsaWorkloads().length, noun: 'workloads using a gMSA' }),
};

function readyEndpoints(ctx: RuleContext, namespace: string, service: string): number | undefined {
  const endpoints = ctx.find('endpoints', namespace, service);
  if (endpoints)
    return ((endpoints.object.subsets ?? []) as { addresses?: unknown[] }[]).reduce(
      (n, s) => n + (s.addresses?.length ?? 0),
      0,
    );
  const slices = ctx
    .items('endpointslices')
    .filter(
      (s) =>
        s.object.metadata?.namespace === namespace &&
        s.object.metadata?.labels?.['kubernetes.io/service-name'] === service,
    );
  if (slices.length === 0) return ctx.complete('endpoints') ? 0 : undefined;
  return slices.reduce(
    (n, s) =>
      n +
      ((s.object.endpoints ?? []) as { conditions?: { ready?: boolean } }[]).filter(
        (e) => e.conditions?.ready !== false,
      ).length,
    0,
  );
}

const service: K8sRule = {
  meta: {
    id: 'k8s/webhook-service',
    link: 'cluster',
    title: "The webhook's Service exists and has ready endpoints",
    looksAt:
      "clientConfig.service of each windows-gmsa webhook entry: the Service, its ready Endpoints (or EndpointSlices); in manifests, that the Service's selector matches the webhook's Deployment.",
    why: 'The API server calls the webhook through its Service. With no ready endpoint it answers `failed calling webhook ...: no endpoints available for service ...`, and with failurePolicy Fail that refuses every pod in the namespaces the webhook covers (aws-samples/amazon-eks-gmsa#6, windows-gmsa#54).',
    remediation:
      "Bring the webhook's pods up (kubectl -n NS get pods, describe them: a Pending pod usually lacks a Linux node, a crashing one its certificate).",
  },
  needs: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'services'],
  check(ctx) {
    return ctx.gmsaWebhooks().flatMap((hook): RuleDraft[] => {
      const s = hook.service;
      if (!s) return [];
      const svc = ctx.find('services', s.namespace, s.name);
      const field = hookField(hook, 'clientConfig.service');
      if (!svc) {
        if (
          !ctx.complete('services') &&
          (ctx.items('services').length === 0 || isTemplated(s.name) || isTemplated(s.namespace))
        )
          return [];
        const severity = ctx.mode === 'cluster' ? 'error' : 'warning';
        return [
          hookDraft(
            hook,
            severity,
            `the Service ${s.namespace}/${s.name} that ${hook.type} webhook ${hookName(hook)} calls ${ctx.mode === 'cluster' ? 'does not exist' : 'is not among the linted files'}: ${callFailure(hook, `service "${s.name}" not found`)}. ${blockingText(ctx, hook)}`,
            { field },
          ),
        ];
      }
      if (ctx.mode === 'lint') {
        if (webhookWorkloads(ctx, hook).length === 0 && ctx.topWorkloads().some((w) => w.namespace === s.namespace)) {
          return [
            hookDraft(
              hook,
              'warning',
              `Service ${s.namespace}/${s.name}'s selector matches no workload of the linted files in ${s.namespace}: it would have no endpoints, and ${blockingText(ctx, hook)}`,
              { field },
            ),
          ];
        }
        return [];
      }
      const ready = readyEndpoints(ctx, s.namespace, s.name);
      if (ready === undefined || ready > 0) return [];
      return [
        hookDraft(
          hook,
          'error',
          `Service ${s.namespace}/${s.name} of ${hook.type} webhook ${hookName(hook)} has no ready endpoint: ${callFailure(hook, `no endpoints available for service "${s.name}"`)}. ${blockingText(ctx, hook)}`,
          {
            field,
            evidence: { service: `${s.namespace}/${s.name}`, readyEndpoints: 0, failurePolicy: policy(hook) },
            remediation: {
              text: "Find out why the webhook's pods are not ready:",
              commands: [
                `kubectl -n ${s.namespace} get pods -o wide`,
                `kubectl -n ${s.namespace} describe pods`,
                `kubectl -n ${s.namespace} logs deploy/${webhookWorkloads(ctx, hook)[0]?.name ?? s.name}`,
              ],
            },
          },
        ),
      ];
    });
  },
  subjects: webhookSubjects,
};

const linuxNode: K8sRule = {
  meta: {
    id: 'k8s/webhook-linux-node',
    link: 'cluster',
    title: "The webhook's pods have a Linux node to run on",
    looksAt:
      "The pod template of the webhook's Deployment (the workload its Service selects): it selects Linux nodes, and in a scan some Ready, schedulable Linux node accepts it (labels, taints).",
    why: 'The webhook image is a Linux image, pinned to kubernetes.io/os: linux. A cluster whose Linux nodes are all tainted, cordoned or gone leaves it Pending, and then (failurePolicy Fail) no pod can be created in the namespaces it covers (aws-samples/amazon-eks-gmsa#1, #3).',
    remediation:
      "Give it a Linux node: add one, untaint one, or add a toleration for the Linux nodes' taint to the webhook (Helm value tolerations).",
  },
  needs: ['mutatingwebhookconfigurations', 'services'],
  check(ctx) {
    const seen = new Set<Workload>();
    return ctx.gmsaWebhooks().flatMap((hook): RuleDraft[] =>
      webhookWorkloads(ctx, hook).flatMap((w): RuleDraft[] => {
        if (seen.has(w)) return [];
        seen.add(w);
        const placement = windowsPlacement(w.podSpec, ctx.runtimeClass(w.podSpec.runtimeClassName));
        const field = `${w.podSpecPath}.nodeSelector`;
        if (ctx.mode === 'lint' || !ctx.available('nodes')) {
          if (placement.linuxOnly || placement.templated) return [];
          return [
            {
              severity: 'warning',
              message: `the webhook's ${w.subject} does not select Linux nodes (nodeSelector kubernetes.io/os: linux): its Linux image fails on a Windows node`,
              about: w.item,
              field,
            },
          ];
        }
        const nodes = ctx.nodes().filter((n) => nodeOs(n) === 'linux' && isNodeReady(n) && nodeAccepts(n, w.podSpec));
        if (nodes.length > 0) return [];
        const linux = ctx.nodes().filter((n) => nodeOs(n) === 'linux');
        return [
          {
            severity: 'error',
            message: `no Ready Linux node accepts the webhook's ${w.subject} (${linux.length} Linux node${linux.length === 1 ? '' : 's'}: ${
              linux
                .map((n) => n.metadata?.name)
                .slice(0, 5)
                .join(', ') || 'none'
            }; taints, cordons and selectors considered): its pods stay Pending, the Service has no endpoints. ${blockingText(ctx, hook)}`,
            about: w.item,
            field,
            evidence: { linuxNodes: linux.map((n) => n.metadata?.name) },
            remediation: {
              text: 'Add or free a Linux node, or let the webhook tolerate their taint:',
              commands: [
                'kubectl get nodes -l kubernetes.io/os=linux -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints,UNSCHEDULABLE:.spec.unschedulable',
              ],
            },
          },
        ];
      }),
    );
  },
  subjects: webhookSubjects,
};

const certificate: K8sRule = {
  meta: {
    id: 'k8s/webhook-certificate',
    link: 'cluster',
    title: "The API server trusts the webhook's certificate",
    looksAt:
      "clientConfig.caBundle of each windows-gmsa webhook entry (or cert-manager's cert-manager.io/inject-ca-from annotation), its certificates' expiry, and in a scan the serving certificate: issued by a caBundle certificate, naming SERVICE.NAMESPACE.svc, valid now.",
    why: "The API server verifies the webhook's certificate with caBundle; a mismatch or an expired certificate fails every call with an x509 error (windows-gmsa#19, #54, #153), which with failurePolicy Fail refuses every pod in the namespaces the webhook covers.",
    remediation:
      'Reissue the serving certificate from the CA in caBundle (or let cert-manager inject it), and renew before expiry (Helm value certificates.certReload.enabled reloads a rotated certificate).',
  },
  needs: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
  check(ctx) {
    return ctx.gmsaWebhooks().flatMap((hook) => certificateDrafts(ctx, hook));
  },
  subjects: webhookSubjects,
};

function certificateDrafts(ctx: RuleContext, hook: GmsaWebhook): RuleDraft[] {
  const caBundle: unknown = hook.entry.clientConfig?.caBundle;
  const inject = hook.config.object.metadata?.annotations?.[CERT_MANAGER_ANNOTATION];
  const field = hookField(hook, 'clientConfig.caBundle');
  const blocks = () => blockingText(ctx, hook);
  if (typeof caBundle !== 'string' || caBundle.trim() === '') {
    if (inject) {
      if (ctx.mode === 'lint') return [];
      return [
        hookDraft(
          hook,
          'error',
          `${hook.type} webhook ${hookName(hook)} has no caBundle: cert-manager has not injected the CA named by ${CERT_MANAGER_ANNOTATION}: ${inject} (is cert-manager running, and is that Certificate Ready?). The API server then fails every call: ${callFailure(hook, 'tls: failed to verify certificate: x509: certificate signed by unknown authority')}. ${blocks()}`,
          {
            field,
            remediation: {
              text: 'Check the Certificate cert-manager should inject:',
              commands: [
                `kubectl -n ${inject.split('/')[0]} get certificate ${inject.split('/')[1] ?? ''}`,
                'kubectl -n cert-manager get pods',
              ],
            },
          },
        ),
      ];
    }
    if (ctx.mode === 'lint' && hook.config.origin?.templated) return [];
    return [
      hookDraft(
        hook,
        ctx.mode === 'cluster' ? 'error' : 'warning',
        `${hook.type} webhook ${hookName(hook)} has no caBundle and no ${CERT_MANAGER_ANNOTATION} annotation: the API server verifies the webhook with its own trust store, which a self-signed webhook certificate fails (x509: certificate signed by unknown authority). ${blocks()}`,
        { field },
      ),
    ];
  }
  if (isTemplated(caBundle)) return [];
  const pem = decodeCaBundle(caBundle);
  const bundle = pem ? parsePemBundle(pem) : undefined;
  if (!bundle || bundle.certificates.length === 0)
    return [
      hookDraft(
        hook,
        'error',
        `caBundle of ${hook.type} webhook ${hookName(hook)} is not base64 of PEM certificates${bundle?.errors.length ? ` (${bundle.errors[0]})` : ''}: the API server cannot verify the webhook. ${blocks()}`,
        { field },
      ),
    ];
  const out: RuleDraft[] = [];
  for (const ca of bundle.certificates)
    out.push(
      ...expiry(hook, `caBundle certificate ${ca.facts.subject}`, ca.facts.notAfter, ctx.model.now, field, blocks),
    );
  if (ctx.mode === 'lint' || !hook.service) return out;
  const key = `${hook.service.namespace}/${hook.service.name}`;
  const serving = ctx.model.servingCertificates?.get(key);
  if (!serving)
    return [
      ...out,
      hookDraft(
        hook,
        'skipped',
        `not checked: the serving certificate of ${key} was not read, so it is not compared with caBundle`,
        { field },
      ),
    ];
  if ('unavailable' in serving)
    return [
      ...out,
      hookDraft(
        hook,
        'skipped',
        `not checked: the serving certificate of ${key} could not be read (${serving.unavailable})`,
        { field },
      ),
    ];
  const chain = parsePemBundle(serving.pem);
  const host = `${hook.service.name}.${hook.service.namespace}.svc`;
  const leaf = chain.certificates[0]?.facts;
  if (!leaf)
    return [
      ...out,
      hookDraft(
        hook,
        'error',
        `the serving certificate of ${key} (${serving.source}) holds no readable certificate: ${chain.errors[0] ?? ''}`,
        { field },
      ),
    ];
  const verdict = verifyServing(chain, bundle, host, ctx.model.now);
  const evidence = {
    servingSubject: leaf.subject,
    servingIssuer: leaf.issuer,
    notAfter: leaf.notAfter.toISOString(),
    dnsNames: leaf.dnsNames,
    caBundle: bundle.certificates.map((c) => c.facts.subject),
    source: serving.source,
  };
  if (!verdict.signedBy) {
    out.push(
      hookDraft(
        hook,
        'error',
        `the serving certificate of ${key} (issued by ${leaf.issuer}) is not signed by a certificate of ${hook.type} webhook ${hookName(hook)}'s caBundle (${bundle.certificates.map((c) => c.facts.subject).join('; ')}): ${callFailure(hook, 'tls: failed to verify certificate: x509: certificate signed by unknown authority')}. ${blocks()}`,
        {
          field,
          evidence,
          remediation: {
            text: 'Put the CA that issued the serving certificate into caBundle (base64 of its PEM), or reissue the serving certificate from the caBundle CA; with cert-manager, make sure the inject-ca-from annotation names the Certificate whose CA signs the serving one.',
          },
        },
      ),
    );
  }
  if (verdict.expired)
    out.push(
      hookDraft(
        hook,
        'error',
        `the serving certificate of ${key} expired at ${goTime(leaf.notAfter)}: ${callFailure(hook, `tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time ${goTime(ctx.model.now)} is after ${goTime(leaf.notAfter)}`)}. ${blocks()}`,
        { field, evidence },
      ),
    );
  else
    out.push(
      ...expiry(hook, `the serving certificate of ${key}`, leaf.notAfter, ctx.model.now, field, blocks).filter(
        (d) => d.severity !== 'error',
      ),
    );
  if (!verdict.namesHost)
    out.push(
      hookDraft(
        hook,
        'error',
        `the serving certificate of ${key} is for ${leaf.dnsNames.join(', ') || leaf.subject}, not ${host}: ${callFailure(hook, `tls: failed to verify certificate: x509: certificate is valid for ${leaf.dnsNames.join(', ')}, not ${host}`)}. ${blocks()}`,
        { field, evidence },
      ),
    );
  return out;
}

function expiry(
  hook: GmsaWebhook,
  what: string,
  notAfter: Date,
  now: Date,
  field: string,
  blocks: () => string,
): RuleDraft[] {
  const days = (notAfter.getTime() - now.getTime()) / 86_400_000;
  if (days < 0)
    return [
      hookDraft(
        hook,
        'error',
        `${what} expired at ${goTime(notAfter)}: calls to the webhook fail with x509: certificate has expired or is not yet valid. ${blocks()}`,
        { field },
      ),
    ];
  if (days < EXPIRY_WARNING_DAYS)
    return [
      hookDraft(
        hook,
        'warning',
        `${what} expires at ${goTime(notAfter)}, in ${Math.floor(days)} days: then every call to the webhook fails. ${blocks()}`,
        { field },
      ),
    ];
  return [];
}

const webhookRbac: K8sRule = {
  meta: {
    id: 'k8s/webhook-rbac',
    link: 'cluster',
    title: "The webhook's service account may read credspecs and review access",
    looksAt:
      "The RBAC of the webhook Deployment's service account: get on windows.k8s.io/gmsacredentialspecs and create on authorization.k8s.io/localsubjectaccessreviews, cluster-wide.",
    why: "The webhook reads each named credspec and asks the API server whether the pod's service account may use it; without these permissions every gMSA pod is refused (`unable to retrieve the contents of cred spec ...`).",
    remediation: "Bind the webhook's service account to a ClusterRole with these rules, as the chart does.",
  },
  needs: ['mutatingwebhookconfigurations', 'services', 'clusterroles', 'clusterrolebindings'],
  check(ctx) {
    if (ctx.mode === 'lint' && ctx.items('clusterrolebindings').length === 0) return [];
    const seen = new Set<Workload>();
    return ctx.gmsaWebhooks().flatMap((hook) =>
      webhookWorkloads(ctx, hook).flatMap((w): RuleDraft[] => {
        if (seen.has(w)) return [];
        seen.add(w);
        const sa = serviceAccountOf(w);
        const user = serviceAccountUser(w.namespace, sa);
        const needs = [
          { verb: 'get', group: 'windows.k8s.io', resource: 'gmsacredentialspecs' },
          { verb: 'create', group: 'authorization.k8s.io', resource: 'localsubjectaccessreviews' },
        ];
        const missing = needs.filter((n) => !ctx.authorizer().authorize(user, n).allowed);
        if (missing.length === 0) return [];
        const names = missing.map((m) => `${m.verb} ${m.group}/${m.resource}`);
        return [
          {
            severity: ctx.mode === 'cluster' ? 'error' : 'warning',
            message: `the webhook's service account ${w.namespace}/${sa} lacks ${names.join(' and ')} (cluster-wide)${ctx.mode === 'lint' ? ' by the RBAC of the linted files' : ''}: every pod naming a credspec is refused (${missing[0]!.resource === 'gmsacredentialspecs' ? 'unable to retrieve the contents of cred spec NAME: ... is forbidden' : 'error when checking authz access: ... is forbidden'})`,
            about: w.item,
            field: `${w.podSpecPath}.serviceAccountName`,
            evidence: { user: user.name, missing: names },
            remediation: {
              text: 'Grant them:',
              commands: [
                `kubectl create clusterrole ${w.name}-gmsa --verb=get,use --resource=gmsacredentialspecs.windows.k8s.io`,
                `kubectl create clusterrole ${w.name}-lsar --verb=create --resource=localsubjectaccessreviews.authorization.k8s.io`,
                `kubectl create clusterrolebinding ${w.name}-gmsa --clusterrole=${w.name}-gmsa --serviceaccount=${w.namespace}:${sa}`,
                `kubectl create clusterrolebinding ${w.name}-lsar --clusterrole=${w.name}-lsar --serviceaccount=${w.namespace}:${sa}`,
              ],
            },
          },
        ];
      }),
    );
  },
  subjects: webhookSubjects,
};

const version: K8sRule = {
  meta: {
    id: 'k8s/webhook-version',
    link: null,
    title: "The webhook's version (GET /info)",
    looksAt: 'The webhook\'s `GET /info` answer ({"version": ...}), when the scan could reach it.',
    why: 'The version tells which options it has (the random hostname came with windows-gmsa#155, 2024) and what its messages mean.',
    remediation: 'kubectl -n NS port-forward svc/NAME 8443:443, then curl -k https://localhost:8443/info.',
  },
  needs: ['mutatingwebhookconfigurations'],
  mode: 'cluster',
  check(ctx) {
    const services = new Map(
      ctx
        .gmsaWebhooks()
        .filter((h) => h.service)
        .map((h) => [`${h.service!.namespace}/${h.service!.name}`, h]),
    );
    return [...services].map(([key, hook]): RuleDraft => {
      const info = ctx.model.webhookInfo?.get(key);
      if (info && !('unavailable' in info))
        return hookDraft(hook, 'info', `the webhook behind ${key} reports version ${info.version}`, {
          evidence: { version: info.version },
        });
      const why = info && 'unavailable' in info ? info.unavailable : 'not asked';
      return hookDraft(hook, 'skipped', `not checked: the webhook's /info behind ${key} could not be read (${why})`, {
        remediation: {
          text: 'Read it through a port-forward:',
          commands: [
            `kubectl -n ${hook.service!.namespace} port-forward svc/${hook.service!.name} 8443:${hook.service!.port}`,
            'curl -k https://localhost:8443/info',
          ],
        },
      });
    });
  },
  subjects: webhookSubjects,
};

export const WEBHOOK_RULES: readonly K8sRule[] = [
  installed,
  failurePolicy,
  ownNamespace,
  coversNamespace,
  service,
  linuxNode,
  certificate,
  webhookRbac,
  version,
];
