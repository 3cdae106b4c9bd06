/**
 * DNS as the container would use it to find its DC: the AD SRV records and the DCs' A/AAAA records, asked of
 * one server over UDP and over TCP separately, so "UDP 53 works, TCP 53 is blocked" shows.
 */
import { getServers } from 'node:dns';
import { isIP } from 'node:net';
import dnsPacket from 'dns-packet';
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import { AD_SRV_RECORDS } from '../protocol/ad-dns.js';
import { lengthPrefixed, tcpExchange, udpExchange } from './transport.js';
import type { ExchangeOptions } from './transport.js';
import type { DnsLookup, DnsOutcome, DnsRecordType, DnsServer, DnsTransport } from '../facts/network.js';

/** `--dns-server` (address, `address:port` or `[v6]:port`), else the first server the system uses. */
export function chooseDnsServer(option: string | undefined): DnsServer | undefined {
  const text = option ?? getServers()[0];
  if (!text) return undefined;
  const source = option ? 'option' : 'system';
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { address: bracketed[1]!, port: Number(bracketed[2] ?? 53), source };
  const withPort = /^([^:]+):(\d+)$/.exec(text);
  if (withPort) return { address: withPort[1]!, port: Number(withPort[2]), source };
  return isIP(text) ? { address: text, port: 53, source } : undefined;
}

function encodeQuery(id: number, name: string, type: DnsRecordType): Buffer {
  return dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
}

