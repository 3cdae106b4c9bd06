import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { DnsLookup, DnsTransport } from '../../facts/network.js';
import {
  TRANSPORT_DOWN,
  deferredToFirewall,
  firewallFix,
  firewallRow,
  lookupProblem,
  transportsText,
  unreachableText,
} from './_network.js';

const PORT_STATE_OF: Record<string, string> = {
  timeout: 'filtered',
  'connection-refused': 'refused',
  unreachable: 'unreachable',
};

const stateText = (l: DnsLookup): string => unreachableText(PORT_STATE_OF[l.outcome] ?? l.outcome, l.ms, l.transport);

export default defineCheck({
  meta: {
    id: 'network/dns-transport',
    title: 'DNS answers over both UDP 53 and TCP 53',
    section: 'network',
    link: 'dc',
    fault: 'port-blocked',
    looksAt: 'Every AD lookup, asked once over UDP and once over TCP of the same DNS server.',
    why: 'Large answers (many DCs, many SRV records) come truncated over UDP and need TCP 53; a firewall that allows only one of them breaks DC location intermittently.',
    remediation:
      "Allow both TCP and UDP 53 from the host and the container to the DNS server (the guide's firewall table).",
  },
  needs: ['net.dns'],
  uses: ['net.ports'],
  run(facts) {
    const dns = facts.get('net.dns');
    const ports = facts.optional('net.ports');
    const server = dns.server.address;
    const findings: FindingDraft[] = [];
    const downOver = (transport: DnsTransport): DnsLookup | undefined => {
      const lookups = dns.lookups.filter((l) => l.transport === transport);
      return lookups.length > 0 && lookups.every((l) => TRANSPORT_DOWN.has(l.outcome)) ? lookups[0] : undefined;
    };
    const down = (['udp', 'tcp'] as DnsTransport[]).flatMap((t) => downOver(t) ?? []);
    // The DNS server is a DC whose port network/firewall found closed: that is the one finding of this fault.
    const closed = down.map((l) =>
      ports?.find((p) => p.address === server && p.port === 53 && p.proto === l.transport && p.state !== 'open'),
    );
    if (down.length > 0 && closed.every((p) => p !== undefined)) {
      findings.push(
        deferredToFirewall(
          `${server}:53`,
          `DNS over ${transportsText(
            down.map((l) => l.transport),
            53,
          )}`,
          closed,
        ),
      );
    } else if (down.length === 2) {
      findings.push({
        severity: 'error',
        fault: 'dns-unreachable',
        subject: `${server}:53`,
        message: `DNS server ${server} answers neither over UDP 53 (${stateText(down[0]!)}) nor over TCP 53 (${stateText(down[1]!)}): no DC can be located through it; ${firewallRow(53)}.`,
        evidence: { server, lookups: down.length },
        remediation: firewallFix(53, ['udp', 'tcp'], 'the DNS server', server),
      });
    } else if (down.length === 1) {
      const [lookup] = down as [DnsLookup];
      const other = lookup.transport === 'udp' ? 'tcp' : 'udp';
      findings.push({
        severity: 'error',
        subject: `${server}:53/${lookup.transport}`,
        message: `DNS over ${lookup.transport.toUpperCase()} 53 to ${server}: ${stateText(lookup)}, while ${other.toUpperCase()} 53 answers; ${firewallRow(53)}.`,
        evidence: {
          server,
          transport: lookup.transport,
          lookups: dns.lookups
            .filter((l) => l.transport === lookup.transport)
            .map((l) => `${l.type} ${l.name}: ${l.outcome}`),
        },
        remediation: firewallFix(53, lookup.transport, 'the DNS server', server),
      });
    }
    const truncated = dns.lookups.filter((l) => l.outcome === 'truncated');
    for (const t of truncated)
      findings.push({ severity: 'warning', subject: t.name, message: lookupProblem(t, server) + '.' });
    if (findings.length === 0) {
      findings.push({
        severity: 'pass',
        message: `DNS server ${server} (${dns.server.source}) answers over UDP 53 and TCP 53 (${dns.lookups.length} lookups).`,
      });
    }
    return findings;
  },
});
