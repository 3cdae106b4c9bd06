/** The CLDAP netlogon ping (UDP 389, [MS-ADTS] 6.3.3) to each DC: what `nltest /dsgetdc` shows. */
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { BerDecodeError } from '../protocol/ber.js';
import { decodeCldapResponse, encodeNetlogonPing } from '../protocol/cldap.js';
import { decodeNetlogonSamLogonResponseEx } from '../protocol/netlogon.js';
import { udpExchange } from './transport.js';
import type { ExchangeOptions } from './transport.js';
import type { CldapPing, DcCandidate } from '../facts/network.js';

export interface PingOptions extends ExchangeOptions {
  dnsDomain?: string;
  user?: string;
}

/** Sends one LDAP ping and decodes the answer. Never throws. */
export async function netlogonPing(address: string, options: PingOptions): Promise<Omit<CldapPing, 'dc'>> {
  const messageId = 1 + Math.floor(Math.random() * 0x7ffffffe);
  const request = encodeNetlogonPing({ messageId, dnsDomain: options.dnsDomain, user: options.user });
  const result = await udpExchange(address, 389, request, options);
  const base = { address, ms: result.ms, ...(options.user ? { user: options.user } : {}) };
  if (result.outcome !== 'ok' || !result.reply)
    return { ...base, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) };
  try {
    const answer = decodeCldapResponse(result.reply);
    if (!answer.netlogon) {
      const why =
        answer.resultCode === undefined
          ? 'no Netlogon attribute'
          : `LDAP result ${answer.resultCode} ${answer.diagnosticMessage ?? ''}`.trim();
      return { ...base, outcome: 'error', detail: `the DC answered the LDAP ping without a netlogon response: ${why}` };
    }
    return { ...base, outcome: 'ok', response: decodeNetlogonSamLogonResponseEx(answer.netlogon) };
  } catch (error) {
    if (error instanceof BerDecodeError)
      return { ...base, outcome: 'error', detail: `unreadable LDAP ping answer: ${error.message}` };
    throw error;
  }
}

/** The DCs a probe can talk to: those with an address. */
export function reachableCandidates(candidates: readonly DcCandidate[]): Array<DcCandidate & { address: string }> {
  return candidates.filter((c): c is DcCandidate & { address: string } => c.address !== undefined);
}

/** The SAM account name to ask DCs and KDCs about: the first gMSA (with its $), else none. */
export function accountOf(options: CheckOptions): string | undefined {
  return options.gmsas[0] ? `${options.gmsas[0]}$` : undefined;
}

export function cldapProbe(options: CheckOptions): Probe {
  return {
    id: 'net.cldap',
    title: 'sending the LDAP ping to the DCs',
    provides: ['net.cldap'],
    needs: ['dc.candidates'],
    timeoutMs: options.timeoutMs + 500,
    async run(ctx) {
      const dcs = reachableCandidates(ctx.facts.get('dc.candidates'));
      const ping = {
        signal: ctx.signal,
        timeoutMs: options.timeoutMs,
        dnsDomain: options.domain,
        user: accountOf(options),
      };
      const pings = await Promise.all(
        dcs.map(async (dc) => ({ dc: dc.host, ...(await netlogonPing(dc.address, ping)) })),
      );
      return { 'net.cldap': pings };
    },
  };
}
