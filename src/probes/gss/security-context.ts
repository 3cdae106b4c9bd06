/**
 * A client-side Kerberos security context, as SASL GSSAPI (RFC 4752) drives it. Two providers implement it:
 * SSPI on Windows (secur32.dll through the koffi FFI) and GSS-API through the optional `kerberos` addon.
 */
export interface SecurityContext {
  /** The next token for the server; the first call has no server token. */
  step(serverToken?: Uint8Array): Promise<Uint8Array>;
  /** True once the context is established (mutual authentication done). */
  readonly complete: boolean;
  unwrap(token: Uint8Array): Promise<Uint8Array>;
  /** Wraps with integrity only, no confidentiality: what the SASL security-layer answer needs over TLS. */
  wrap(message: Uint8Array): Promise<Uint8Array>;
  /** The client principal bound as, when the provider tells it. */
  principal(): string | undefined;
  dispose(): void;
}

export interface SecurityContextProvider {
  /** What it is, for messages: "SSPI (secur32.dll)", "GSS-API (kerberos addon)". */
  readonly name: string;
  /** A context for the LDAP service of `hostName` (ldap/<host>). */
  create(hostName: string): Promise<SecurityContext>;
}

/** No provider of integrated authentication could be loaded on this machine; the message says what to do. */
export class IntegratedAuthUnavailable extends Error {}
