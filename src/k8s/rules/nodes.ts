/**
 * Windows nodes: build and patch level against the known gMSA issues, and the container runtime.
 */
import type { ManifestObject } from '../model.js';
import type { WindowsNodeFacts } from '../nodes.js';
import { releaseName, versionAtLeast, windowsNodeFacts } from '../nodes.js';
import type { K8sRule, RuleDraft } from '../rule.js';
import type { RuleContext } from '../context.js';

/** gMSA with containerd on Windows Server 2019 needs the March 2021 update KB5000822 (17763.1817). */
const KB5000822_UBR = 1817;
const SERVER_2019 = 17763;
/** HostProcess containers (gmsa-doctor's node checks run as one) need containerd 1.6 or later. */
const HOSTPROCESS_CONTAINERD = '1.6';

function windowsNodes(ctx: RuleContext): { item: ManifestObject; facts: WindowsNodeFacts }[] {
  return ctx.items('nodes').flatMap((item) => {
    const facts = windowsNodeFacts(item.object);
    return facts ? [{ item, facts }] : [];
  });
}

const nodeSubjects = (ctx: RuleContext) => ({ count: windowsNodes(ctx).length, noun: 'Windows nodes' });

const build: K8sRule = {
  meta: {
    id: 'k8s/node-windows-build',
    link: 'host',
    title: 'Windows nodes run a build without known gMSA issues',
    looksAt:
      'status.nodeInfo.kernelVersion (build and patch level, 10.0.17763.1339), the node.kubernetes.io/windows-build label, osImage and the container runtime of each Windows node.',
    why: 'gMSA with containerd on Windows Server 2019 needs 17763.1817 or later (KB5000822); builds before 17763 are not supported for Windows nodes; a windows-build label that disagrees with the kernel misleads every nodeSelector that uses it.',
    remediation:
      'Update the node image (AKS: az aks nodepool upgrade --node-image-only; EKS/GKE: a current Windows AMI/image), or install the cumulative update on the node.',
  },
  needs: ['nodes'],
  check(ctx) {
    return windowsNodes(ctx).flatMap(({ item, facts }): RuleDraft[] => {
      const evidence = {
        kernelVersion: facts.kernelVersion,
        osImage: facts.osImage,
        containerRuntimeVersion: facts.runtime?.raw,
        windowsBuildLabel: facts.labelBuild,
      };
      const about = { about: item, evidence };
      if (facts.build === undefined)
        return [
          {
            severity: 'skipped',
            message: `not checked: node ${facts.name} reports no Windows build (no status.nodeInfo.kernelVersion, no ${'node.kubernetes.io/windows-build'} label)`,
            ...about,
          },
        ];
      const out: RuleDraft[] = [];
      const release = releaseName(facts.build);
      if (facts.build < SERVER_2019)
        out.push({
          severity: 'error',
          message: `node ${facts.name} runs ${release} (build ${facts.build}): Kubernetes Windows nodes need Windows Server 2019 (17763) or later, and gMSA on older builds needs the container hostname to equal the gMSA name and one container per gMSA`,
          field: 'status.nodeInfo.kernelVersion',
          ...about,
        });
      if (facts.build === SERVER_2019 && facts.runtime?.name === 'containerd') {
        if (facts.ubr === undefined)
          out.push({
            severity: 'skipped',
            message: `not checked: node ${facts.name} runs containerd on Windows Server 2019 but its patch level is unknown (kernelVersion ${facts.kernelVersion ?? 'missing'}); gMSA there needs 17763.${KB5000822_UBR}+ (KB5000822)`,
            ...about,
          });
        else if (facts.ubr < KB5000822_UBR) {
          out.push({
            severity: 'error',
            message: `node ${facts.name} runs containerd on Windows Server 2019 build 17763.${facts.ubr}: gMSA with containerd needs 17763.${KB5000822_UBR} or later (KB5000822, March 2021); before it, containers do not get their gMSA`,
            field: 'status.nodeInfo.kernelVersion',
            ...about,
            remediation: {
              text: 'Update the node to a current Windows Server 2019 image (or install the latest cumulative update). For SMB by host name from gMSA containers, also set EnableCompartmentNamespace=1 on the node:',
              commands: [
                'az aks nodepool upgrade --resource-group RG --cluster-name CLUSTER --name POOL --node-image-only   # on AKS',
                'reg add "HKLM\\SYSTEM\\CurrentControlSet\\Services\\hns\\State" /v EnableCompartmentNamespace /t REG_DWORD /d 1 /f',
              ],
            },
          });
        }
      }
      if (facts.labelBuild !== undefined && facts.labelBuild !== facts.build) {
        out.push({
          severity: 'warning',
          message: `node ${facts.name} is labelled node.kubernetes.io/windows-build=10.0.${facts.labelBuild} but its kernel is build ${facts.build}: selectors on that label place pods by a wrong build`,
          field: 'metadata.labels',
          ...about,
        });
      }
      if (out.length === 0)
        out.push({
          severity: 'pass',
          message: `node ${facts.name}: ${release}, build ${facts.build}${facts.ubr !== undefined ? `.${facts.ubr}` : ''}, ${facts.runtime?.raw ?? 'runtime unknown'}`,
          ...about,
        });
      return out;
    });
  },
  subjects: nodeSubjects,
};

const runtime: K8sRule = {
  meta: {
    id: 'k8s/node-container-runtime',
    link: null,
    title: 'Windows nodes run containerd 1.6 or later',
    looksAt: 'status.nodeInfo.containerRuntimeVersion of each Windows node.',
    why: "HostProcess containers, which gmsa-doctor k8s --nodes uses to check each node, need containerd 1.6 or later (1.7 recommended) and do not run with Docker; containerd passes the pod's credential spec to the container (there is no gMSA setting in containerd itself).",
    remediation: 'Move the node pool to containerd 1.7 (a current node image).',
  },
  needs: ['nodes'],
  check(ctx) {
    return windowsNodes(ctx).flatMap(({ item, facts }): RuleDraft[] => {
      const r = facts.runtime;
      if (!r)
        return [
          { severity: 'skipped', message: `not checked: node ${facts.name} reports no container runtime`, about: item },
        ];
      if (r.name !== 'containerd')
        return [
          {
            severity: 'warning',
            message: `node ${facts.name} runs ${r.raw}, not containerd: HostProcess containers (and so gmsa-doctor k8s --nodes) do not run there`,
            about: item,
            field: 'status.nodeInfo.containerRuntimeVersion',
          },
        ];
      if (!versionAtLeast(r.version, HOSTPROCESS_CONTAINERD))
        return [
          {
            severity: 'warning',
            message: `node ${facts.name} runs containerd ${r.version}: HostProcess containers need containerd ${HOSTPROCESS_CONTAINERD} or later`,
            about: item,
            field: 'status.nodeInfo.containerRuntimeVersion',
          },
        ];
      return [];
    });
  },
  subjects: nodeSubjects,
};

export const NODE_RULES: readonly K8sRule[] = [build, runtime];
