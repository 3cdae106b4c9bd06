// The rules on pods and pod templates that use a gMSA (src/k8s/rules/workloads.ts, shared.ts), on the windows-gmsa
// integration-test templates rendered with their test values, and copies of them changed the way users get them wrong.
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { goJson } from '../../../src/k8s/admission.js';
import type { K8sObject } from '../../../src/k8s/index.js';
import {
  clusterModel,
  findings,
  integrationContext,
  judgeCluster,
  lint,
  linuxNode,
  only,
  rendered,
  renderedCredspec,
  windowsNode,
} from './helpers.js';

const WINDOWS = ['nodeSelector:', '  kubernetes.io/os: windows'];
const deployment = (
  name = 'windows-gmsa__it-template__simple-with-gmsa.yml',
  values: Record<string, unknown> = {},
) => ({ file: name, text: rendered(name, { ExtraSpecLines: WINDOWS, ...values }) });
const lintWith = (...files: { file: string; text: string }[]) => lint([...files, ...integrationContext()]);

/** The same template with a change, as a user would write it (parsed and written back). */
function edited(
  name: string,
  change: (d: Record<string, any>) => void,
  values: Record<string, unknown> = {},
): { file: string; text: string } {
  const doc = parse(rendered(name, { ExtraSpecLines: WINDOWS, ...values })) as Record<string, any>;
  change(doc);
  return { file: name, text: stringify(doc) };
}

describe('k8s/credspec-exists', () => {
  it('passes for names that exist exactly', () => {
    expect(findings(lintWith(deployment()), 'k8s/credspec-exists', 'pass')).toHaveLength(1);
  });

  it("names the credspec that differs only by case, with the webhook's text", () => {
    const { text, file } = edited(
      'windows-gmsa__it-template__simple-with-gmsa.yml',
      (d) => (d.spec.template.spec.securityContext.windowsOptions.gmsaCredentialSpecName = 'gmsa-WebApp0'),
    );
    const f = only(lintWith({ file, text }), 'k8s/credspec-exists', 'error');
    expect(f.message).toContain('"gmsa-webapp0" exists, but names are compared exactly (case matters)');
    expect(f.message).toContain('it can never exist');
    expect(f.message).toContain(
      'admission webhook "admission-webhook.windows-gmsa.sigs.k8s.io" denied the request: cred spec gmsa-WebApp0 does not exist',
    );
    expect(f.location?.field).toBe('spec.template.spec.securityContext.windowsOptions.gmsaCredentialSpecName');
    expect(text.split('\n')[f.location!.line! - 1]).toMatch(/^\s+gmsaCredentialSpecName: gmsa-WebApp0$/);
  });

  it('suggests a near name for a typo, and says an unknown one does not exist', () => {
    const typo = only(
      lintWith(
        edited(
          'windows-gmsa__it-template__simple-with-gmsa.yml',
          (d) => (d.spec.template.spec.securityContext.windowsOptions.gmsaCredentialSpecName = 'gmsa-webap0'),
        ),
      ),
      'k8s/credspec-exists',
      'error',
    );
    expect(typo.message).toContain('did you mean "gmsa-webapp0"?');
    const unknown = only(
      lintWith({ file: 'u.yml', text: rendered('k8s-windows-gmsa__simple-with-unknown-gmsa.yml') }),
      'k8s/credspec-exists',
      'error',
    );
    expect(unknown.message).toContain('cred spec i-sure-dont-exist does not exist');
  });

  it('is not checked when no credspec is among the linted files, and says how to check it', () => {
    const f = only(lint([deployment()]), 'k8s/credspec-exists', 'skipped');
    expect(f.message).toMatch(/^not checked: .*no GMSACredentialSpec is among the linted files/);
  });

  it("judges every container's own name (several containers, one overriding with an unknown name)", () => {
    const j = lintWith(
      edited(
        'k8s-windows-gmsa__several-containers-with-gmsa.yml',
        (d) =>
          (d.spec.template.spec.containers[2].securityContext.windowsOptions.gmsaCredentialSpecName = 'gmsa-webapp9'),
      ),
    );
    const f = only(j, 'k8s/credspec-exists', 'error');
    expect(f.message).toMatch(/^container nginx2 names GMSACredentialSpec "gmsa-webapp9"/);
    expect(f.location?.field).toBe(
      'spec.template.spec.containers[2].securityContext.windowsOptions.gmsaCredentialSpecName',
    );
  });
});

