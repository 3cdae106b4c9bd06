import { loadKerberosAddonProvider } from './kerberos-addon.js';
import { insideSingleExecutable } from './koffi.js';
import { IntegratedAuthUnavailable } from './security-context.js';
import type { SecurityContextProvider } from './security-context.js';
import { loadSspiProvider } from './sspi.js';

export type { SecurityContext, SecurityContextProvider } from './security-context.js';
export { IntegratedAuthUnavailable } from './security-context.js';

/** How to bind instead, when this machine has no way to use integrated authentication. */
export const SIMPLE_BIND_INSTEAD =
  'bind with a user instead: --user USER@DOMAIN, the password from GMSA_DOCTOR_PASSWORD, --password-file FILE or the prompt';

export interface Candidate {
  name: string;
  load: () => Promise<SecurityContextProvider>;
}

export function candidates(platform: NodeJS.Platform): Candidate[] {
  const addon = {
    name: 'the kerberos addon',
    load: () =>
      insideSingleExecutable()
        ? Promise.reject(new Error('npm addons do not load inside gmsa-doctor.exe'))
        : loadKerberosAddonProvider(),
  };
  const sspi = { name: 'SSPI through koffi', load: loadSspiProvider };
  return platform === 'win32' ? [sspi, addon] : [addon];
}

let chosen: Promise<SecurityContextProvider> | undefined;

/**
 * The first provider that loads on this platform: SSPI on Windows (also inside gmsa-doctor.exe), the `kerberos`
 * addon elsewhere. Throws IntegratedAuthUnavailable naming what was tried and how to bind instead.
 */
export function integratedAuthProvider(platform: NodeJS.Platform = process.platform): Promise<SecurityContextProvider> {
  chosen ??= firstThatLoads(candidates(platform));
  return chosen;
}

export async function firstThatLoads(list: readonly Candidate[]): Promise<SecurityContextProvider> {
  const failures: string[] = [];
  for (const candidate of list) {
    try {
      return await candidate.load();
    } catch (error) {
      failures.push(`${candidate.name}: ${reason(error)}`);
    }
  }
  throw new IntegratedAuthUnavailable(
    `integrated (Kerberos) authentication is not available on this machine (${failures.join('; ')}): ${SIMPLE_BIND_INSTEAD}`,
  );
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
