/** "10.0 18363 (18362.1.amd64fre...)" or "Windows 10 Pro Version 1909 (OS Build 18363.693)" -> build (and UBR). */
import type { DockerInfo } from '../../facts/docker.js';
export function windowsBuildOf(operatingSystem?: string, kernelVersion?: string): { build?: number; ubr?: number } {
  const os = /OS Build (\d{5})(?:\.(\d+))?/.exec(operatingSystem ?? '');
  if (os) return { build: Number(os[1]), ...(os[2] ? { ubr: Number(os[2]) } : {}) };
  const kernel = /^10\.0 (\d{5})\b/.exec(kernelVersion ?? '');
  return kernel ? { build: Number(kernel[1]) } : {};
}

const TEXT_FIELDS: Record<string, (info: DockerInfo, value: string) => void> = {
  'Server Version': (i, v) => (i.serverVersion = v),
  OSType: (i, v) => (i.osType = v),
  'Operating System': (i, v) => (i.operatingSystem = v),
  'Kernel Version': (i, v) => (i.kernelVersion = v),
  'Docker Root Dir': (i, v) => (i.dockerRootDir = v),
  'Default Isolation': (i, v) => (i.defaultIsolation = v),
  'Storage Driver': (i, v) => (i.storageDriver = v),
  Containers: (i, v) => (i.containers = Number(v)),
  Running: (i, v) => (i.containersRunning = Number(v)),
};

export function parseDockerInfoText(text: string): DockerInfo {
  const info: DockerInfo = {};
  let inClient = false;
  for (const line of text.replace(/\r/g, '').split('\n')) {
    // Since 19.03 the client's section comes first; older versions print the server's fields at column 0.
    if (/^Client:/.test(line)) inClient = true;
    if (/^Server:/.test(line)) inClient = false;
    if (inClient) continue;
    const field = /^ {0,2}([A-Za-z ]+?):\s*(.*)$/.exec(line);
    if (!field?.[1]) continue;
    const setter = TEXT_FIELDS[field[1]];
    // "Running:" also appears under other headings in some versions; only the first (containers) counts.
    if (setter && !(field[1] === 'Running' && info.containersRunning !== undefined))
      setter(info, (field[2] ?? '').trim());
  }
  return { ...info, ...windowsBuildOf(info.operatingSystem, info.kernelVersion) };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export function fromDockerInfoJson(json: unknown): DockerInfo {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const info: DockerInfo = {
    serverVersion: str(o.ServerVersion),
    osType: str(o.OSType),
    operatingSystem: str(o.OperatingSystem),
    kernelVersion: str(o.KernelVersion),
    dockerRootDir: str(o.DockerRootDir),
    defaultIsolation: str(o.Isolation),
    storageDriver: str(o.Driver),
    containers: num(o.Containers),
    containersRunning: num(o.ContainersRunning),
  };
  const defined = Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as DockerInfo;
  return { ...defined, ...windowsBuildOf(info.operatingSystem, info.kernelVersion) };
}

/** Text or JSON, whichever the input is. */
export function parseDockerInfo(text: string): DockerInfo {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return fromDockerInfoJson(JSON.parse(trimmed));
  return parseDockerInfoText(text);
}