describe('k8s/inline-contents-match and k8s/contents-without-name', () => {
  it('matching contents (other key order and spacing) pass, as the webhook compares JSON objects', () => {
    const j = lintWith(deployment('windows-gmsa__it-template__simple-with-pre-set-matching-contents.yml'));
    expect(findings(j, 'k8s/inline-contents-match', 'error')).toEqual([]);
  });

  it("contents of another credspec are refused with the webhook's text; the differing fields are named, not their values", () => {
    const f = only(
      lintWith({ file: 'x.yml', text: rendered('k8s-windows-gmsa__simple-with-pre-set-unmatching-contents.yml') }),
      'k8s/inline-contents-match',
      'error',
    );
    expect(f.message).toContain(
      'denied the request: the GMSA cred spec contents for pod "<name of each pod Deployment webapp creates>" does not match the contents of GMSA resource "gmsa-webapp0"',
    );
    expect(f.evidence?.differingFields).toEqual([
      'ActiveDirectoryConfig.GroupManagedServiceAccounts[0].Name',
      'ActiveDirectoryConfig.GroupManagedServiceAccounts[1].Name',
      'DomainJoinConfig.MachineAccountName',
      'DomainJoinConfig.Sid',
    ]);
    expect(JSON.stringify(f)).not.toContain('WebApplication1');
  });

  it('a bare pod is named in the text; a pod that got contents from the webhook in a cluster, then its credspec changed, is told to restart', () => {
    const credspec0 = parse(renderedCredspec('k8s-windows-gmsa__credspec-0.yml')) as K8sObject;
    const old = goJson({ ...(credspec0.credspec as object), CmsPlugins: ['ActiveDirectory', 'Other'] });
    const pod = parse(
      rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml', { CredSpecContent: old }),
    ) as K8sObject;
    const lintFinding = only(lintWith({ file: 'p.yml', text: stringify(pod) }), 'k8s/inline-contents-match', 'error');
    expect(lintFinding.message).toContain(
      'for pod "webapp" does not match the contents of GMSA resource "gmsa-webapp0"',
    );
    const owned = {
      ...pod,
      metadata: {
        ...pod.metadata,
        name: 'webapp-5d8f7b6c9-x2x4k',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'webapp-5d8f7b6c9', controller: true }],
      },
    };
    const f = only(judgeCluster(clusterModel([owned, credspec0])), 'k8s/inline-contents-match', 'warning');
    expect(f.message).toContain('the credspec changed after the pod was admitted');
    expect(f.remediation?.commands).toEqual(['kubectl -n web delete pod webapp-5d8f7b6c9-x2x4k']);
  });

  it('contents without a name are refused, at pod and at container level', () => {
    const pod = only(
      lintWith({ file: 'p.yml', text: rendered('k8s-windows-gmsa__simple-with-preset-gmsa-pod-level-contents.yml') }),
      'k8s/contents-without-name',
      'error',
    );
    expect(pod.message).toContain(
      'denied the request: pod "<name of each pod Deployment webapp creates>" has a GMSA cred spec set, but does not define the name of the corresponding resource',
    );
    const container = only(
      lintWith({
        file: 'c.yml',
        text: rendered('windows-gmsa__it-template__simple-with-preset-gmsa-container-level-contents.yml'),
      }),
      'k8s/contents-without-name',
      'error',
    );
    expect(container.message).toContain(
      'denied the request: container "nginx" has a GMSA cred spec set, but does not define the name of the corresponding resource',
    );
  });
});

