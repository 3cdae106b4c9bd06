/**
 * What `gmsa-doctor check` finds by itself on a Windows container host: Docker, the credential specs in
 * <DockerRootDir>\CredentialSpecs, the running containers, the host's domain and the gMSAs in use. The facts
 * gathered here are kept for the main run (their probes are not run twice) and fill in the options the probes are
 * planned from: every gMSA the containers use is a subject of the run.
 */
import path from 'node:path';
import { gmsasOf, uniqueNames } from '../credspec/identity.js';
import { credentialSpecFileOf } from '../credspec/security-opt.js';
import type { FactStore } from '../engine/facts.js';
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { gather } from '../engine/runner.js';
import { readCredSpecFiles } from '../probes/credspec-files.js';
import { inspectFilesProbe } from '../probes/docker.js';
import { containerRuntimesProbe } from '../probes/runtimes.js';
import { credentialSpecsFolderProbe, windowsHostProbe } from '../probes/windows-host.js';
import type { HostEnvironment } from './environment.js';

export interface Discovered {
  options: CheckOptions;
  facts: FactStore;
}

/** Discovers the host (Windows only) and returns the completed options and the facts already gathered. */
export async function discoverHost(options: CheckOptions, env: HostEnvironment): Promise<Discovered> {
  const probes: Probe[] = [windowsHostProbe(env.runner), credentialSpecsFolderProbe()];
  probes.push(
    options.inspect.length > 0
      ? inspectFilesProbe(options.inspect, options.containers)
      : containerRuntimesProbe({ containers: options.containers, ...(env.windows ? { crictl: env.runner } : {}) }),
  );
  const keys = env.windows
    ? (['host.windows', 'docker.info', 'container.inspect', 'host.credentialSpecs'] as const)
    : [];
  const { facts } = await gather(keys, { probes, timeoutMs: options.timeoutMs });
  if (!env.windows) return { options, facts };

  const host = facts.optional('host.windows');
  const folder = facts.optional('host.credentialSpecs');
  const inFolder = (file: string): string => (folder ? path.join(folder.dir, file) : file);
  const specFiles = (folder?.files ?? []).filter((f) => /\.json$/i.test(f)).map(inFolder);
  const credspec = uniqueNames([...options.credspec, ...specFiles]);
  // The gMSAs in use: those the running containers' specs name (files in the folder, or contents containerd was
  // given); the first spec in the folder when no container uses one.
  let gmsas = options.gmsas;
  if (gmsas.length === 0) {
    const containers = facts.each('container.inspect').map(({ value }) => value);
    const inline = containers.flatMap((c) => (c.credentialSpec !== undefined ? [{ spec: c.credentialSpec }] : []));
    const inUse = containers.flatMap((c) => credentialSpecFileOf(c) ?? []);
    const files = inUse.map(inFolder).filter((f) => credspec.some((c) => c.toLowerCase() === f.toLowerCase()));
    const fallback = inline.length === 0 ? specFiles.slice(0, 1) : [];
    const { documents } = await readCredSpecFiles(files.length > 0 ? files : fallback);
    gmsas = gmsasOf([...inline, ...documents]);
  }
  return {
    options: {
      ...options,
      credspec,
      gmsas,
      domain: options.domain ?? host?.domain,
      host: options.host ?? (host?.domainJoined ? host.computerName : undefined),
      ...(!options.host && host?.domainJoined ? { hostDiscovered: true } : {}),
      // A domain-joined host asks AD as itself (Kerberos, the logged-on identity) unless told otherwise.
      ldap:
        options.ldap.user !== undefined || options.ldap.kerberos
          ? options.ldap
          : { ...options.ldap, kerberos: host?.domainJoined === true },
    },
    facts,
  };
}
