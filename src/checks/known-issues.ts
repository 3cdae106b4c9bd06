import type { Check } from '../engine/check.js';
import { defineCheck } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import { credspecIdentity } from '../credspec/identity.js';
import { specDocumentFor } from '../credspec/security-opt.js';
import type { ContainerFacts } from '../facts/docker.js';

/**
 * The guide's "Known issues", as pure rules over the Windows build number. Host and container checks use them;
 * they are unit-tested over the whole build table.
 */
export interface WindowsRelease {
  build: number;
  /** Marketing version, e.g. 1809. */
  version: string;
  names: string[];
}

export const WINDOWS_RELEASES: readonly WindowsRelease[] = [
  { build: 14393, version: '1607', names: ['Windows Server 2016', 'Windows 10 1607'] },
  { build: 15063, version: '1703', names: ['Windows 10 1703'] },
  { build: 16299, version: '1709', names: ['Windows Server 1709', 'Windows 10 1709'] },
  { build: 17134, version: '1803', names: ['Windows Server 1803', 'Windows 10 1803'] },
  { build: 17763, version: '1809', names: ['Windows Server 2019', 'Windows 10 1809'] },
  { build: 18362, version: '1903', names: ['Windows Server 1903', 'Windows 10 1903'] },
  { build: 18363, version: '1909', names: ['Windows Server 1909', 'Windows 10 1909'] },
  { build: 19041, version: '2004', names: ['Windows Server 2004', 'Windows 10 2004'] },
  { build: 19042, version: '20H2', names: ['Windows Server 20H2', 'Windows 10 20H2'] },
  { build: 19044, version: '21H2', names: ['Windows 10 21H2'] },
  { build: 19045, version: '22H2', names: ['Windows 10 22H2'] },
  { build: 20348, version: '21H2', names: ['Windows Server 2022'] },
  { build: 22000, version: '21H2', names: ['Windows 11 21H2'] },
  { build: 22621, version: '22H2', names: ['Windows 11 22H2'] },
  { build: 22631, version: '23H2', names: ['Windows 11 23H2'] },
  { build: 25398, version: '23H2', names: ['Windows Server 23H2'] },
  { build: 26100, version: '24H2', names: ['Windows Server 2025', 'Windows 11 24H2'] },
];

/** The release a build belongs to: the newest release whose build is at most this one (servicing builds share it). */
export function releaseOf(build: number): WindowsRelease | undefined {
  let found: WindowsRelease | undefined;
  for (const release of WINDOWS_RELEASES) if (release.build <= build) found = release;
  return found;
}

export function describeBuild(build: number): string {
  const release = releaseOf(build);
  if (!release) return `build ${build}`;
  return release.build === build
    ? `build ${build} (${release.names.join(' / ')})`
    : `build ${build} (after ${release.names[0]})`;
}

/** Windows Server 2019 / 1809: the container identity is separated from the host name. */
export const FIRST_FIXED_BUILD = 17763;

export interface KnownIssue {
  id: 'hostname-must-match' | 'shared-gmsa' | 'hyperv-isolation';
  title: string;
  explanation: string;
}

/** Before 1809 the container's hostname must equal the gMSA's SAM account name, or NTLM and name/SID lookups fail. */
export function hostnameMustMatch(build: number): KnownIssue | undefined {
  if (build >= FIRST_FIXED_BUILD) return undefined;
  return {
    id: 'hostname-must-match',
    title: 'Container hostname must match the gMSA name',
    explanation: `On ${describeBuild(build)} the container's hostname must equal the gMSA's SAM account name: otherwise inbound NTLM and name/SID translation fail (Kerberos keeps working). Fixed in Windows Server 2019 (17763).`,
  };
}

/** Before 1809 several containers using one gMSA at once cancel each other's secure channel. */
export function sharedGmsaIntermittent(build: number): KnownIssue | undefined {
  if (build >= FIRST_FIXED_BUILD) return undefined;
  return {
    id: 'shared-gmsa',
    title: 'One gMSA in several containers fails intermittently',
    explanation: `On ${describeBuild(build)} containers sharing one gMSA (and so one hostname) race at the domain controller: each new connection cancels the previous container's, giving intermittent authentication and trust failures. Fixed in Windows Server 2019 (17763).`,
  };
}

