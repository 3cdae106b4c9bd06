/**
 * The guide's "Known issues", as pure rules over the Windows build number, and what the known-issue checks share.
 * The rules are unit-tested over the whole build table.
 */
import { credspecIdentity } from '../../credspec/identity.js';
import { credentialSpecOf, usesCredentialSpec } from '../../credspec/container-spec.js';
import { isLinuxContainer } from '../container/_container.js';
import type { FactReader } from '../../engine/facts.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { ContainerFacts } from '../../facts/docker.js';
import { containerSubject } from '../../facts/subjects.js';

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

/** The build the containers run on: the host's registry, else what the Docker daemon reports. */
export function hostBuild(facts: FactReader<'host.windows' | 'docker.info'>): number | undefined {
  return facts.optional('host.windows')?.build ?? facts.optional('docker.info')?.build;
}

/** The gMSA a container runs as, from its credential spec (the file its security option names, or CRI contents). */
export function gmsaOfContainer(
  container: ContainerFacts,
  facts: FactReader<'credspec.documents'>,
): string | undefined {
  return credspecIdentity(credentialSpecOf(container, facts.optional('credspec.documents') ?? [])).gmsa;
}

/** The running Windows containers that use a credential spec (a Linux one never gets a gMSA). */
export function gmsaContainers(facts: FactReader<'container.inspect'>): ContainerFacts[] {
  return facts
    .each('container.inspect')
    .map(({ value }) => value)
    .filter((c) => c.running && usesCredentialSpec(c) && !isLinuxContainer(c));
}

export const NO_BUILD: FindingDraft = {
  severity: 'skipped',
  message: "Skipped: the Windows build is unknown (neither the host's Windows version nor docker info could be read).",
};

export function knownIssueFinding(
  issue: KnownIssue,
  message: string,
  container: ContainerFacts | undefined,
  subject: string,
  evidence: Record<string, unknown>,
  fix: { text: string; commands: string[] },
): FindingDraft {
  return {
    severity: 'error',
    message: `${message} ${issue.explanation}`,
    subject,
    ...(container ? { about: containerSubject(container.id) } : {}),
    evidence,
    remediation: fix,
  };
}
