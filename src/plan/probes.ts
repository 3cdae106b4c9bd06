/**
 * Which probes a run needs, family by family, from the options and where the tool runs. The checks are not named
 * here: a check runs when the probes planned can give the facts it needs (plan.ts).
 */
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import { cldapProbe } from '../probes/cldap.js';
import { containerExecProbe } from '../probes/containers.js';
import { credspecFilesProbe } from '../probes/credspec-files.js';
import { dcDiscoveryProbe } from '../probes/dc-discovery.js';
import { dnsProbe } from '../probes/dns.js';
import { inspectFilesProbe } from '../probes/docker.js';
import { containerRuntimesProbe } from '../probes/runtimes.js';
import { domainNameProbe } from '../probes/domain-name.js';
import { eventLogProbe } from '../probes/eventlog.js';
import type { EventTextReader } from '../probes/eventlog.js';
import { kerberosProbe } from '../probes/kerberos.js';
import { ldapProbe } from '../probes/ldap.js';
import { portsProbe } from '../probes/ports.js';
import { tlsProbe } from '../probes/tls.js';
import {
  ccgPluginsProbe,
  credentialSpecsFolderProbe,
  hostCommandsProbe,
  windowsHostProbe,
} from '../probes/windows-host.js';
import { adQuery } from './ad.js';
import type { HostEnvironment } from './environment.js';

/** The Docker root directory for the credential spec placement check, from docker info. */
function dockerRootFromInfoProbe(): Probe {
  return {
    id: 'docker-root-from-info',
    title: "taking Docker's root directory from docker info",
    provides: ['docker.rootDir'],
    needs: ['docker.info'],
    run: ({ facts }) => {
      const root = facts.get('docker.info').dockerRootDir;
      return Promise.resolve({ 'docker.rootDir': root ?? unavailable('docker info gave no DockerRootDir') });
    },
  };
}

/** The container host and its containers: Docker (or saved inspect output) wherever it is, Windows only on Windows. */
/** The recognisers of pasted event text, loaded when a run reads an event log (they are most of explain's code). */
async function loadEventTextReader(): Promise<EventTextReader> {
  return (await import('../evidence/facts.js')).eventRecordsOfText;
}

export function hostProbes(options: CheckOptions, env: HostEnvironment): Probe[] {
  const probes: Probe[] = [];
  if (options.inspect.length > 0) probes.push(inspectFilesProbe(options.inspect, options.containers));
  else if (env.docker || env.windows)
    probes.push(
      containerRuntimesProbe({ containers: options.containers, ...(env.windows ? { crictl: env.runner } : {}) }),
    );
  if (env.windows || env.docker) probes.push(dockerRootFromInfoProbe());
  if (env.windows) {
    probes.push(
      windowsHostProbe(env.runner),
      hostCommandsProbe(env.runner, { gmsas: options.gmsas }),
      ccgPluginsProbe(env.runner),
      credentialSpecsFolderProbe(),
    );
    if (options.inspect.length === 0) probes.push(containerExecProbe(env.runner, { domain: options.domain }));
  }
  return probes;
}

/** `--credspec FILE...` (and on a host, the specs of <DockerRootDir>\CredentialSpecs, which discovery adds). */
export function credspecProbes(options: CheckOptions): Probe[] {
  return options.credspec.length > 0 ? [credspecFilesProbe(options.credspec)] : [];
}

/** `--events FILE...`: the same analysis as `gmsa-doctor events` (.evtx, XML or JSON exports, event text, `-`). */
export function eventProbes(options: CheckOptions): Probe[] {
  return options.events.length > 0
    ? [eventLogProbe({ files: options.events, loadTextReader: loadEventTextReader })]
    : [];
}

/** AD is read when a gMSA or a host is named, or a credential spec is to be compared with a domain. */
export function adProbes(options: CheckOptions): Probe[] {
  const credspecWithDomain = options.credspec.length > 0 && (options.domain !== undefined || options.dc !== undefined);
  if (options.gmsas.length === 0 && !options.host && !credspecWithDomain) return [];
  const needs = ['dc.candidates', ...(options.credspec.length > 0 ? (['credspec.documents'] as const) : [])] as const;
  return [dcDiscoveryProbe(options), ldapProbe(options, (facts) => adQuery(options, facts), needs)];
}

/** DC discovery and reachability, for `check --domain D` or `--dc HOST`, and for `dc`. */
export function networkProbes(options: CheckOptions): Probe[] {
  if (!options.domain && !options.dc) return [];
  return [
    dcDiscoveryProbe(options),
    domainNameProbe(options),
    dnsProbe(options),
    portsProbe(options),
    cldapProbe(options),
    tlsProbe(options),
    kerberosProbe(options),
  ];
}

/** Every probe `check` (and `collect`) plans here. */
export function checkProbes(options: CheckOptions, env: HostEnvironment): Probe[] {
  return [
    ...hostProbes(options, env),
    ...credspecProbes(options),
    ...eventProbes(options),
    ...adProbes(options),
    ...networkProbes(options),
  ];
}
