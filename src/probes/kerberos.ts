/**
 * Asks a KDC about `name$@REALM` with an AS-REQ without pre-authentication, over UDP or TCP 88. The KRB-ERROR
 * that comes back says whether the account exists (25), is unknown (6) or disabled (18), lists its enctypes,
 * and carries the KDC's clock.
 */
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { BerDecodeError } from '../protocol/ber.js';
import { decodeKdcReply, encodeAsReq, frameForTcp } from '../protocol/kerberos.js';
import { accountOf, reachableCandidates } from './cldap.js';
import { lengthPrefixed, tcpExchange, udpExchange } from './transport.js';
import type { KdcExchange, KdcTransport } from '../facts/network.js';

export interface KdcRequest {
  address: string;
  port?: number;
  transport: KdcTransport;
  /** Client name without realm, e.g. `webapp01$`. */
  client: string;
  realm: string;
  signal?: AbortSignal;
  timeoutMs: number;
}

/** One AS-REQ, one answer. Never throws: every way it can end is a KdcOutcome. */
export async function askKdc(request: KdcRequest): Promise<KdcExchange> {
  const port = request.port ?? 88;
  const realm = request.realm.toUpperCase();
  const message = encodeAsReq({ client: request.client, realm, nonce: Math.floor(Math.random() * 0x7fffffff) });
  const exchange = { signal: request.signal, timeoutMs: request.timeoutMs };
  const sentAt = Date.now();
  const result =
    request.transport === 'udp'
      ? await udpExchange(request.address, port, message, exchange)
      : await tcpExchange(request.address, port, frameForTcp(message), { ...exchange, complete: lengthPrefixed(4) });
  const base = {
    address: request.address,
    port,
    transport: request.transport,
    principal: `${request.client}@${realm}`,
    ms: result.ms,
  };
  if (result.outcome !== 'ok' || !result.reply) {
    const outcome = result.outcome === 'filtered' ? 'timeout' : result.outcome === 'ok' ? 'error' : result.outcome;
    return { ...base, outcome, ...(result.detail ? { detail: result.detail } : {}) };
  }
  try {
    const reply = decodeKdcReply(request.transport === 'tcp' ? result.reply.subarray(4) : result.reply);
    if (reply.kind === 'as-rep') return { ...base, outcome: 'as-rep' };
    // Our clock at the middle of the exchange is the best match for the KDC's stime.
    const ourTime = sentAt + result.ms / 2;
    return { ...base, outcome: 'krb-error', error: reply, clockSkewMs: Math.round(reply.serverTimeMs - ourTime) };
  } catch (error) {
    if (error instanceof BerDecodeError)
      return { ...base, outcome: 'error', detail: `unreadable KDC answer: ${error.message}` };
    throw error;
  }
}

/** A name no domain has, for when no gMSA is given: the KDC still answers (error 6) with its clock. */
export const REACHABILITY_PRINCIPAL = 'gmsa-doctor-probe$';

export function kerberosProbe(options: CheckOptions): Probe {
  return {
    id: 'net.kerberos',
    title: 'asking the KDCs about the gMSA',
    provides: ['net.kerberos'],
    needs: ['dc.candidates', 'net.domain'],
    timeoutMs: options.timeoutMs + 500,
    async run(ctx) {
      const account = accountOf(options);
      const realm = ctx.facts.get('net.domain').toUpperCase();
      const dcs = reachableCandidates(ctx.facts.get('dc.candidates'));
      const asks = dcs.flatMap((dc) =>
        (['udp', 'tcp'] as const).map(async (transport) => ({
          dc: dc.host,
          ...(await askKdc({
            address: dc.address,
            transport,
            client: account ?? REACHABILITY_PRINCIPAL,
            realm,
            signal: ctx.signal,
            timeoutMs: options.timeoutMs,
          })),
        })),
      );
      return { 'net.kerberos': { ...(account ? { account } : {}), realm, exchanges: await Promise.all(asks) } };
    },
  };
}
