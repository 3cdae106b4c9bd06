/**
 * LDAPS (TLS on 636) and StartTLS (on 389) to each DC: the certificate chain against the system store or
 * --ca, the name match for the DC's host name, expiry, and the protocol version. The handshake never fails
 * on a bad certificate here: the check judges it, so the user learns what is wrong with it.
 */
import { isIP, Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { INPUT_LIMITS, readInputFile } from './input-file.js';
import { unavailable } from '../engine/probe.js';
import { BerDecodeError, completeElementLength } from '../protocol/ber.js';
import { decodeExtendedResponse, encodeStartTls } from '../protocol/ldap-message.js';
import { reachableCandidates } from './cldap.js';
import { elapsed, listenForAbort } from './transport.js';
import type { CertificateSummary, TlsMode, TlsResult } from '../facts/network.js';

interface TlsTarget {
  dc: string;
  address: string;
  expectedName: string;
}

interface TlsSettings {
  ca?: string | Buffer;
  caFile?: string;
  insecure: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

function nameFields(record: Record<string, string | string[] | undefined> | undefined): string {
  return Object.entries(record ?? {})
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

function summarise(cert: DetailedPeerCertificate): CertificateSummary {
  return {
    subject: nameFields(cert.subject),
    issuer: nameFields(cert.issuer),
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: new Date(cert.valid_to).toISOString(),
    subjectAltNames: (cert.subjectaltname ?? '').split(', ').filter(Boolean),
    fingerprint256: cert.fingerprint256,
  };
}

/** StartTLS: the ExtendedRequest over plain LDAP, then the handshake on the same socket. */
function startTls(
  socket: Socket,
  onReady: () => void,
  fail: (outcome: TlsResult['outcome'], detail: string) => void,
): void {
  let received = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    received = Buffer.concat([received, chunk]);
    const length = completeElementLength(received);
    if (length === undefined) return;
    socket.off('data', onData);
    try {
      const answer = decodeExtendedResponse(received.subarray(0, length));
      if (answer.resultCode === 0) onReady();
      else
        fail(
          'starttls-refused',
          `the DC refused StartTLS: LDAP result ${answer.resultCode} ${answer.diagnosticMessage}`.trim(),
        );
    } catch (error) {
      if (!(error instanceof BerDecodeError)) throw error;
      fail('error', `unreadable StartTLS answer: ${error.message}`);
    }
  };
  socket.on('data', onData);
  socket.write(encodeStartTls(1));
}

export function tlsHandshake(target: TlsTarget, mode: TlsMode, settings: TlsSettings): Promise<TlsResult> {
  const port = mode === 'ldaps' ? 636 : 389;
  const t0 = performance.now();
  const trust: TlsResult['trust'] = settings.insecure ? 'not-verified' : settings.ca ? 'ca-file' : 'system';
  const base = {
    dc: target.dc,
    address: target.address,
    port,
    mode,
    trust,
    expectedName: target.expectedName,
    ...(settings.caFile ? { caFile: settings.caFile } : {}),
  };
  const raw = new Socket();
  let secure: TLSSocket | undefined;
  return new Promise<TlsResult>((resolve) => {
    let done = false;
    const finish = (result: Omit<TlsResult, keyof typeof base | 'ms'>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      settings.signal?.removeEventListener('abort', onAbort);
      for (const s of [secure, raw]) {
        s?.removeAllListeners();
        s?.on('error', () => undefined);
        s?.destroy();
      }
      resolve({ ...base, ...result, ms: elapsed(t0) });
    };
    const fail = (outcome: TlsResult['outcome'], detail: string): void => finish({ outcome, detail });
    const onAbort = (): void => fail('timeout', 'stopped at the probe deadline');
    // Each network step (StartTLS request, TLS handshake) has its own deadline: StartTLS takes two round trips.
    const expire = (): void =>
      fail(
        'timeout',
        `no answer within ${settings.timeoutMs} ms (${secure ? 'TLS handshake' : mode === 'starttls' ? 'StartTLS request' : 'TLS handshake'})`,
      );
    let timer = setTimeout(expire, settings.timeoutMs);
    if (settings.signal?.aborted) return onAbort();
    listenForAbort(settings.signal, onAbort);
    const onError = (error: NodeJS.ErrnoException): void => {
      const outcome =
        error.code === 'ECONNREFUSED'
          ? 'refused'
          : error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH'
            ? 'unreachable'
            : 'error';
      fail(outcome, error.code ?? error.message);
    };
    const handshake = (): void => {
      clearTimeout(timer);
      timer = setTimeout(expire, settings.timeoutMs);
      secure = tlsConnect({
        socket: raw,
        ...(isIP(target.expectedName) ? {} : { servername: target.expectedName }),
        ...(settings.ca ? { ca: settings.ca } : {}),
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
      secure.on('error', onError);
      secure.on('secureConnect', () => {
        const socket = secure!;
        const cert = socket.getPeerCertificate(true);
        const nameError = cert.raw ? checkServerIdentity(target.expectedName, cert) : new Error('no certificate');
        finish({
          outcome: 'ok',
          protocol: socket.getProtocol() ?? undefined,
          cipher: socket.getCipher().name,
          ...(settings.insecure ? {} : { chainValid: socket.authorized }),
          ...(!settings.insecure && socket.authorizationError ? { chainError: String(socket.authorizationError) } : {}),
          nameMatches: nameError === undefined,
          ...(nameError ? { nameError: nameError.message } : {}),
          ...(cert.raw ? { certificate: summarise(cert) } : {}),
        });
      });
    };
    raw.on('error', onError);
    raw.on('close', () => fail('error', 'the DC closed the connection during the handshake'));
    raw.connect({ host: target.address, port }, () =>
      mode === 'ldaps' ? handshake() : startTls(raw, handshake, fail),
    );
  });
}

function readCa(options: CheckOptions): { ca?: Buffer; caFile?: string; error?: string } {
  const file = options.ldap.caFile;
  if (!file) return {};
  try {
    return { ca: readInputFile(file, INPUT_LIMITS.ca), caFile: file };
  } catch (error) {
    return { caFile: file, error: `cannot read --ca ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function tlsProbe(options: CheckOptions): Probe {
  return {
    id: 'net.tls',
    provides: ['net.tls'],
    needs: ['dc.candidates'],
    // StartTLS is two steps, each with the run's timeout.
    timeoutMs: options.timeoutMs * 2 + 500,
    async run(ctx) {
      const ca = readCa(options);
      if (ca.error) {
        return { 'net.tls': unavailable(ca.error) };
      }
      const settings: TlsSettings = {
        ...ca,
        insecure: options.ldap.insecureTls,
        timeoutMs: options.timeoutMs,
        signal: ctx.signal,
      };
      const dcs = reachableCandidates(ctx.facts.get('dc.candidates'));
      const results = await Promise.all(
        dcs.flatMap((dc) =>
          (['ldaps', 'starttls'] as const).map((mode) =>
            tlsHandshake({ dc: dc.host, address: dc.address, expectedName: dc.host }, mode, settings),
          ),
        ),
      );
      return { 'net.tls': results };
    },
  };
}
