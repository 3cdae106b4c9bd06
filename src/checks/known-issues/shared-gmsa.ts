import { defineCheck } from '../../engine/check.js';
import type { ContainerFacts } from '../../facts/docker.js';
import { gmsaSubject } from '../../facts/subjects.js';
import {
  describeBuild,
  gmsaContainers,
  gmsaOfContainer,
  hostBuild,
  knownIssueFinding,
  NO_BUILD,
  sharedGmsaIntermittent,
} from './_builds.js';

const SHARED_GMSA_ISSUE = 'https://github.com/microsoft/Windows-Containers/issues/405';

export default defineCheck({
  meta: {
    id: 'known-issues/shared-gmsa',
    title: 'One gMSA is not used by several running containers at once (before Windows Server 2019)',
    section: 'known-issues',
    link: 'container',
    fault: 'gmsa-shared',
    looksAt: 'The gMSA of each running container (from its credential spec) and the Windows build.',
    why: "Before 17763, containers sharing a gMSA cancel each other's connection to the DC: intermittent authentication and trust failures. Later builds still lose a container's secure channel now and then (microsoft/Windows-Containers#405).",
    remediation: 'Give each simultaneous container its own gMSA, or move the host to Windows Server 2019 or later.',
  },
  needs: ['container.inspect'],
  uses: ['host.windows', 'docker.info', 'credspec.documents'],
  run(facts) {
    const build = hostBuild(facts);
    if (build === undefined) return [NO_BUILD];
    const issue = sharedGmsaIntermittent(build);
    const byGmsa = new Map<string, ContainerFacts[]>();
    for (const c of gmsaContainers(facts)) {
      const gmsa = gmsaOfContainer(c, facts)?.toLowerCase();
      if (gmsa) byGmsa.set(gmsa, [...(byGmsa.get(gmsa) ?? []), c]);
    }
    const shared = [...byGmsa].filter(([, list]) => list.length > 1);
    if (shared.length === 0)
      return [
        { severity: 'pass', message: `Each gMSA is used by at most one running container on ${describeBuild(build)}.` },
      ];
    const fix = (list: ContainerFacts[]) => ({
      text: issue
        ? 'Run one container per gMSA at a time (give the others their own gMSA), or move the host to Windows Server 2019 or later.'
        : `If a container loses its trust (nltest /sc_verify fails, NETLOGON 5720 names the gMSA), give each simultaneous container its own gMSA; follow ${SHARED_GMSA_ISSUE} for Microsoft's fix.`,
      commands: list.slice(1).map((c) => `docker stop ${c.name}`),
    });
    return shared.map(([gmsa, list]) => {
      const message = `gMSA ${gmsa} is used by ${list.length} running containers at once: ${list.map((c) => c.name).join(', ')}.`;
      const evidence = { build, containers: list.map((c) => c.name) };
      if (issue)
        return { ...knownIssueFinding(issue, message, undefined, gmsa, evidence, fix(list)), about: gmsaSubject(gmsa) };
      return {
        severity: 'warning' as const,
        subject: gmsa,
        about: gmsaSubject(gmsa),
        message: `${message} ${describeBuild(build)} fixed the race the guide describes, but containers sharing one gMSA still lose their secure channel now and then on Windows Server 2019 and 2022 (${SHARED_GMSA_ISSUE}).`,
        evidence,
        remediation: fix(list),
      };
    });
  },
});
