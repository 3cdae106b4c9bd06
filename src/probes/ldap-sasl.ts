/**
 * SASL GSSAPI bind (RFC 4752) on a raw LDAP connection, driven by a Kerberos security context: SSPI on Windows
 * (koffi FFI), GSS-API through the optional `kerberos` addon elsewhere (probes/gss). ldapts cannot do it: its BindRequest writes credentials as UTF-8 text and does
 * not loop on saslBindInProgress (14). Over TLS we ask for security layer "none", as Windows DCs require.
 */
import type { Socket } from 'node:net';
import {
  application,
  boolean,
  children,
  completeElementLength,
  contextConstructed,
  enumerated,
  expectTag,
  integer,
  octetString,
  readInteger,
  readString,
  readTlv,
  sequence,
  tlv,
  UniversalTag,
} from '../protocol/ber.js';
import type { AdConnectionProblem } from '../facts/ad.js';
import { IntegratedAuthUnavailable, integratedAuthProvider } from './gss/index.js';
import type { SecurityContext, SecurityContextProvider } from './gss/index.js';

export class SaslProblem extends Error {
  readonly problem: AdConnectionProblem;
  constructor(detail: string, resultCode?: number, kind: 'kerberos' | 'integrated-auth-unavailable' = 'kerberos') {
    super(detail);
    this.problem = { kind, detail, ...(resultCode === undefined ? {} : { resultCode }) };
  }
}

const SASL_BIND_IN_PROGRESS = 14;

/** Request/response over a raw socket, one whole BER element at a time, before ldapts takes the socket over. */
export class MessageChannel {
  private buffered = new Uint8Array(0);
  private waiting?: { resolve: (m: Uint8Array) => void; reject: (e: Error) => void };
  private nextId = 1;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.deliver();
  };
  private readonly onClose = (): void => this.waiting?.reject(new Error('the DC closed the connection'));
  private readonly onError = (error: Error): void => this.waiting?.reject(error);
  private readonly onAbort = (): void => this.waiting?.reject(new Error('no answer before the deadline'));

  constructor(
    private readonly socket: Socket,
    private readonly signal: AbortSignal,
  ) {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
    signal.addEventListener('abort', this.onAbort);
  }

  messageId(): number {
    return this.nextId++;
  }

  exchange(message: Uint8Array): Promise<Uint8Array> {
    if (this.signal.aborted) return Promise.reject(new Error('no answer before the deadline'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(message);
      this.deliver();
    });
  }

  /** Reads messages until one is not a search entry/reference: returns them all. */
  async collect(message: Uint8Array): Promise<Uint8Array[]> {
    const all = [await this.exchange(message)];
    while (isSearchEntryOrReference(all.at(-1)!)) all.push(await this.next());
    return all;
  }

  private next(): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiting) return;
    const length = completeElementLength(this.buffered);
    if (length === undefined) return;
    const message = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve(message);
  }

  /** Stops listening, so that ldapts alone reads the socket from now on. */
  release(): void {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onError);
    this.signal.removeEventListener('abort', this.onAbort);
  }
}

function isSearchEntryOrReference(message: Uint8Array): boolean {
  const op = children(readTlv(message))[1];
  return op?.identifier === 0x64 || op?.identifier === 0x73;
}

/** BindRequest with SASL credentials as raw bytes ([APPLICATION 0], sasl [3]). */
export function encodeSaslBind(messageId: number, mechanism: string, credentials: Uint8Array | undefined): Uint8Array {
  const sasl =
    credentials === undefined ? [octetString(mechanism)] : [octetString(mechanism), octetString(credentials)];
  return sequence(integer(messageId), application(0, integer(3), octetString(''), contextConstructed(3, ...sasl)));
}

export interface BindResult {
  resultCode: number;
  diagnosticMessage: string;
  serverSaslCreds?: Uint8Array;
}

export function decodeBindResponse(message: Uint8Array): BindResult {
  const [, op] = children(expectTag(readTlv(message), UniversalTag.sequence, 'LDAPMessage'));
  const fields = children(expectTag(op, 0x61, 'BindResponse'));
  const resultCode = readInteger(expectTag(fields[0], UniversalTag.enumerated, 'resultCode'), 'resultCode');
  const diagnosticMessage = fields[2] ? readString(fields[2]) : '';
  const creds = fields.find((f) => f.identifier === 0x87);
  return { resultCode, diagnosticMessage, ...(creds ? { serverSaslCreds: Uint8Array.from(creds.content) } : {}) };
}

