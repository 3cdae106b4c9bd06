import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { AD_SRV_RECORDS } from '../../protocol/ad-dns.js';
import type { Severity } from '../../engine/finding.js';
import type { DnsFacts, DnsLookup } from '../../facts/network.js';
import { TRANSPORT_DOWN, lookupProblem } from './_network.js';

function srvSeverity(name: string): Severity {
  return name.startsWith('_ldap._tcp.dc._msdcs.') || name.startsWith('_kerberos.') ? 'error' : 'warning';
}

/**
 * One lookup per name whose server said "no": NXDOMAIN, SERVFAIL, no data... A blocked transport is the
 * transport check's finding, so only what the server said counts here; a missing AAAA is normal.
 */
function failedLookups(dns: DnsFacts): DnsLookup[] {
  const failed: DnsLookup[] = [];
  for (const key of new Set(dns.lookups.map((l) => `${l.type} ${l.name}`))) {
    const said = dns.lookups.filter(
      (l) => `${l.type} ${l.name}` === key && !TRANSPORT_DOWN.has(l.outcome) && l.outcome !== 'truncated',
    );
    if (said.length === 0 || said.some((l) => l.outcome === 'answer')) continue;
    const first = said[0]!;
    if (first.type === 'AAAA' && first.outcome === 'nodata') continue;
    if (
      first.type === 'A' &&
      first.outcome === 'nodata' &&
      dns.lookups.some((l) => l.type === 'AAAA' && l.name === first.name && l.outcome === 'answer')
    )
      continue;
    failed.push(first);
  }
  return failed;
}

function allSrvFinding(srv: readonly DnsLookup[], server: string): FindingDraft {
  const first = srv[0]!;
  return {
    severity: 'error',
    subject: first.name,
    message: `${lookupProblem(first, server)}; the same for ${srv.length - 1} other AD SRV record${srv.length > 2 ? 's' : ''}.`,
    evidence: { names: srv.map((l) => l.name), outcome: first.rcode ?? first.outcome },
    remediation: {
      text: 'Check the domain name, and that the host and container use a DNS server that serves the AD zone.',
      commands: [`nslookup -type=SRV ${first.name} ${server}`, 'ipconfig /all   # which DNS servers the host uses'],
    },
  };
}

export default defineCheck({
  meta: {
    id: 'network/dns-srv',
    title: 'The AD SRV and DC host records exist',
    section: 'network',
    link: 'dc',
    fault: 'dns-record-missing',
    looksAt: `SRV ${AD_SRV_RECORDS.join(', ').replaceAll('%s', 'DOMAIN')} and the A/AAAA records of the DCs they name.`,
    why: 'Windows (and CCG in the container) locates DCs, KDCs and the global catalog only through these records.',
    remediation:
      'Make the host and container use the AD DNS servers; on the DC, `nltest /dsregdns` re-registers missing records.',
  },
  needs: ['net.dns'],
  run(facts) {
    const dns: DnsFacts = facts.get('net.dns');
    const server = dns.server.address;
    const failed = failedLookups(dns);
    // When every SRV record fails the same way (a wrong domain, a DNS server without the AD zone), say it once.
    const srv = failed.filter((l) => l.type === 'SRV');
    const sameSrvFailure = srv.length > 1 && srv.every((l) => l.outcome === srv[0]!.outcome);
    const findings: FindingDraft[] = sameSrvFailure ? [allSrvFinding(srv, server)] : [];
    for (const lookup of sameSrvFailure ? failed.filter((l) => l.type !== 'SRV') : failed) {
      findings.push({
        severity: lookup.type === 'SRV' ? srvSeverity(lookup.name) : 'error',
        subject: lookup.name,
        message: lookupProblem(lookup, server) + '.',
        evidence: {
          outcomes: Object.fromEntries(
            dns.lookups
              .filter((l) => l.type === lookup.type && l.name === lookup.name)
              .map((l) => [l.transport, l.rcode ?? l.outcome]),
          ),
        },
        remediation: {
          text: 'Check the DNS server the host and container use, and that the DC registered its records.',
          commands: [`nslookup -type=${lookup.type} ${lookup.name} ${server}`, 'nltest /dsregdns   # on the DC'],
        },
      });
    }
    if (findings.length > 0) return findings;
    // No answer at all over either transport: the records are unknown, and network/dns-transport says why.
    if (!dns.lookups.some((l) => l.outcome === 'answer')) {
      return [
        {
          severity: 'skipped',
          message: `Skipped: ${server} answered no lookup over UDP or TCP 53, so the AD records are unknown (see network/dns-transport).`,
        },
      ];
    }
    const locator = dns.lookups.find((l) => l.type === 'SRV' && l.outcome === 'answer' && l.srv);
    return [
      {
        severity: 'pass',
        message: `The AD SRV records for ${dns.domain} and the DCs' host records resolve at ${server}.`,
        ...(locator?.srv ? { evidence: { dcs: locator.srv.map((r) => `${r.target}:${r.port}`) } } : {}),
      },
    ];
  },
});