describe('k8s/credspec-use-permitted', () => {
  it("passes when the ClusterRole is bound by a RoleBinding in the pod's namespace", () => {
    expect(findings(lintWith(deployment()), 'k8s/credspec-use-permitted', 'pass')).toHaveLength(1);
  });

  it('without the binding, says what the webhook answers, and how to grant it', () => {
    const files = [deployment(), ...integrationContext().filter((f) => !f.file.includes('sa-rbac-binding'))];
    const f = only(lint(files), 'k8s/credspec-use-permitted', 'warning');
    expect(f.message).toContain(
      'denied the request: service account "webapp-sa" is not authorized to `use` GMSA cred spec "gmsa-webapp0"',
    );
    expect(f.remediation?.commands).toEqual([
      'kubectl create clusterrole use-gmsa-webapp0 --verb=use --resource=gmsacredentialspecs.windows.k8s.io --resource-name=gmsa-webapp0',
      'kubectl -n web create rolebinding use-gmsa-webapp0 --clusterrole=use-gmsa-webapp0 --serviceaccount=web:webapp-sa',
      'kubectl auth can-i use gmsacredentialspecs.windows.k8s.io/gmsa-webapp0 -n web --as=system:serviceaccount:web:webapp-sa',
    ]);
  });

  it("a RoleBinding in another namespace does not count, and a cluster scan's access review decides over the RBAC objects", () => {
    const elsewhere = lint([
      deployment(),
      ...integrationContext().map((f) =>
        f.file.includes('sa-rbac-binding')
          ? { ...f, text: f.text.replace('namespace: web\nsubjects', 'namespace: other\nsubjects') }
          : f,
      ),
    ]);
    expect(findings(elsewhere, 'k8s/credspec-use-permitted', 'warning')).toHaveLength(1);
    const objects = [...integrationContext(), deployment()].map((f) => f.text);
    const denied = clusterModel(objects, {
      accessReviews: new Map([['web/webapp-sa/gmsa-webapp0', { allowed: false, reason: 'no RBAC policy matched' }]]),
    });
    const f = only(judgeCluster(denied), 'k8s/credspec-use-permitted', 'error');
    expect(f.message).toContain(
      'is not authorized to `use` GMSA cred spec "gmsa-webapp0", reason: "no RBAC policy matched"',
    );
    expect(f.evidence?.decidedBy).toBe('access review');
  });

  it('is not checked when the linted files hold no RBAC for credspecs', () => {
    expect(
      only(lint([deployment(), integrationContext()[1]!]), 'k8s/credspec-use-permitted', 'skipped').message,
    ).toContain('no Role or ClusterRole among the linted files grants anything on gmsacredentialspecs');
  });
});

describe('k8s/windows-nodes-only', () => {
  it('a nodeSelector or required affinity on kubernetes.io/os: windows passes', () => {
    expect(findings(lintWith(deployment()), 'k8s/windows-nodes-only', 'pass')).toHaveLength(1);
    const affinity = edited('windows-gmsa__it-template__simple-with-gmsa.yml', (d) => {
      delete d.spec.template.spec.nodeSelector;
      d.spec.template.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['windows'] }] },
            ],
          },
        },
      };
    });
    expect(findings(lintWith(affinity), 'k8s/windows-nodes-only', 'pass')).toHaveLength(1);
  });

  it('tolerations alone are not enough; in a cluster, the Linux nodes that would take the pod are named', () => {
    const tolerating = edited('windows-gmsa__it-template__simple-with-gmsa.yml', (d) => {
      delete d.spec.template.spec.nodeSelector;
      d.spec.template.spec.tolerations = [{ key: 'windows', operator: 'Equal', value: '2019', effect: 'NoSchedule' }];
    });
    const f = only(lintWith(tolerating), 'k8s/windows-nodes-only', 'warning');
    expect(f.message).toContain(
      "tolerates the Windows nodes' taints, which lets it onto them but does not keep it off Linux nodes",
    );
    expect(f.remediation?.commands).toEqual([
      `kubectl -n web patch deployment webapp -p '{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"windows"}}}}}'`,
    ]);
    const cluster = clusterModel([
      ...integrationContext().map((x) => x.text),
      tolerating.text,
      linuxNode('aks-nodepool1-12345678-vmss000000'),
      linuxNode('aks-system-1', { taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] }),
      windowsNode('akswin000000'),
    ]);
    const c = only(judgeCluster(cluster), 'k8s/windows-nodes-only', 'warning');
    expect(c.message).toContain('can be scheduled on 1 Linux node (aks-nodepool1-12345678-vmss000000)');
  });

  it('a gMSA pod pinned to Linux is an error', () => {
    const linux = edited(
      'windows-gmsa__it-template__simple-with-gmsa.yml',
      (d) => (d.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }),
    );
    expect(only(lintWith(linux), 'k8s/windows-nodes-only', 'error').message).toContain(
      'pinned to Linux nodes (nodeSelector kubernetes.io/os: linux)',
    );
  });
});

