/**
 * `docker run --security-opt credentialspec=...` as Docker parses it (moby: runconfig and daemon/oci_windows.go).
 * Pure: the existence of a file:// target is checked by the caller.
 */
export type SecurityOptVerdict =
  | { ok: true; scheme: 'file'; path: string }
  | { ok: true; scheme: 'registry' | 'config' | 'raw'; value: string }
  | { ok: false; reason: string };

export function parseCredentialSpecOption(option: string): SecurityOptVerdict {
  const eq = option.indexOf('=');
  if (eq === -1) {
    const colon = option.indexOf(':');
    if (colon !== -1 && option.slice(0, colon) === 'credentialspec') {
      return { ok: false, reason: `Docker splits security options on "=", not ":": write credentialspec=${option.slice(colon + 1)}` };
    }
    return { ok: false, reason: `Docker answers 'invalid --security-opt 1: "${option}"': an option is KEY=VALUE` };
  }
  const key = option.slice(0, eq);
  const value = option.slice(eq + 1);
  if (key !== 'credentialspec') {
    const hint = key.toLowerCase() === 'credentialspec' ? ' (the key is lowercase: credentialspec)' : '';
    return { ok: false, reason: `"${key}" is not the credential spec option${hint}; Docker expects credentialspec=file://NAME.json` };
  }
  const scheme = /^(file|registry|config|raw):\/\/(.*)$/s.exec(value);
  if (!scheme || scheme[2] === '') {
    return { ok: false, reason: "Docker answers 'invalid credential spec security option - value must be prefixed by \"file://\", \"registry://\", or \"raw://\" followed by a non-empty value'" };
  }
  const kind = scheme[1] as 'file' | 'registry' | 'config' | 'raw';
  const target = scheme[2]!;
  if (kind !== 'file') return { ok: true, scheme: kind, value: target };
  if (/^([a-z]:[\\/]|[\\/])/i.test(target)) {
    return { ok: false, reason: `Docker answers 'invalid credential spec - file:// path cannot be absolute': ${target} must be relative to <DockerRootDir>\\CredentialSpecs` };
  }
  if (target.split(/[\\/]/).includes('..')) {
    return { ok: false, reason: "Docker answers 'invalid credential spec - file:// path cannot be outside of the credential spec directory'" };
  }
  return { ok: true, scheme: 'file', path: target };
}
