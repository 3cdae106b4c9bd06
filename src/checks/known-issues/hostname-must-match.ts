import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { containerSubject } from '../../facts/subjects.js';
import {
  describeBuild,
  gmsaContainers,
  gmsaOfContainer,
  hostBuild,
  hostnameMustMatch,
  knownIssueFinding,
  NO_BUILD,
} from './_builds.js';

export default defineCheck({
  meta: {
    id: 'known-issues/hostname-must-match',
    title: 'Container hostname equals the gMSA name (before Windows Server 2019)',
    section: 'known-issues',
    link: 'container',
    fault: 'hostname-mismatch',
    looksAt:
      "The Windows build (registry CurrentBuildNumber or docker info), each gMSA container's Config.Hostname and the gMSA its credential spec names.",
    why: 'Before 17763, inbound NTLM and name/SID translation fail in a container whose hostname differs from its gMSA name.',
    remediation:
      'Start the container with --hostname <gMSA name> (no domain, no $), or move to Windows Server 2019 or later.',
  },
  needs: ['container.inspect'],
  uses: ['host.windows', 'docker.info', 'credspec.documents'],
  run(facts) {
    const build = hostBuild(facts);
    if (build === undefined) return [NO_BUILD];
    const issue = hostnameMustMatch(build);
    if (!issue)
      return [
        {
          severity: 'pass',
          message: `${describeBuild(build)} separates the container identity from its hostname: any hostname works.`,
        },
      ];
    const findings = gmsaContainers(facts).flatMap((c): FindingDraft[] => {
      const about = containerSubject(c.id);
      const gmsa = gmsaOfContainer(c, facts);
      if (!gmsa)
        return [
          {
            severity: 'skipped',
            subject: c.name,
            about,
            message: `Skipped for ${c.name}: its credential spec was not read, so its gMSA name is unknown.`,
          },
        ];
      if ((c.hostname ?? '').toLowerCase() === gmsa.toLowerCase())
        return [
          {
            severity: 'pass',
            subject: c.name,
            about,
            message: `${c.name}: hostname ${c.hostname ?? ''} equals the gMSA name.`,
          },
        ];
      return [
        knownIssueFinding(
          issue,
          `Container ${c.name} has hostname "${c.hostname ?? ''}", not its gMSA name "${gmsa}".`,
          c,
          c.name,
          { build, hostname: c.hostname, gmsa },
          {
            text: `Recreate the container with --hostname ${gmsa} (or move the host to Windows Server 2019 or later).`,
            commands: [
              `docker run --hostname ${gmsa} --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`,
            ],
          },
        ),
      ];
    });
    return findings.length > 0
      ? findings
      : [{ severity: 'pass', message: `No running container uses a gMSA on ${describeBuild(build)}.` }];
  },
});
