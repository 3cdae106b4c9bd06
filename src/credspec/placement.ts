import path from 'node:path';

/** <DockerRootDir>\CredentialSpecs, with the separator the root is written with. */
export function credentialSpecsDir(dockerRoot: string): string {
  const sep = dockerRoot.includes('\\') ? '\\' : path.sep;
  return `${dockerRoot.replace(/[\\/]+$/, '')}${sep}CredentialSpecs`;
}
