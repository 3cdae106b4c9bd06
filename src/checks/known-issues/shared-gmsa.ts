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

export default defineCheck({
  meta: {
    id: 'known-issues/shared-gmsa',
    title: 'One gMSA is not used by several running containers at once (before Windows Server 2019)',
    section: 'known-issues',
    link: 'container',
    fault: 'gmsa-shared',
    looksAt: 'The gMSA of each running container (from its credential spec) and the Windows build.',
    why: "Before 17763, containers sharing a gMSA cancel each other's connection to the DC: intermittent authentication and trust failures.",
    remediation: 'Give each simultaneous container its own gMSA, or move the host to Windows Server 2019 or later.',
  },
  needs: ['container.inspect'],
  uses: ['host.windows', 'docker.info', 'credspec.documents'],
  run(facts) {
    const build = hostBuild(facts);
    if (build === undefined) return [NO_BUILD];
    const issue = sharedGmsaIntermittent(build);
    if (!issue)
      return [
        { severity: 'pass', message: `${describeBuild(build)} lets several containers use one gMSA at the same time.` },
      ];
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
    return shared.map(([gmsa, list]) => ({
      ...knownIssueFinding(
        issue,
        `gMSA ${gmsa} is used by ${list.length} running containers at once: ${list.map((c) => c.name).join(', ')}.`,
        undefined,
        gmsa,
        { build, containers: list.map((c) => c.name) },
        {
          text: 'Run one container per gMSA at a time (give the others their own gMSA), or move the host to Windows Server 2019 or later.',
          commands: list.slice(1).map((c) => `docker stop ${c.name}`),
        },
      ),
      about: gmsaSubject(gmsa),
    }));
  },
});
