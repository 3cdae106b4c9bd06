/**
 * Which domain controllers to talk to: the one named by --dc, else those the DC locator SRV record
 * `_ldap._tcp.dc._msdcs.DOMAIN` lists, with their A records, from --dns-server or the system's resolver.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import { DC_LOCATOR_SRV } from '../protocol/ad-dns.js';
import { chooseDnsServer, resolveWithFallback } from './dns.js';
import type { ExchangeOptions } from './transport.js';
import type { DcCandidate, DnsServer } from '../facts/network.js';

async function addressOf(
  host: string,
  server: DnsServer | undefined,
  viaSystem: boolean,
  exchange: ExchangeOptions,
): Promise<{ address?: string; unresolved?: string }> {
  if (isIP(host)) return { address: host };
  if (viaSystem) {
    try {
      return { address: (await lookup(host, { family: 4 })).address };
    } catch (error) {
      return { unresolved: `system resolver: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  }
  if (!server) return { unresolved: 'no DNS server to ask' };
  // A and AAAA at once: a DNS server that does not answer costs one timeout, not one per record type.
  const [a, aaaa] = await Promise.all([
    resolveWithFallback(server, host, 'A', exchange),
    resolveWithFallback(server, host, 'AAAA', exchange),
  ]);
  const address = a.addresses?.[0] ?? aaaa.addresses?.[0];
  if (address) return { address };
  return { unresolved: `A ${host} @${server.address}: ${a.outcome}` };
}

export async function discoverDcs(options: CheckOptions, signal: AbortSignal): Promise<DcCandidate[] | string> {
  const exchange = { signal, timeoutMs: options.timeoutMs };
  const server = chooseDnsServer(options.dnsServer);
  if (options.dc) {
    // With no --dns-server, a name given by --dc is resolved as the system would (hosts file included).
    const resolved = await addressOf(options.dc, server, options.dnsServer === undefined, exchange);
    return [{ host: options.dc, ...resolved, source: 'option' }];
  }
  if (!options.domain) return 'neither --dc nor --domain was given';
  if (!server)
    return options.dnsServer
      ? `--dns-server ${options.dnsServer}: not an IP address (or address:port)`
      : 'the system has no DNS server: pass --dns-server or --dc';
  const name = DC_LOCATOR_SRV.replace('%s', options.domain);
  const srv = await resolveWithFallback(server, name, 'SRV', exchange);
  if (srv.outcome !== 'answer' || !srv.srv?.length) {
    return `SRV ${name} @${server.address} over ${srv.transport.toUpperCase()}: ${srv.outcome}${srv.detail ? ` (${srv.detail})` : ''}`;
  }
  // An address sent along with the SRV answer saves one round trip per DC.
  const glue = srv.glue ?? {};
  return Promise.all(
    srv.srv.map(async (record) => ({
      host: record.target,
      port: record.port,
      source: 'dns-srv' as const,
      ...(glue[record.target.toLowerCase()]
        ? { address: glue[record.target.toLowerCase()] }
        : await addressOf(record.target, server, false, exchange)),
    })),
  );
}

export function dcDiscoveryProbe(options: CheckOptions): Probe {
  return {
    id: 'dc.discovery',
    title: 'finding the domain controllers',
    provides: ['dc.candidates'],
    timeoutMs: options.timeoutMs * 2 + 500,
    async run(ctx) {
      const found = await discoverDcs(options, ctx.signal);
      return { 'dc.candidates': typeof found === 'string' ? unavailable(found) : found };
    },
  };
}
