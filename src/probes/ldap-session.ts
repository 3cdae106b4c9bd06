/**
 * One LDAP session to a DC: TCP, then TLS (LDAPS) or StartTLS or nothing, then a simple, GSSAPI or anonymous
 * bind, handed to ldapts for the searches. Every failure becomes an AdConnectionProblem that says what happened.
 */
import { INPUT_LIMITS, readInputFile } from './input-file.js';
import { connect as netConnect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { Client } from 'ldapts';
import { decodeExtendedResponse, encodeStartTls } from '../protocol/ldap-message.js';
import { gssapiBind, MessageChannel, readRootDseHostName, SaslProblem } from './ldap-sasl.js';
import type { AdConnectionProblem, AdProblemKind } from '../facts/ad.js';

export class LdapProblem extends Error {
  constructor(readonly problem: AdConnectionProblem) {
    super(problem.detail);
  }
}

export interface LdapTarget {
  /** The name (or address) the user or DNS gave: used for the certificate check and the Kerberos service name. */
  host: string;
  address: string;
}

export interface SessionOptions {
  transport: 'ldaps' | 'starttls' | 'ldap';
  caFile?: string;
  insecureTls: boolean;
  user?: string;
  password?: string;
  /** true: GSSAPI or fail; 'auto' (no --user, no --kerberos): GSSAPI when a ticket exists, else anonymous. */
  kerberos: boolean | 'auto';
  timeoutMs: number;
  signal: AbortSignal;
}

export interface LdapSession {
  client: Client;
  port: number;
  bind: 'simple' | 'gssapi' | 'anonymous';
  identity?: string;
  /** Why integrated (Kerberos) authentication was not used when it was tried on the user's behalf. */
  integratedAuthSkipped?: string;
  /** Unbinds (politely, briefly) and always destroys the socket. */
  close(): Promise<void>;
}

export function portOf(transport: SessionOptions['transport']): number {
  return transport === 'ldaps' ? 636 : 389;
}

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EADDRNOTAVAIL',
]);

function problem(kind: AdProblemKind, detail: string, extra: Partial<AdConnectionProblem> = {}): AdConnectionProblem {
  return { kind, detail, ...extra };
}

/** Turns whatever went wrong (socket, TLS, LDAP result, Kerberos) into a problem a person can act on. Pure. */
export function classifyLdapError(error: unknown): AdConnectionProblem {
  if (error instanceof LdapProblem || error instanceof SaslProblem) return error.problem;
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = e?.code;
  if (typeof code === 'number') {
    if (code === 8) return problem('strong-auth-required', message, { resultCode: 8 });
    if (code === 49) {
      const dataCode = /data ([0-9a-f]{3,8})/i.exec(message)?.[1]?.toLowerCase();
      return problem('invalid-credentials', message, { resultCode: 49, ...(dataCode ? { dataCode } : {}) });
    }
    // AD answers 1 (operationsError, "00002020 ... without authentication" / "000004DC ... successful bind") to
    // an anonymous search beyond the rootDSE.
    if (/00002020|000004DC|without authentication|successful bind/i.test(message))
      return problem('bind-required', message, { resultCode: code });
    return problem('other', message, { resultCode: code });
  }
  if (typeof code === 'string') {
    if (CERTIFICATE_CODES.has(code)) return problem('tls-certificate', `${code}: ${message}`);
    if (UNREACHABLE_CODES.has(code)) return problem('unreachable', `${code}: ${message}`);
    if (code === 'ETIMEDOUT' || code === 'ABORT_ERR') return problem('timeout', message);
  }
  if (e?.name === 'AbortError' || /timed out|timeout|no answer within/i.test(message))
    return problem('timeout', message);
  if (/certificate|self.signed/i.test(message)) return problem('tls-certificate', message);
  return problem('other', message);
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('no answer before the deadline');
}