function judgeReply(reply: Uint8Array, lookup: Pick<DnsLookup, 'name' | 'type' | 'transport' | 'ms'>): DnsLookup {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(Buffer.from(reply));
  } catch (error) {
    return {
      ...lookup,
      outcome: 'error',
      detail: `unreadable DNS answer: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const rcode = (packet as { rcode?: string }).rcode ?? 'NOERROR';
  const base = { ...lookup, rcode };
  if (packet.flag_tc)
    return {
      ...base,
      outcome: 'truncated',
      detail: 'the answer did not fit a UDP datagram (TC bit): the client must retry over TCP 53',
    };
  if (rcode === 'NXDOMAIN') return { ...base, outcome: 'nxdomain' };
  if (rcode === 'SERVFAIL') return { ...base, outcome: 'servfail' };
  if (rcode === 'REFUSED') return { ...base, outcome: 'refused' };
  if (rcode !== 'NOERROR') return { ...base, outcome: 'error', detail: `DNS rcode ${rcode}` };
  const answers = (packet.answers ?? []).filter((a) => a.type === lookup.type);
  if (answers.length === 0) return { ...base, outcome: 'nodata' };
  if (lookup.type === 'SRV') {
    const srv = answers.map((a) => {
      const data = (a as dnsPacket.SrvAnswer).data;
      return {
        target: data.target.replace(/\.$/, ''),
        port: data.port,
        priority: data.priority ?? 0,
        weight: data.weight ?? 0,
      };
    });
    const glue = Object.fromEntries(
      (packet.additionals ?? [])
        .filter((a): a is dnsPacket.StringAnswer => a.type === 'A')
        .map((a) => [a.name.replace(/\.$/, '').toLowerCase(), String(a.data)]),
    );
    const sorted = srv.sort((x, y) => x.priority - y.priority || y.weight - x.weight);
    return { ...base, outcome: 'answer', srv: sorted, ...(Object.keys(glue).length ? { glue } : {}) };
  }
  return { ...base, outcome: 'answer', addresses: answers.map((a) => String((a as dnsPacket.StringAnswer).data)) };
}

/** One question over one transport. Never throws. */
export async function queryDns(
  server: DnsServer,
  name: string,
  type: DnsRecordType,
  transport: DnsTransport,
  options: ExchangeOptions,
): Promise<DnsLookup> {
  const id = Math.floor(Math.random() * 0xffff);
  const query = encodeQuery(id, name, type);
  const result =
    transport === 'udp'
      ? await udpExchange(server.address, server.port, query, {
          ...options,
          accept: (r) => r.length >= 2 && ((r[0]! << 8) | r[1]!) === id,
        })
      : await tcpExchange(
          server.address,
          server.port,
          Buffer.concat([Uint8Array.of(query.length >> 8, query.length & 0xff), query]),
          {
            ...options,
            complete: lengthPrefixed(2),
          },
        );
  const lookup = { name, type, transport, ms: result.ms };
  if (result.outcome === 'ok' && result.reply)
    return judgeReply(transport === 'tcp' ? result.reply.subarray(2) : result.reply, lookup);
  const outcome: DnsOutcome = {
    filtered: 'timeout',
    refused: 'connection-refused',
    unreachable: 'unreachable',
    error: 'error',
    ok: 'error',
  }[result.outcome] as DnsOutcome;
  return { ...lookup, outcome, ...(result.detail ? { detail: result.detail } : {}) };
}

/**
 * Asks over UDP and TCP at once and takes the first answer (UDP's when both answer): a resolver would retry
 * over TCP after losing UDP, but waiting for that would cost a second timeout.
 */
export async function resolveWithFallback(
  server: DnsServer,
  name: string,
  type: DnsRecordType,
  options: ExchangeOptions,
): Promise<DnsLookup> {
  // The loser is stopped as soon as the winner answers, so no socket outlives the lookup.
  const stopLoser = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopLoser.signal]) : stopLoser.signal;
  const udp = queryDns(server, name, type, 'udp', { ...options, signal });
  const tcp = queryDns(server, name, type, 'tcp', { ...options, signal });
  const conclusive = (lookup: DnsLookup): boolean =>
    lookup.outcome !== 'timeout' &&
    lookup.outcome !== 'truncated' &&
    lookup.outcome !== 'error' &&
    lookup.outcome !== 'unreachable' &&
    lookup.outcome !== 'connection-refused';
  const first = await Promise.race([
    udp.then((l) => (conclusive(l) ? l : tcp)),
    tcp.then((l) => (conclusive(l) ? l : udp)),
  ]);
  stopLoser.abort();
  return conclusive(first) ? first : udp;
}

async function lookupsOverTransport(
  server: DnsServer,
  domain: string,
  transport: DnsTransport,
  options: ExchangeOptions,
): Promise<DnsLookup[]> {
  const srvNames = AD_SRV_RECORDS.map((pattern) => pattern.replace('%s', domain));
  const srv = await Promise.all(srvNames.map((name) => queryDns(server, name, 'SRV', transport, options)));
  const dcHosts = [...new Set((srv[0]?.srv ?? []).map((s) => s.target))];
  const hosts = await Promise.all(
    dcHosts.flatMap((host) => (['A', 'AAAA'] as const).map((type) => queryDns(server, host, type, transport, options))),
  );
  return [...srv, ...hosts];
}

export function dnsProbe(options: CheckOptions): Probe {
  return {
    id: 'net.dns',
    title: "asking DNS for the domain's SRV records",
    provides: ['net.dns'],
    needs: ['net.domain'],
    // Two rounds (SRV, then the DCs' A/AAAA) may each wait one timeout when a transport is dropped.
    timeoutMs: options.timeoutMs * 2 + 500,
    async run(ctx) {
      const domain = ctx.facts.get('net.domain');
      const server = chooseDnsServer(options.dnsServer);
      if (!server)
        return {
          'net.dns': unavailable(
            options.dnsServer
              ? `--dns-server ${options.dnsServer}: not an IP address (or address:port)`
              : 'the system has no DNS server configured',
          ),
        };
      const exchange = { signal: ctx.signal, timeoutMs: options.timeoutMs };
      const [udp, tcp] = await Promise.all([
        lookupsOverTransport(server, domain, 'udp', exchange),
        lookupsOverTransport(server, domain, 'tcp', exchange),
      ]);
      return { 'net.dns': { server, domain, lookups: [...udp, ...tcp] } };
    },
  };
}
