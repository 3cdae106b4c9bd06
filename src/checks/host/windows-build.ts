import { defineCheck } from '../../engine/check.js';
import { describeBuild, hostnameMustMatch, hypervIsolationBroken } from '../known-issues/_builds.js';

function versionLabel(build: number, ubr?: number): string {
  return ubr === undefined ? describeBuild(build) : `${describeBuild(build)}, UBR ${ubr} (10.0.${build}.${ubr})`;
}

export default defineCheck({
  meta: {
    id: 'host/windows-build',
    title: 'Windows build of the container host',
    section: 'known-issues',
    link: 'host',
    looksAt:
      'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion: CurrentBuildNumber, UBR, ProductName (or the build docker info reports).',
    why: 'The known issues (hostname, shared gMSA, Hyper-V isolation) depend on the build; 17763 (Windows Server 2019) and later have none of them.',
    remediation: 'Prefer Windows Server 2019 (17763) or later container hosts.',
  },
  needs: [],
  uses: ['host.windows', 'docker.info'],
  run(facts) {
    const host = facts.optional('host.windows');
    const build = host?.build ?? facts.optional('docker.info')?.build;
    if (build === undefined)
      return [
        {
          severity: 'skipped',
          message:
            "Skipped: the Windows build is unknown (neither the host's Windows version nor docker info could be read).",
        },
      ];
    const label = versionLabel(build, host?.ubr ?? facts.optional('docker.info')?.ubr);
    const issues = [hostnameMustMatch(build), hypervIsolationBroken(build)].filter((i) => i !== undefined);
    const evidence = { build, ...(host?.productName ? { productName: host.productName } : {}) };
    if (issues.length === 0)
      return [{ severity: 'pass', message: `${label}: none of the guide's known issues applies.`, evidence }];
    return [
      {
        severity: 'info',
        message: `${label}: known issues apply: ${issues.map((i) => i.title).join('; ')}.`,
        evidence,
      },
    ];
  },
});
