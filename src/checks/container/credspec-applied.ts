import { specSourceText, usesCredentialSpec } from '../../credspec/container-spec.js';
import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { NltestStatus } from '../../protocol/parsers/nltest.js';
import { NO_IDENTITY, firstError, linuxSkip, nltestOf, statusLine, containerText } from './_container.js';

/** A container known from a paste: nltest /query inside says whether it got a gMSA identity at all. */
function pastedIdentity(
  name: string,
  status: NltestStatus | undefined,
  evidence: Record<string, unknown>,
): FindingDraft[] {
  if (!status || !NO_IDENTITY.has(status.code))
    return [
      {
        severity: 'skipped',
        subject: name,
        message: `Skipped: the paste does not show how ${name} was started, nor an nltest /query inside it that fails.`,
      },
    ];
  return [
    {
      severity: 'error',
      subject: name,
      message: `Inside ${name}, nltest /query answers ${status.code} ${status.name}: the container has no gMSA identity at all. It was started without a credential spec (the tool that started it dropped --security-opt credentialspec=..., or the pod names no gmsaCredentialSpecName), or CCG could not apply it (then the host's CCG events say why).`,
      evidence,
      remediation: {
        text: 'See how the container was started: its SecurityOpt (Docker) or its securityContext.windowsOptions (Kubernetes).',
        commands: [
          `docker inspect --format "{{json .HostConfig.SecurityOpt}}" ${name === 'the container' ? '<container>' : name}`,
          "kubectl get pod <pod> -o jsonpath='{.spec.securityContext.windowsOptions}'",
        ],
      },
    },
  ];
}

export default defineCheck({
  meta: {
    id: 'container/credspec-applied',
    title: 'The container runs with a credential spec',
    section: 'container',
    link: 'container',
    fault: 'credspec-not-applied',
    looksAt:
      'HostConfig.SecurityOpt (credentialspec=...) in the inspect data (containerd: the CRI credential_spec in `crictl inspect`), and `nltest /query` inside the container.',
    why: 'Without a credential spec the container has no gMSA identity: nltest answers RPC_S_SERVER_UNAVAILABLE (1722) or ERROR_NO_TRUST_LSA_SECRET (1786) and every domain call fails.',
    remediation:
      'Start the container with --security-opt "credentialspec=file://NAME.json" (Kubernetes: securityContext.windowsOptions.gmsaCredentialSpecName).',
  },
  subject: 'container',
  needs: ['container.inspect'],
  uses: ['container.exec'],
  run(facts) {
    const c = facts.get('container.inspect');
    const linux = linuxSkip(c);
    if (linux) return linux;
    const status = firstError(nltestOf(facts.optional('container.exec')?.query));
    const evidence = {
      ...(c.runtime === 'containerd' ? { runtime: 'containerd' } : { securityOpt: c.securityOpt }),
      ...(status ? { nltestQuery: statusLine(status) } : {}),
    };
    if (c.seen === 'paste' && !c.shown?.includes('SecurityOpt')) return pastedIdentity(c.name, status, evidence);
    if (!usesCredentialSpec(c)) {
      if (c.runtime === 'containerd')
        return [
          {
            severity: 'error',
            subject: c.name,
            message: `${containerText(c)} was started without a credential spec (the CRI gave containerd no credential_spec): it has no gMSA identity${status ? `, and nltest /query inside answers ${status.code} ${status.name}` : ''}.`,
            evidence,
            remediation: {
              text: 'Name the GMSACredentialSpec in the pod (or container) securityContext.windowsOptions.gmsaCredentialSpecName, with the windows-gmsa webhook installed to fill in its contents, and recreate the pod.',
              commands: c.pod
                ? [
                    `kubectl -n ${c.pod.namespace} get pod ${c.pod.name} -o jsonpath='{.spec.securityContext.windowsOptions}'`,
                  ]
                : [],
            },
          },
        ];
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `${containerText(c)} was started without a credential spec (HostConfig.SecurityOpt has no credentialspec=): it has no gMSA identity${status ? `, and nltest /query inside answers ${status.code} ${status.name}` : ''}.`,
          evidence,
          remediation: {
            text: 'Recreate the container with the credential spec.',
            commands: [
              `docker run --security-opt "credentialspec=file://<gmsa>.json" --hostname <gmsa> ${c.image ?? '<image>'}`,
            ],
          },
        },
      ];
    }
    if (status && NO_IDENTITY.has(status.code)) {
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `${containerText(c)} names ${specSourceText(c)}, but inside it nltest /query answers ${status.code} ${status.name}: the gMSA identity was not applied (CCG could not get it: see the host checks and the CCG events).`,
          evidence,
        },
      ];
    }
    return [
      {
        severity: 'pass',
        subject: c.name,
        message: `${containerText(c)} runs with ${specSourceText(c)}.`,
        evidence,
      },
    ];
  },
});
