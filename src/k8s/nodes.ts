/**
 * Windows node facts from the API alone: the `node.kubernetes.io/windows-build` label (`10.0.17763`),
 * `status.nodeInfo.kernelVersion` with the patch level (UBR, `10.0.17763.1339`), `osImage`, and the container
 * runtime (`containerd://1.7.18`). Pure.
 */
import type { K8sObject } from './model.js';
import { get, nodeOs, WINDOWS_BUILD_LABEL } from './workloads.js';

export interface WindowsNodeFacts {
  name: string;
  /** 17763, 20348, ... from kernelVersion, else from the label. */
  build?: number;
  /** Update build revision (the patch level), from kernelVersion only. */
  ubr?: number;
  labelBuild?: number;
  kernelVersion?: string;
  osImage?: string;
  runtime?: { name: string; version: string; raw: string };
}

export function windowsNodeFacts(node: K8sObject): WindowsNodeFacts | undefined {
  if (nodeOs(node) !== 'windows') return undefined;
  const kernelVersion = get(node, 'status.nodeInfo.kernelVersion');
  const osImage = get(node, 'status.nodeInfo.osImage');
  const runtimeText = get(node, 'status.nodeInfo.containerRuntimeVersion');
  const kernel = typeof kernelVersion === 'string' ? /^10\.0\.(\d+)(?:\.(\d+))?/.exec(kernelVersion) : null;
  const label = /^10\.0\.(\d+)$/.exec(node.metadata?.labels?.[WINDOWS_BUILD_LABEL] ?? '');
  const runtime = typeof runtimeText === 'string' ? /^([a-z0-9-]+):\/\/v?(\S+)$/i.exec(runtimeText) : null;
  const build = kernel ? Number(kernel[1]) : label ? Number(label[1]) : undefined;
  return {
    name: node.metadata?.name ?? '',
    ...(build !== undefined ? { build } : {}),
    ...(kernel?.[2] ? { ubr: Number(kernel[2]) } : {}),
    ...(label ? { labelBuild: Number(label[1]) } : {}),
    ...(typeof kernelVersion === 'string' ? { kernelVersion } : {}),
    ...(typeof osImage === 'string' ? { osImage } : {}),
    ...(runtime
      ? { runtime: { name: runtime[1]!.toLowerCase(), version: runtime[2]!, raw: runtimeText as string } }
      : {}),
  };
}

/** Releases by build, as DESIGN.md's table has them. */
export const WINDOWS_RELEASES: Record<number, string> = {
  14393: 'Windows Server 2016 (1607)',
  17763: 'Windows Server 2019 (1809)',
  18362: 'Windows Server 1903',
  18363: 'Windows Server 1909',
  19041: 'Windows Server 2004',
  19042: 'Windows Server 20H2',
  20348: 'Windows Server 2022',
  25398: 'Windows Server 23H2',
  26100: 'Windows Server 2025',
};

export function releaseName(build: number): string {
  return WINDOWS_RELEASES[build] ?? `Windows build ${build}`;
}

/** `1.7.18` >= `1.6`? Numeric parts compared in order; pre-release suffixes ignored. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) =>
    v
      .split(/[.+-]/)
      .map((p) => Number.parseInt(p, 10))
      .filter((n) => !Number.isNaN(n));
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    if (x !== y) return x > y;
  }
  return true;
}
