/** The Docker daemon and its containers, from the Engine API or from saved `docker info` / `docker inspect` output. */
import { z } from 'zod';
import { commandCapture } from './common.js';

export const dockerInfo = z.object({
  serverVersion: z.string().optional(),
  osType: z.string().optional(),
  operatingSystem: z.string().optional(),
  kernelVersion: z.string().optional(),
  /** e.g. C:\ProgramData\Docker; credential specs live in its CredentialSpecs folder. */
  dockerRootDir: z.string().optional(),
  /** process | hyperv | default */
  defaultIsolation: z.string().optional(),
  storageDriver: z.string().optional(),
  containers: z.number().int().optional(),
  containersRunning: z.number().int().optional(),
  /** Windows build of the daemon's host, e.g. 18363, from the OS build or kernel version. */
  build: z.number().int().optional(),
  /** Update build revision, e.g. 693 in "OS Build 18363.693". */
  ubr: z.number().int().optional(),
});
export type DockerInfo = z.infer<typeof dockerInfo>;

/**
 * A saved `docker inspect` file that could not be read, with the field and the reason. Without a field, the file as a
 * whole could not be read (missing, not JSON, no container in it): an input error of the run, not a finding.
 */
export const inspectProblem = z.object({ file: z.string(), field: z.string().optional(), reason: z.string() });
export type InspectProblem = z.infer<typeof inspectProblem>;

/**
 * One container's `docker inspect` data (GET /containers/{id}/json), reduced to what gMSA checks need.
 * Environment variables and labels are left out on purpose: they often hold secrets and no check needs them.
 */
export const containerInspect = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string().optional(),
  /** windows or linux (an LCOW container on a Windows host is linux). */
  platform: z.string().optional(),
  running: z.boolean(),
  hostname: z.string().optional(),
  /** Config.User: the user the container's process starts as ('' = the image default). */
  user: z.string().optional(),
  /** process | hyperv | default */
  isolation: z.string().optional(),
  securityOpt: z.array(z.string()),
  /** The security option naming the credential spec, e.g. `credentialspec=file://webapp01.json`. */
  credentialSpecOption: z.string().optional(),
  /** HostConfig.Dns: DNS servers given to the container ([] = the host's defaults). */
  dns: z.array(z.string()),
  networkMode: z.string().optional(),
  /** State.Error: why the container failed to start, e.g. an HCS error with "winapi error #N". */
  stateError: z.string().optional(),
  /** The user pointed at this container (--container, --inspect): judge it even without a credential spec. */
  selected: z.boolean().optional(),
  /** Who runs it: Docker (absent, for files of earlier versions) or containerd's CRI (Kubernetes nodes, crictl). */
  runtime: z.enum(['docker', 'containerd']).optional(),
  /**
   * The credential spec contents the container was given inline (containerd: the CRI credential_spec the kubelet
   * passes, OCI windows.credentialSpec), parsed; Docker names a file in credentialSpecOption instead.
   */
  credentialSpec: z.unknown().optional(),
  /** Why the inline credential spec could not be read (it is not JSON); its text is not kept. */
  credentialSpecProblem: z.string().optional(),
  /**
   * `paste`: known only from a paste (commands run inside it, its start error); only the fields the paste showed
   * are real, so its configuration (SecurityOpt, hostname, user) is not judged. Absent: inspect data.
   */
  seen: z.literal('paste').optional(),
  /** The inspect fields a pasted fragment showed (`SecurityOpt`, `Hostname`): those of its fields are real. */
  shown: z.array(z.string()).optional(),
  /** The Kubernetes pod the container belongs to (containerd), from the kubelet's labels. */
  pod: z.object({ namespace: z.string(), name: z.string() }).optional(),
});
export type ContainerFacts = z.infer<typeof containerInspect>;

/** What `docker exec` showed inside one container. Raw captures: the checks parse them. */
export const containerExec = z.object({
  /** The domain the commands asked about (the credential spec's DnsName). */
  domain: z.string().optional(),
  whoami: commandCapture.optional(),
  /** `nltest /query`: RPC_S_SERVER_UNAVAILABLE or ERROR_NO_TRUST_LSA_SECRET here mean no gMSA identity at all. */
  query: commandCapture.optional(),
  /** `nltest /sc_verify:<domain>` */
  scVerify: commandCapture.optional(),
  /** `klist get krbtgt` */
  klist: commandCapture.optional(),
  /** DNS servers and resolution of the domain, as JSON printed by PowerShell. */
  dns: commandCapture.optional(),
});
export type ContainerExecFacts = z.infer<typeof containerExec>;
