/**
 * Reachability of each DC port: TCP by a connect, UDP by a real protocol exchange (a DNS query on 53, an
 * AS-REQ on 88, an LDAP ping on 389): UDP silence alone proves nothing, so it is never called "open".
 */
import type { CheckOptions } from '../engine/options.js';
import { DC_PORTS } from '../protocol/dc-ports.js';
import type { DcPort } from '../protocol/dc-ports.js';
import type { Probe } from '../engine/probe.js';
import { accountOf, netlogonPing, reachableCandidates } from './cldap.js';
import { askKdc, REACHABILITY_PRINCIPAL } from './kerberos.js';
import { queryDns } from './dns.js';
import { tcpExchange } from './transport.js';
import type { ExchangeOptions } from './transport.js';
import type { PortResult, PortState } from '../facts/network.js';

interface Outcome {
  state: PortState;
  ms: number;
  detail?: string;
}

const stateOf = (outcome: string): PortState =>
  outcome === 'ok' ? 'open' : outcome === 'timeout' || outcome === 'filtered' ? 'filtered' : (outcome as PortState);

async function probeUdp(
  port: number,
  address: string,
  options: CheckOptions,
  exchange: ExchangeOptions,
): Promise<Omit<PortResult, keyof DcPort | 'dc' | 'address'>> {
  if (port === 53) {
    // Any DNS answer (NXDOMAIN and REFUSED included) proves the port open; only silence or ICMP does not.
    const lookup = await queryDns(
      { address, port: 53, source: 'option' },
      options.domain ?? '.',
      'SOA',
      'udp',
      exchange,
    );
    const noAnswer: Partial<Record<string, PortState>> = {
      timeout: 'filtered',
      'connection-refused': 'refused',
      unreachable: 'unreachable',
    };
    const unanswered =
      lookup.outcome === 'error' && lookup.rcode === undefined && !lookup.detail?.startsWith('unreadable');
    const state: PortState = noAnswer[lookup.outcome] ?? (unanswered ? 'error' : 'open');
    return {
      state,
      ms: lookup.ms,
      method: 'dns-query',
      detail: lookup.detail ?? `DNS ${lookup.rcode ?? lookup.outcome}`,
    };
  }
  if (port === 88) {
    const kdc = await askKdc({
      address,
      transport: 'udp',
      client: accountOf(options) ?? REACHABILITY_PRINCIPAL,
      realm: options.domain ?? 'WORKGROUP',
      ...exchange,
    });
    const state = kdc.outcome === 'krb-error' || kdc.outcome === 'as-rep' ? 'open' : stateOf(kdc.outcome);
    return {
      state,
      ms: kdc.ms,
      method: 'kerberos-as-req',
      detail: kdc.error ? `KRB-ERROR ${kdc.error.code} ${kdc.error.name}` : (kdc.detail ?? kdc.outcome),
    };
  }
  const ping = await netlogonPing(address, { ...exchange, dnsDomain: options.domain });
  return {
    state: stateOf(ping.outcome),
    ms: ping.ms,
    method: 'cldap-ping',
    detail: ping.response ? `netlogon ${ping.response.opcodeName}` : (ping.detail ?? ping.outcome),
  };
}

async function probeTcp(port: number, address: string, exchange: ExchangeOptions): Promise<Outcome> {
  const connect = await tcpExchange(address, port, undefined, exchange);
  return { state: stateOf(connect.outcome), ms: connect.ms, ...(connect.detail ? { detail: connect.detail } : {}) };
}

export async function probePorts(
  address: string,
  dc: string,
  options: CheckOptions,
  exchange: ExchangeOptions,
  ports: readonly DcPort[] = DC_PORTS,
): Promise<PortResult[]> {
  return Promise.all(
    ports.map(async (p) => {
      const result =
        p.proto === 'udp'
          ? await probeUdp(p.port, address, options, exchange)
          : { ...(await probeTcp(p.port, address, exchange)), method: 'tcp-connect' as const };
      return { port: p.port, proto: p.proto, service: p.service, dc, address, ...result };
    }),
  );
}

export function portsProbe(options: CheckOptions): Probe {
  return {
    id: 'net.ports',
    title: 'testing the DC ports of the firewall table',
    provides: ['net.ports'],
    needs: ['dc.candidates'],
    timeoutMs: options.timeoutMs + 500,
    async run(ctx) {
      const exchange = { signal: ctx.signal, timeoutMs: options.timeoutMs };
      const dcs = reachableCandidates(ctx.facts.get('dc.candidates'));
      const results = await Promise.all(dcs.map((dc) => probePorts(dc.address, dc.host, options, exchange)));
      return { 'net.ports': results.flat() };
    },
  };
}
