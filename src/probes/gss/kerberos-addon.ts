import type { SecurityContext, SecurityContextProvider } from './security-context.js';

/** The part of the optional `kerberos` addon's API used here, declared so that the build never needs the addon. */
interface KerberosClient {
  username: string;
  contextComplete: boolean;
  step(challenge: string): Promise<string | null>;
  wrap(challenge: string): Promise<string | null>;
  unwrap(challenge: string): Promise<string | null>;
}
interface KerberosModule {
  GSS_MECH_OID_KRB5: number;
  initializeClient(service: string, options: { mechOID: number }): Promise<KerberosClient>;
}

/** A variable specifier, so that neither tsc nor a bundler tries to resolve the optional addon. */
const KERBEROS_ADDON = 'kerberos';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
// The addon answers null (not '') when a step produces no token, e.g. once the context is complete.
const unb64 = (text: string | null): Uint8Array =>
  text ? Uint8Array.from(Buffer.from(text, 'base64')) : new Uint8Array(0);

/** GSS-API wants a host-based service name (ldap@host); SSPI on Windows wants the SPN itself (ldap/host). */
export function servicePrincipal(hostName: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `ldap/${hostName}` : `ldap@${hostName}`;
}

/** Loads the addon; throws with the loader's reason when it is not installed or cannot load. */
export async function loadKerberosAddonProvider(): Promise<SecurityContextProvider> {
  const loaded = (await import(KERBEROS_ADDON)) as KerberosModule & { default?: KerberosModule };
  const kerberos = loaded.default ?? loaded;
  return {
    name: 'GSS-API (kerberos addon)',
    async create(hostName) {
      const client = await kerberos.initializeClient(servicePrincipal(hostName), {
        mechOID: kerberos.GSS_MECH_OID_KRB5,
      });
      return addonContext(client);
    },
  };
}

function addonContext(client: KerberosClient): SecurityContext {
  return {
    get complete() {
      return client.contextComplete;
    },
    step: async (serverToken) => unb64(await client.step(serverToken ? b64(serverToken) : '')),
    unwrap: async (token) => unb64(await client.unwrap(b64(token))),
    wrap: async (message) => unb64(await client.wrap(b64(message))),
    principal: () => client.username || undefined,
    dispose: () => undefined,
  };
}