/** SearchRequest for the rootDSE's dnsHostName: base "", scope base, filter (objectClass=*). */
export function encodeRootDseSearch(messageId: number): Uint8Array {
  return sequence(
    integer(messageId),
    application(
      3,
      octetString(''),
      enumerated(0),
      enumerated(0),
      integer(0),
      integer(0),
      boolean(false),
      tlv(0x87, new TextEncoder().encode('objectClass')),
      sequence(octetString('dnsHostName')),
    ),
  );
}

export function decodeRootDseHostName(messages: Uint8Array[]): string | undefined {
  for (const message of messages) {
    const op = children(readTlv(message))[1];
    if (op?.identifier !== 0x64) continue;
    const [, attributes] = children(op);
    for (const attribute of attributes ? children(attributes) : []) {
      const [type, values] = children(attribute);
      if (type && values && readString(type).toLowerCase() === 'dnshostname') {
        const first = children(values)[0];
        if (first) return readString(first);
      }
    }
  }
  return undefined;
}

export async function readRootDseHostName(channel: MessageChannel): Promise<string | undefined> {
  return decodeRootDseHostName(await channel.collect(encodeRootDseSearch(channel.messageId())));
}

/** Security layer bit "no security layer" in the GSSAPI SASL negotiation (RFC 4752 3.3). */
const NO_SECURITY_LAYER = 0x01;

/**
 * Binds with the current Kerberos credentials to ldap/<hostName>; returns the principal bound as.
 * Throws SaslProblem (with the DC's or the provider's diagnostic).
 */
export async function gssapiBind(channel: MessageChannel, hostName: string): Promise<string | undefined> {
  let provider: SecurityContextProvider;
  try {
    provider = await integratedAuthProvider();
  } catch (error) {
    if (error instanceof IntegratedAuthUnavailable)
      throw new SaslProblem(error.message, undefined, 'integrated-auth-unavailable');
    throw error;
  }
  let context: SecurityContext;
  try {
    context = await provider.create(hostName);
  } catch (error) {
    throw new SaslProblem(`${provider.name} setup for ldap/${hostName}: ${(error as Error).message}`);
  }
  try {
    return await negotiate(channel, context, hostName);
  } finally {
    context.dispose();
  }
}

async function negotiate(
  channel: MessageChannel,
  context: SecurityContext,
  hostName: string,
): Promise<string | undefined> {
  let token: Uint8Array;
  try {
    token = await context.step();
  } catch (error) {
    throw new SaslProblem(`no Kerberos ticket for ldap/${hostName}: ${(error as Error).message}`);
  }
  for (let round = 0; round < 10; round++) {
    const reply = decodeBindResponse(await channel.exchange(encodeSaslBind(channel.messageId(), 'GSSAPI', token)));
    if (reply.resultCode === 0) return context.principal();
    if (reply.resultCode !== SASL_BIND_IN_PROGRESS) {
      throw new SaslProblem(
        `the DC refused the GSSAPI bind (result ${reply.resultCode}): ${reply.diagnosticMessage}`,
        reply.resultCode,
      );
    }
    const challenge = reply.serverSaslCreds ?? new Uint8Array(0);
    if (!context.complete) {
      token = await securityLayer("answer the DC's Kerberos token", () => context.step(challenge));
      continue;
    }
    const offer = await securityLayer("unwrap the DC's security-layer offer", () => context.unwrap(challenge));
    if (offer.length < 4 || !(offer[0]! & NO_SECURITY_LAYER)) {
      throw new SaslProblem(
        `the DC does not offer "no security layer" (offer 0x${Buffer.from(offer).toString('hex')}); over TLS it must`,
      );
    }
    token = await securityLayer('wrap the security-layer answer', () =>
      context.wrap(Uint8Array.of(NO_SECURITY_LAYER, 0, 0, 0)),
    );
  }
  throw new SaslProblem('the GSSAPI bind did not finish in 10 rounds');
}

/** A provider failure in the middle of the exchange, as a Kerberos problem of the bind. */
async function securityLayer(what: string, work: () => Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return await work();
  } catch (error) {
    throw new SaslProblem(`could not ${what}: ${(error as Error).message}`);
  }
}