describe('k8s/shared-gmsa', () => {
  it('one replica passes; three replicas of one gMSA warn, name the random-hostname option, and the shared NetBIOS name', () => {
    expect(findings(lintWith(deployment()), 'k8s/shared-gmsa').filter((f) => f.severity !== 'pass')).toEqual([]);
    const three = edited('windows-gmsa__it-template__simple-with-gmsa.yml', (d) => (d.spec.replicas = 3));
    const f = only(lintWith(three), 'k8s/shared-gmsa', 'warning');
    expect(f.message).toContain('runs 3 replicas as gMSA webapplication0');
    expect(f.message).toContain('on every Windows build (NETLOGON 5720, microsoft/Windows-Containers#405)');
    expect(f.message).toContain(
      'Its pods are named webapp-<hash>-<id>: the first 15 characters, the NetBIOS computer name, are the same for all of them.',
    );
    expect(f.remediation?.commands?.[0]).toBe(
      'helm upgrade --reuse-values --set randomHostname=true RELEASE windows-gmsa/gmsa',
    );
  });

  it('a fixed hostname on several replicas defeats the random hostname', () => {
    const hostname = edited('windows-gmsa__it-template__simple-with-gmsa-hostname.yml', (d) => (d.spec.replicas = 2));
    expect(only(lintWith(hostname), 'k8s/shared-gmsa', 'warning').message).toContain(
      'Every pod of it sets hostname webapp',
    );
  });

  it('two workloads naming two credspecs of the same gMSA account share it too', () => {
    const twin = {
      file: 'twin.yml',
      text: renderedCredspec('k8s-windows-gmsa__credspec-0.yml').replace(
        'name: gmsa-webapp0',
        'name: gmsa-webapp0-twin',
      ),
    };
    const files = [
      deployment(),
      {
        ...edited('windows-gmsa__it-template__simple-with-gmsa.yml', (d) => {
          d.metadata.name = 'webapp-b';
          d.spec.template.spec.securityContext.windowsOptions.gmsaCredentialSpecName = 'gmsa-webapp0-twin';
        }),
        file: 'b.yml',
      },
      twin,
    ];
    const shared = findings(lintWith(...files), 'k8s/shared-gmsa', 'warning');
    expect(shared.map((f) => f.subject).sort()).toEqual(['web/Deployment/webapp', 'web/Deployment/webapp-b']);
  });

  it('in a cluster, the running pods of a Deployment are counted, with their shared NetBIOS name', () => {
    const credspec0 = renderedCredspec('k8s-windows-gmsa__credspec-0.yml');
    const deploy = parse(deployment().text) as K8sObject;
    const replicaSet = {
      ...deploy,
      kind: 'ReplicaSet',
      metadata: {
        ...deploy.metadata,
        name: 'webapp-5d8f7b6c9',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'webapp', controller: true }],
      },
    };
    const pods = [1, 2, 3].map((i) => {
      const pod = parse(
        rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml', {
          CredSpecContent: goJson((parse(credspec0) as K8sObject).credspec),
        }),
      ) as K8sObject;
      return {
        ...pod,
        metadata: {
          ...pod.metadata,
          name: `webapp-5d8f7b6c9-x${i}x4k`,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'webapp-5d8f7b6c9', controller: true }],
        },
        status: { phase: 'Running' },
      };
    });
    const f = only(judgeCluster(clusterModel([credspec0, deploy, replicaSet, ...pods])), 'k8s/shared-gmsa', 'warning');
    expect(f.subject).toBe('web/Deployment/webapp');
    expect(f.message).toContain('runs 3 replicas as gMSA webapplication0');
    expect(f.evidence).toMatchObject({ pods: 3, sameNetbiosName: ['WEBAPP-5D8F7B6C'] });
  });
});

