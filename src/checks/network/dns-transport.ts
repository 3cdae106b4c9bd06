import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { DnsTransport } from '../../facts/network.js';
import { TRANSPORT_DOWN, firewallFix, firewallRow, lookupProblem, unreachableText } from './_network.js';

const PORT_STATE_OF: Record<string, string> = {
  timeout: 'filtered',
  'connection-refused': 'refused',
  unreachable: 'unreachable',
};

export default defineCheck({
  meta: {
    id: 'network/dns-transport',
    title: 'DNS answers over both UDP 53 and TCP 53',
    section: 'network',
    link: 'dc',
    looksAt: 'Every AD lookup, asked once over UDP and once over TCP of the same DNS server.',
    why: 'Large answers (many DCs, many SRV records) come truncated over UDP and need TCP 53; a firewall that allows only one of them breaks DC location intermittently.',
    remediation:
      "Allow both TCP and UDP 53 from the host and the container to the DNS server (the guide's firewall table).",
  },
  needs: ['net.dns'],
  run(facts) {
    const dns = facts.get('net.dns');
    const server = dns.server.address;
    const findings: FindingDraft[] = [];
    for (const transport of ['udp', 'tcp'] as DnsTransport[]) {
      const lookups = dns.lookups.filter((l) => l.transport === transport);
      const down = lookups.filter((l) => TRANSPORT_DOWN.has(l.outcome));
      if (lookups.length > 0 && down.length === lookups.length) {
        const other = transport === 'udp' ? 'tcp' : 'udp';
        const otherWorks = dns.lookups.some((l) => l.transport === other && !TRANSPORT_DOWN.has(l.outcome));
        findings.push({
          severity: 'error',
          subject: `${server}:53/${transport}`,
          message: `DNS over ${transport.toUpperCase()} 53 to ${server}: ${unreachableText(PORT_STATE_OF[down[0]!.outcome] ?? down[0]!.outcome, down[0]!.ms)}${otherWorks ? `, while ${other.toUpperCase()} 53 answers` : ''}; ${firewallRow(53)}.`,
          evidence: { server, transport, lookups: down.map((l) => `${l.type} ${l.name}: ${l.outcome}`) },
          remediation: firewallFix(53, transport, 'the DNS server', server),
        });
      }
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