const HYPERV_BROKEN_BUILDS = new Set([15063, 16299, 17134]);

/** On 1703, 1709 and 1803 a Hyper-V isolated container with a gMSA hangs or fails at start (1607 and 1809+ work). */
export function hypervIsolationBroken(build: number): KnownIssue | undefined {
  const release = releaseOf(build);
  if (!release || !HYPERV_BROKEN_BUILDS.has(release.build)) return undefined;
  return {
    id: 'hyperv-isolation',
    title: 'gMSA with Hyper-V isolation does not work on this build',
    explanation: `On ${describeBuild(build)} container initialisation hangs or fails when a Hyper-V isolated container uses a gMSA. Use process isolation, or a host on Windows Server 2019 (17763) or later; 1607 also works.`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The checks: the rules above applied to the host's build and the running containers.

/** The build the containers run on: the host's registry, else what the Docker daemon reports. */
export function hostBuild(facts: FactReader): number | undefined {
  return facts.optional('host.windows')?.build ?? facts.optional('docker.info')?.build;
}

/** The gMSA a container runs as, from the credential spec its security option names. */
export function gmsaOfContainer(container: ContainerFacts, facts: FactReader): string | undefined {
  return credspecIdentity(specDocumentFor(container, facts.optional('credspec.documents') ?? [])?.spec).gmsa;
}

function gmsaContainers(facts: FactReader): ContainerFacts[] {
  return facts.get('docker.containers').filter((c) => c.running && c.credentialSpecOption !== undefined);
}

const NO_BUILD: FindingDraft = {
  severity: 'skipped',
  message: 'Skipped: the Windows build is unknown (neither host.windows nor docker.info was gathered).',
};

function knownIssueFinding(issue: KnownIssue, message: string, subject: string, evidence: Record<string, unknown>, fix: { text: string; commands: string[] }): FindingDraft {
  return { severity: 'error', message: `${message} ${issue.explanation}`, subject, evidence, remediation: fix };
}

const hostnameCheck: Check = defineCheck({
  meta: {
    id: 'known-issues/hostname-must-match',
    title: 'Container hostname equals the gMSA name (before Windows Server 2019)',
    section: 'known-issues',
    looksAt: 'The Windows build (registry CurrentBuildNumber or docker info), each gMSA container\'s Config.Hostname and the gMSA its credential spec names.',
    why: 'Before 17763, inbound NTLM and name/SID translation fail in a container whose hostname differs from its gMSA name.',
    remediation: 'Start the container with --hostname <gMSA name> (no domain, no $), or move to Windows Server 2019 or later.',
  },
  needs: ['docker.containers'],
  uses: ['host.windows', 'docker.info', 'credspec.documents'],
  run(facts) {
    const build = hostBuild(facts);
    if (build === undefined) return [NO_BUILD];
    const issue = hostnameMustMatch(build);
    const containers = gmsaContainers(facts);
    if (!issue) return [{ severity: 'pass', message: `${describeBuild(build)} separates the container identity from its hostname: any hostname works.` }];
    const findings = containers.flatMap((c): FindingDraft[] => {
      const gmsa = gmsaOfContainer(c, facts);
      if (!gmsa) return [{ severity: 'skipped', subject: c.name, message: `Skipped for ${c.name}: its credential spec was not read, so its gMSA name is unknown.` }];
      if ((c.hostname ?? '').toLowerCase() === gmsa.toLowerCase()) return [{ severity: 'pass', subject: c.name, message: `${c.name}: hostname ${c.hostname ?? ''} equals the gMSA name.` }];
      return [
        knownIssueFinding(issue, `Container ${c.name} has hostname "${c.hostname ?? ''}", not its gMSA name "${gmsa}".`, c.name, { build, hostname: c.hostname, gmsa }, {
          text: `Recreate the container with --hostname ${gmsa} (or move the host to Windows Server 2019 or later).`,
          commands: [`docker run --hostname ${gmsa} --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`],
        }),
      ];
    });
    return findings.length > 0 ? findings : [{ severity: 'pass', message: `No running container uses a gMSA on ${describeBuild(build)}.` }];
  },
});

const sharedGmsaCheck: Check = defineCheck({
  meta: {
    id: 'known-issues/shared-gmsa',
    title: 'One gMSA is not used by several running containers at once (before Windows Server 2019)',
    section: 'known-issues',
    looksAt: 'The gMSA of each running container (from its credential spec) and the Windows build.',
    why: 'Before 17763, containers sharing a gMSA cancel each other\'s connection to the DC: intermittent authentication and trust failures.',
    remediation: 'Give each simultaneous container its own gMSA, or move the host to Windows Server 2019 or later.',
  },
  needs: ['docker.containers'],
  uses: ['host.windows', 'docker.info', 'credspec.documents'],
  run(facts) {
    const build = hostBuild(facts);
    if (build === undefined) return [NO_BUILD];
    const issue = sharedGmsaIntermittent(build);
    if (!issue) return [{ severity: 'pass', message: `${describeBuild(build)} lets several containers use one gMSA at the same time.` }];
    const byGmsa = new Map<string, ContainerFacts[]>();
    for (const c of gmsaContainers(facts)) {
      const gmsa = gmsaOfContainer(c, facts)?.toLowerCase();
      if (gmsa) byGmsa.set(gmsa, [...(byGmsa.get(gmsa) ?? []), c]);
    }
    const shared = [...byGmsa].filter(([, list]) => list.length > 1);
    if (shared.length === 0) return [{ severity: 'pass', message: `Each gMSA is used by at most one running container on ${describeBuild(build)}.` }];
    return shared.map(([gmsa, list]) =>
      knownIssueFinding(issue, `gMSA ${gmsa} is used by ${list.length} running containers at once: ${list.map((c) => c.name).join(', ')}.`, gmsa, { build, containers: list.map((c) => c.name) }, {
        text: 'Run one container per gMSA at a time (give the others their own gMSA), or move the host to Windows Server 2019 or later.',
        commands: list.slice(1).map((c) => `docker stop ${c.name}`),
      }),
    );
  },
});

function effectiveIsolation(container: ContainerFacts, facts: FactReader): string | undefined {
  const own = container.isolation;
  if (own && own !== 'default') return own;
  return facts.optional('docker.info')?.defaultIsolation ?? own;
}

const hypervCheck: Check = defineCheck({
  meta: {
    id: 'known-issues/hyperv-isolation',
    title: 'No Hyper-V isolated gMSA container on 1703, 1709 or 1803',
    section: 'known-issues',
    looksAt: 'HostConfig.Isolation of each gMSA container (or the daemon\'s default isolation) and the Windows build.',
    why: 'On 1703, 1709 and 1803, a Hyper-V isolated container with a gMSA hangs or fails at start.',
    remediation: 'Use --isolation process, or a host on Windows Server 2019 or later (1607 also works).',
  },
  needs: ['docker.containers'],
  uses: ['host.windows', 'docker.info'],
  run(facts) {
    const build = hostBuild(facts);
    if (build === undefined) return [NO_BUILD];
    const issue = hypervIsolationBroken(build);
    if (!issue) return [{ severity: 'pass', message: `${describeBuild(build)} supports gMSAs in Hyper-V isolated containers.` }];
    const hyperv = gmsaContainers(facts).filter((c) => effectiveIsolation(c, facts) === 'hyperv');
    if (hyperv.length === 0) return [{ severity: 'pass', message: `No gMSA container uses Hyper-V isolation on ${describeBuild(build)}.` }];
    return hyperv.map((c) =>
      knownIssueFinding(issue, `Container ${c.name} uses Hyper-V isolation with a gMSA.`, c.name, { build, isolation: effectiveIsolation(c, facts) }, {
        text: 'Recreate the container with process isolation (or move the host to Windows Server 2019 or later).',
        commands: [`docker run --isolation process --security-opt "${c.credentialSpecOption ?? ''}" ${c.image ?? '<image>'}`],
      }),
    );
  },
});

export const KNOWN_ISSUE_CHECKS: readonly Check[] = [hostnameCheck, sharedGmsaCheck, hypervCheck];