/** TCP connect bounded by one timeout: a DC whose port drops packets costs one timeout, not the probe's deadline. */
function connectTcp(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const socket = netConnect({ host: address, port });
    const fail = (error: Error): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(abortError(signal));
    const timer = setTimeout(
      () =>
        fail(
          Object.assign(new Error(`no TCP answer from ${address}:${port} within ${timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', fail);
  });
}

function startTls(socket: Socket, target: LdapTarget, options: SessionOptions): Promise<TLSSocket> {
  let ca: Buffer | undefined;
  if (options.caFile) {
    try {
      ca = readInputFile(options.caFile, INPUT_LIMITS.ca);
    } catch (error) {
      throw new LdapProblem(
        problem('tls-certificate', `--ca ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      host: target.host,
      ...(isIP(target.host) ? {} : { servername: target.host }),
      ...(ca ? { ca } : {}),
      rejectUnauthorized: !options.insecureTls,
    });
    const onAbort = (): void => {
      tls.destroy();
      reject(abortError(options.signal));
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    tls.once('secureConnect', () => {
      options.signal.removeEventListener('abort', onAbort);
      tls.removeAllListeners('error');
      resolve(tls);
    });
    tls.once('error', (error: Error) => {
      options.signal.removeEventListener('abort', onAbort);
      tls.destroy();
      socket.destroy();
      reject(error);
    });
  });
}

async function upgradeWithStartTls(socket: Socket, target: LdapTarget, options: SessionOptions): Promise<TLSSocket> {
  const channel = new MessageChannel(socket, options.signal);
  try {
    const reply = decodeExtendedResponse(await channel.exchange(encodeStartTls(1)));
    if (reply.resultCode !== 0)
      throw new LdapProblem(
        problem('other', `StartTLS refused (result ${reply.resultCode}): ${reply.diagnosticMessage}`, {
          resultCode: reply.resultCode,
        }),
      );
  } finally {
    channel.release();
  }
  return startTls(socket, target, options);
}

async function kerberosBind(socket: Socket, target: LdapTarget, options: SessionOptions): Promise<string | undefined> {
  const channel = new MessageChannel(socket, options.signal);
  try {
    // The service ticket is for ldap/<DC host name>: when only an address is known, ask the rootDSE for the name.
    const hostName = isIP(target.host) ? await readRootDseHostName(channel) : target.host;
    if (!hostName)
      throw new LdapProblem(
        problem(
          'kerberos',
          `the DC at ${target.host} did not tell its host name (rootDSE dnsHostName): pass --dc NAME`,
        ),
      );
    return await gssapiBind(channel, hostName);
  } finally {
    channel.release();
  }
}

/** Opens the session; throws LdapProblem (or a socket/TLS/LDAP error that classifyLdapError understands). */
/** Aborts after one timeout, or with the probe: connecting, TLS and the bind each get no more than that. */
function handshakeDeadline(
  target: LdapTarget,
  port: number,
  options: SessionOptions,
): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const error = Object.assign(
      new Error(`no answer from ${target.address}:${port} within ${options.timeoutMs} ms (connect, TLS, bind)`),
      { code: 'ETIMEDOUT' },
    );
    controller.abort(error);
  }, options.timeoutMs);
  const follow = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', follow);
    },
  };
}

export async function openLdapSession(target: LdapTarget, options: SessionOptions): Promise<LdapSession> {
  const port = portOf(options.transport);
  const deadline = handshakeDeadline(target, port, options);
  const handshake = { ...options, signal: deadline.signal };
  let socket: Socket;
  try {
    socket = await connectTcp(target.address, port, options.timeoutMs, deadline.signal);
  } catch (error) {
    deadline.done();
    throw error;
  }
  const sockets: Socket[] = [socket];
  const destroyAll = (): void => {
    for (const s of sockets) s.destroy();
  };
  options.signal.addEventListener('abort', destroyAll, { once: true });
  deadline.signal.addEventListener('abort', destroyAll, { once: true });
  try {
    if (options.transport === 'ldaps') socket = await startTls(socket, target, handshake);
    else if (options.transport === 'starttls') socket = await upgradeWithStartTls(socket, target, handshake);
    sockets.push(socket);
    let bind: LdapSession['bind'] = 'anonymous';
    let identity: string | undefined;
    let integratedAuthSkipped: string | undefined;
    if (options.kerberos === true) {
      if (options.transport === 'ldap')
        throw new LdapProblem(
          problem('kerberos', 'GSSAPI without a security layer needs TLS: use --ldap ldaps or starttls'),
        );
      identity = await kerberosBind(socket, target, handshake);
      bind = 'gssapi';
    } else if (options.kerberos === 'auto' && options.user === undefined) {
      if (options.transport === 'ldap')
        integratedAuthSkipped = 'GSSAPI without a security layer needs TLS (--ldap ldaps or starttls)';
      else {
        try {
          identity = await kerberosBind(socket, target, handshake);
          bind = 'gssapi';
        } catch (error) {
          // A failed SASL bind leaves the session anonymous: go on with the rootDSE, and say why.
          if (!(error instanceof SaslProblem || error instanceof LdapProblem) || deadline.signal.aborted) throw error;
          integratedAuthSkipped = error.message;
        }
      }
    }
    const ready = socket;
    const client = new Client({
      url: `ldap://${target.address}:${port}`,
      timeout: options.timeoutMs,
      connectTimeout: options.timeoutMs,
      createConnection: () => ready,
    });
    if (options.user !== undefined) {
      await client.bind(options.user, options.password ?? '');
      bind = 'simple';
      identity = options.user;
    }
    deadline.done();
    deadline.signal.removeEventListener('abort', destroyAll);
    const close = async (): Promise<void> => {
      options.signal.removeEventListener('abort', destroyAll);
      try {
        if (!options.signal.aborted)
          await Promise.race([client.unbind(), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
      } catch {
        // The socket is going away anyway.
      } finally {
        destroyAll();
      }
    };
    return { client, port, bind, identity, ...(integratedAuthSkipped ? { integratedAuthSkipped } : {}), close };
  } catch (error) {
    deadline.done();
    options.signal.removeEventListener('abort', destroyAll);
    destroyAll();
    // A socket destroyed by the deadline surfaces as "connection closed": report the deadline instead.
    throw deadline.signal.aborted && !options.signal.aborted ? deadline.signal.reason : error;
  }
}
