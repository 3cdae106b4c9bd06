import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { TRANSPORT_DOWN } from './_network.js';

function discoveryFix(options: { domain?: string; server?: string }): FindingDraft['remediation'] {
  const domain = options.domain ?? 'contoso.com';
  return {
    text: 'Point the container host (and the container) at a DNS server that serves the AD zone, or name a DC with --dc.',
    commands: [
      `nslookup -type=SRV _ldap._tcp.dc._msdcs.${domain} ${options.server ?? ''}`.trim(),
      `nltest /dsgetdc:${domain}`,
    ],
  };
}

/** The DNS server did not answer the DC's name (the probe's reason ends with the lookup's outcome). */
function dnsDown(unresolved: string | undefined): boolean {
  const outcome = /: ([a-z-]+)(?: \(.*\))?$/.exec(unresolved ?? '')?.[1];
  return outcome !== undefined && TRANSPORT_DOWN.has(outcome);
}

export default defineCheck({
  meta: {
    id: 'network/dc-discovery',
    title: 'A domain controller can be found',
    section: 'network',
    link: 'dc',
    fault: 'dc-not-found',
    looksAt: 'The DC locator record _ldap._tcp.dc._msdcs.DOMAIN (or --dc) and the A/AAAA record of each DC it names.',
    why: 'CCG and Netlogon in the container find a DC exactly this way; without one, no gMSA password and no Kerberos ticket.',
    remediation: 'Fix the DNS server the host and container use, or the DC records in the AD zone.',
  },
  needs: [],
  uses: ['dc.candidates', 'net.dns'],
  run(facts) {
    const result = facts.result('dc.candidates');
    const dns = facts.optional('net.dns');
    if (result?.status !== 'ok') {
      const reason = result?.status === 'unavailable' ? result.reason : 'not gathered';
      // The DNS server answered nothing at all: network/dns-transport's finding is this fault's.
      if (dns && dns.lookups.length > 0 && dns.lookups.every((l) => TRANSPORT_DOWN.has(l.outcome)))
        return [
          {
            severity: 'skipped',
            message: `Skipped: no domain controller could be looked up, because ${dns.server.address} answers no DNS query (see network/dns-transport).`,
          },
        ];
      return [
        {
          severity: 'error',
          message: `No domain controller found: ${reason}.`,
          remediation: discoveryFix({ domain: dns?.domain, server: dns?.server.address }),
        },
      ];
    }
    const candidates = result.value;
    const findings: FindingDraft[] = candidates
      .filter((c) => !c.address)
      .map((c) => ({
        severity: 'error',
        fault: dnsDown(c.unresolved) ? 'dns-unreachable' : 'dns-record-missing',
        subject: c.host,
        message: `${c.host} has no address: ${c.unresolved ?? 'its name does not resolve'}.`,
        remediation: discoveryFix({ domain: dns?.domain, server: dns?.server.address }),
      }));
    const found = candidates.filter((c) => c.address);
    if (found.length > 0) {
      const how = found[0]!.source === 'option' ? 'given with --dc' : 'from DNS SRV _ldap._tcp.dc._msdcs';
      findings.push({
        severity: 'pass',
        message: `Found ${found.length} DC${found.length > 1 ? 's' : ''} (${how}): ${found.map((c) => `${c.host} ${c.address}`).join(', ')}.`,
        evidence: { candidates },
      });
    }
    return findings;
  },
});