describe('k8s/contents-injected, k8s/alpha-annotations, k8s/windows-options-keys, k8s/service-account-exists', () => {
  it('a running pod with a name but no contents was not mutated by the webhook', () => {
    const pod = parse(rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml')) as K8sObject;
    const f = only(
      judgeCluster(clusterModel([pod, renderedCredspec('k8s-windows-gmsa__credspec-0.yml')])),
      'k8s/contents-injected',
      'error',
    );
    expect(f.message).toContain('the mutating webhook did not admit it, so its containers run without the gMSA');
    const admitted = parse(
      rendered('windows-gmsa__it-template__single-pod-with-gmsa.yml', {
        CredSpecContent: '{"CmsPlugins":["ActiveDirectory"]}',
      }),
    ) as K8sObject;
    expect(findings(judgeCluster(clusterModel([admitted])), 'k8s/contents-injected', 'error')).toEqual([]);
  });

  it("the alpha annotations (windows-gmsa's old integration tests) give no gMSA", () => {
    const annotated = edited(
      'windows-gmsa__it-template__simple-without-gmsa.yml',
      (d) =>
        (d.spec.template.metadata.annotations = {
          'pod.alpha.windows.kubernetes.io/gmsa-credential-spec-name': 'gmsa-webapp0',
        }),
    );
    const f = only(lintWith(annotated), 'k8s/alpha-annotations', 'error');
    expect(f.message).toContain(
      'carries the alpha annotation pod.alpha.windows.kubernetes.io/gmsa-credential-spec-name, which nothing reads any more',
    );
  });

  it('a misspelled windowsOptions key is named with its right spelling', () => {
    const typo = edited('windows-gmsa__it-template__simple-with-container-level-gmsa.yml', (d) => {
      const options = d.spec.template.spec.containers[0].securityContext.windowsOptions;
      options.gmsaCredentialSpecname = options.gmsaCredentialSpecName;
      delete options.gmsaCredentialSpecName;
    });
    const f = only(lintWith(typo), 'k8s/windows-options-keys', 'error');
    expect(f.message).toContain(
      'unknown key gmsaCredentialSpecname in windowsOptions: did you mean gmsaCredentialSpecName?',
    );
  });

  it('a service account that does not exist is refused before the webhook is asked', () => {
    const objects = [deployment().text, renderedCredspec('k8s-windows-gmsa__credspec-0.yml')];
    const f = only(judgeCluster(clusterModel(objects)), 'k8s/service-account-exists', 'error');
    expect(f.message).toContain('serviceaccount "webapp-sa" not found');
    expect(
      findings(
        judgeCluster(clusterModel([...objects, rendered('windows-gmsa__it-template__service-account.yml')])),
        'k8s/service-account-exists',
        'pass',
      ),
    ).toHaveLength(1);
  });
});

describe('k8s/hyperv-isolation', () => {
  it('a Hyper-V RuntimeClass on Windows Server 2019 nodes is an error, on 2022 it is not', () => {
    const runtimeClass = {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'windows-hyperv' },
      handler: 'runhcs-wcow-hypervisor',
      scheduling: { nodeSelector: { 'kubernetes.io/os': 'windows' } },
    };
    const pod = edited(
      'windows-gmsa__it-template__simple-with-gmsa.yml',
      (d) => (d.spec.template.spec.runtimeClassName = 'windows-hyperv'),
    ).text;
    const old = only(
      judgeCluster(clusterModel([pod, runtimeClass, windowsNode('akswin000000', '10.0.17763.5936')])),
      'k8s/hyperv-isolation',
      'error',
    );
    expect(old.message).toContain('akswin000000 (build 17763)');
    expect(
      findings(
        judgeCluster(clusterModel([pod, runtimeClass, windowsNode('akswin000001', '10.0.20348.2527')])),
        'k8s/hyperv-isolation',
        'error',
      ),
    ).toEqual([]);
  });
});
