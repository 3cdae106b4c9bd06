/**
 * What `gmsa-doctor check` finds by itself on a Windows container host: Docker, the credential specs in
 * <DockerRootDir>\CredentialSpecs, the running containers, the host's domain and the gMSAs in use. The facts
 * gathered here are kept for the main run (their probes are not run twice) and fill in the options the other
 * check families plan from.
 */
import path from 'node:path';
import { defineCheck } from '../engine/check.js';
import { FactStore } from '../engine/facts.js';
import type { FactKey } from '../engine/facts.js';
import type { CheckOptions, Plan } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import { run } from '../engine/runner.js';
import { gmsasOf } from '../credspec/identity.js';
import { credentialSpecFileOf } from '../credspec/security-opt.js';
import type { CommandRunner } from './commands.js';
import { ProcessRunner } from './commands.js';
import { containerExecProbe } from './containers.js';
import { readCredSpecFiles } from './credspec-files.js';
import { dockerEngineProbe, inspectFilesProbe } from './docker.js';
import { ccgPluginsProbe, credentialSpecsFolderProbe, hostCommandsProbe, windowsHostProbe } from './windows-host.js';

export interface HostEnvironment {
  /** Windows host: run Windows commands and discover. Default: process.platform === 'win32'. */
  windows: boolean;
  /** A Docker daemon to ask (on Windows, or wherever DOCKER_HOST is set). */
  docker: boolean;
  runner: CommandRunner;
}

export function currentEnvironment(): HostEnvironment {
  const windows = process.platform === 'win32';
  return { windows, docker: windows || Boolean(process.env.DOCKER_HOST), runner: new ProcessRunner() };
}

/** Runs the probes for `keys` alone (a run whose only check uses those facts and judges nothing). */
export async function gather(keys: readonly FactKey[], probes: Probe[], store: FactStore, timeoutMs: number): Promise<void> {
  const collector = defineCheck({
    meta: { id: 'discovery/collect', title: 'discovery', section: 'known-issues', looksAt: '', why: '', remediation: '' },
    needs: [],
    uses: keys,
    run: () => [],
  });
  await run({ checks: [collector], probes, facts: store, timeoutMs });
}

function withoutDuplicates(list: readonly string[]): string[] {
  return [...new Map(list.map((item) => [item.toLowerCase(), item])).values()];
}

export interface Discovered {
  options: CheckOptions;
  facts: FactStore;
  /** Other gMSAs the running containers use, besides options.gmsa: their accounts are judged too. */
  otherGmsas: string[];
}

/** Discovers the host (Windows only) and returns the completed options and the facts already gathered. */
export async function discoverHost(options: CheckOptions, env: HostEnvironment): Promise<Discovered> {
  const facts = new FactStore();
  if (!env.windows) return { options, facts, otherGmsas: [] };
  const probes: Probe[] = [windowsHostProbe(env.runner), credentialSpecsFolderProbe()];
  probes.push(options.inspect.length > 0 ? inspectFilesProbe(options.inspect, options.containers) : dockerEngineProbe({ containers: options.containers }));
  await gather(['host.windows', 'docker.info', 'docker.containers', 'host.credentialSpecs'], probes, facts, options.timeoutMs);

  const host = facts.optional('host.windows');
  const folder = facts.optional('host.credentialSpecs');
  const inFolder = (file: string): string => (folder ? path.join(folder.dir, file) : file);
  const specFiles = (folder?.files ?? []).filter((f) => /\.json$/i.test(f)).map(inFolder);
  const credspec = withoutDuplicates([...options.credspec, ...specFiles]);
  // The gMSAs in use: those the running containers' specs name; the first spec in the folder when none runs.
  let gmsas = options.gmsa ? [options.gmsa] : [];
  if (!options.gmsa) {
    const inUse = (facts.optional('docker.containers') ?? []).map(credentialSpecFileOf).filter((f) => f !== undefined);
    const files = inUse.map(inFolder).filter((f) => credspec.some((c) => c.toLowerCase() === f.toLowerCase()));
    const { documents } = await readCredSpecFiles(files.length > 0 ? files : specFiles.slice(0, 1));
    gmsas = gmsasOf(documents);
  }
  return {
    options: {
      ...options,
      credspec,
      domain: options.domain ?? host?.domain,
      host: options.host ?? (host?.domainJoined ? host.computerName : undefined),
      gmsa: gmsas[0]?.replace(/\$$/, ''),
      // A domain-joined host asks AD as itself (Kerberos, the logged-on identity) unless told otherwise.
      ldap: options.ldap.user !== undefined || options.ldap.kerberos ? options.ldap : { ...options.ldap, kerberos: host?.domainJoined === true },
    },
    facts,
    otherGmsas: gmsas.slice(1),
  };
}

/** The Docker root directory for the credential spec placement check, from docker info. */
function dockerRootFromInfoProbe(): Probe {
  return {
    id: 'docker-root-from-info',
    provides: ['docker.rootDir'],
    needs: ['docker.info'],
    run: ({ facts }) => {
      const root = facts.get('docker.info').dockerRootDir;
      return Promise.resolve({ 'docker.rootDir': root ?? unavailable('docker info gave no DockerRootDir') });
    },
  };
}

/** The host, container and known-issue families: their checks, and the probes that apply where the tool runs. */
export function hostProbes(options: CheckOptions, env: HostEnvironment): Plan['probes'] {
  const probes: Probe[] = [];
  if (options.inspect.length > 0) probes.push(inspectFilesProbe(options.inspect, options.containers));
  else if (env.docker) probes.push(dockerEngineProbe({ containers: options.containers }));
  if (env.windows || env.docker) probes.push(dockerRootFromInfoProbe());
  if (env.windows) {
    probes.push(windowsHostProbe(env.runner), hostCommandsProbe(env.runner, { gmsa: options.gmsa }), ccgPluginsProbe(env.runner), credentialSpecsFolderProbe());
    if (options.inspect.length === 0) probes.push(containerExecProbe(env.runner, { domain: options.domain, containers: options.containers }));
  }
  return probes;
}
