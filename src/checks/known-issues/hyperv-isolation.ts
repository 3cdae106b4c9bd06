import { defineCheck } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { ContainerFacts } from '../../facts/docker.js';
import {
  describeBuild,
  gmsaContainers,
  hostBuild,
  hypervIsolationBroken,
  knownIssueFinding,
  NO_BUILD,
} from './_builds.js';

function effectiveIsolation(container: ContainerFacts, facts: FactReader<'docker.info'>): string | undefined {
  const own = container.isolation;
  if (own && own !== 'default') return own;
  return facts.optional('docker.info')?.defaultIsolation ?? own;
}

export default defineCheck({
  meta: {
    id: 'known-issues/hyperv-isolation',
    title: 'No Hyper-V isolated gMSA container on 1703, 1709 or 1803',
    section: 'known-issues',
    link: 'container',
    fault: 'hyperv-isolation-unsupported',
    looksAt: "HostConfig.Isolation of each gMSA container (or the daemon's default isolation) and the Windows build.",
    why: 'On 1703, 1709 and 1803, a Hyper-V isolated container with a gMSA hangs or fails at start.',
    remediation: 'Use --isolation process, or a host on Windows Server 2019 or later (1607 also works).',
  },
  needs: ['container.inspect'],
  uses: ['host.windows', 'docker.info'],
  run(facts) {
    const build = hostBuild(facts);
    if (build === undefined) return [NO_BUILD];
    const issue = hypervIsolationBroken(build);
    if (!issue)
      return [{ severity: 'pass', message: `${describeBuild(build)} supports gMSAs in Hyper-V isolated containers.` }];
    const hyperv = gmsaContainers(facts).filter((c) => effectiveIsolation(c, facts) === 'hyperv');
    if (hyperv.length === 0)
      return [{ severity: 'pass', message: `No gMSA container uses Hyper-V isolation on ${describeBuild(build)}.` }];
    return hyperv.map((c) =>
      knownIssueFinding(
        issue,
        `Container ${c.name} uses Hyper-V isolation with a gMSA.`,
        c,
        c.name,
        { build, isolation: effectiveIsolation(c, facts) },
        {
          text: 'Recreate the container with process isolation (or move the host to Windows Server 2019 or later).',
          commands: [
            `docker run --isolation process --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`,
          ],
        },
      ),
    );
  },
});
