/**
 * `docker run --security-opt credentialspec=...` as the Docker daemon reads it on Windows (moby/moby
 * daemon/oci_windows.go, setWindowsCredentialSpec and readCredentialSpecFile): the key and the scheme without
 * regard to case, a non-empty value after `://`, and a file:// path that is relative and stays under
 * <DockerRootDir>\CredentialSpecs once cleaned. The one reader of the option: checks, probes and discovery use it.
 * Pure: whether a file:// target exists is for the caller to find out.
 */
import type { ContainerFacts } from '../facts/docker.js';

export type SecurityOptVerdict =
  | { ok: true; scheme: 'file'; path: string }
  | { ok: true; scheme: 'registry' | 'config' | 'raw'; value: string }
  | { ok: false; reason: string };

const SCHEMES = ['file', 'registry', 'config', 'raw'] as const;
const INVALID_VALUE =
  "Docker answers 'invalid credential spec security option - value must be prefixed by 'file://', 'registry://', or 'raw://' followed by a non-empty value'";

/** Go's filepath.Clean on a Windows path, relative to the CredentialSpecs folder; undefined when it leaves it. */
function cleanRelative(target: string): string | undefined {
  const separator = target.includes('\\') ? '\\' : '/';
  const kept: string[] = [];
  for (const segment of target.split(/[\\/]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') kept.push(segment);
    else if (kept.pop() === undefined) return undefined;
  }
  return kept.join(separator);
}

export function parseCredentialSpecOption(option: string): SecurityOptVerdict {
  const eq = option.indexOf('=');
  if (eq === -1) {
    const colon = option.indexOf(':');
    if (colon !== -1 && option.slice(0, colon).toLowerCase() === 'credentialspec') {
      return {
        ok: false,
        reason: `Docker splits security options on "=", not ":": write credentialspec=${option.slice(colon + 1)}`,
      };
    }
    return {
      ok: false,
      reason: `Docker answers 'invalid security option: no equals sign in supplied value ${option}': an option is KEY=VALUE`,
    };
  }
  const key = option.slice(0, eq);
  if (key.toLowerCase() !== 'credentialspec') {
    return {
      ok: false,
      reason: `"${key}" is not the credential spec option: Docker answers 'security option not supported: ${key}' (a Windows container takes only credentialspec=file://NAME.json)`,
    };
  }
  const value = option.slice(eq + 1);
  const split = value.indexOf('://');
  const scheme = split === -1 ? '' : value.slice(0, split).toLowerCase();
  const target = split === -1 ? '' : value.slice(split + 3);
  const kind = SCHEMES.find((s) => s === scheme);
  if (!kind || target === '') return { ok: false, reason: INVALID_VALUE };
  if (kind !== 'file') return { ok: true, scheme: kind, value: target };
  // filepath.IsAbs on Windows: a drive with a root (C:\) or a UNC path; a bare \name is joined under the folder.
  if (/^[a-z]:[\\/]/i.test(target) || /^[\\/]{2}/.test(target)) {
    return {
      ok: false,
      reason: `Docker answers 'invalid credential spec - file:// path cannot be absolute': ${target} must be relative to <DockerRootDir>\\CredentialSpecs`,
    };
  }
  const path = cleanRelative(target);
  if (!path)
    return {
      ok: false,
      reason: "Docker answers 'invalid credential spec - file:// path must be under <DockerRootDir>\\CredentialSpecs'",
    };
  return { ok: true, scheme: 'file', path };
}

/** The file a container's `credentialspec=file://NAME` option names (relative to CredentialSpecs), if it is valid. */
export function credentialSpecFileOf(container: Pick<ContainerFacts, 'credentialSpecOption'>): string | undefined {
  const verdict = parseCredentialSpecOption(container.credentialSpecOption?.trim() ?? '');
  return verdict.ok && verdict.scheme === 'file' ? verdict.path : undefined;
}

function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).toLowerCase();
}

/** The credential spec document a container's file:// option resolves to, matched by file name, as Docker does. */
export function specDocumentFor<D extends { file: string }>(
  container: Pick<ContainerFacts, 'credentialSpecOption'>,
  documents: readonly D[],
): D | undefined {
  const wanted = credentialSpecFileOf(container);
  if (!wanted) return undefined;
  return documents.find((d) => baseName(d.file) === baseName(wanted));
}
