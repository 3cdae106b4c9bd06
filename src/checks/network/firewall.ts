import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { guideRowOf } from '../../protocol/dc-ports.js';
import type { PortResult } from '../../facts/network.js';
import { firewallFix, firewallRow, unreachableText } from './_network.js';

export default defineCheck({
  meta: {
    id: 'network/firewall',
    title: "The DC ports of the guide's firewall table are reachable",
    section: 'network',
    link: 'dc',
    looksAt:
      "TCP and UDP 53, 88, 389; TCP 139, 636 (the guide's table) and TCP 445, 464, 3268, 3269 on each DC. UDP ports are judged by a real exchange: a DNS query, an AS-REQ, an LDAP ping.",
    why: 'A strict firewall on the host or container network blocks the container from the DC: no ticket, no gMSA password, no name lookups.',
    remediation: 'Open the blocked ports from the container host and the container network to every DC.',
  },
  needs: ['net.ports'],
  run(facts) {
    const ports: PortResult[] = facts.get('net.ports');
    const findings: FindingDraft[] = ports
      .filter((p) => p.state !== 'open')
      .map((p) => ({
        severity: guideRowOf(p.port) ? 'error' : 'warning',
        subject: `${p.dc} ${p.proto.toUpperCase()} ${p.port}`,
        message: `${p.proto.toUpperCase()} ${p.port} (${p.service}) on ${p.dc} is ${unreachableText(p.state, p.ms)}; ${firewallRow(p.port)}.`,
        evidence: {
          address: p.address,
          state: p.state,
          ms: p.ms,
          method: p.method,
          ...(p.detail ? { detail: p.detail } : {}),
        },
        remediation: firewallFix(p.port, p.proto, p.dc, p.address),
      }));
    const dcs = [...new Set(ports.map((p) => p.dc))];
    for (const dc of dcs) {
      const mine = ports.filter((p) => p.dc === dc);
      if (mine.every((p) => p.state === 'open')) {
        findings.push({
          severity: 'pass',
          subject: dc,
          message: `All ${mine.length} DC ports answer on ${dc} (UDP 53/88/389 by a DNS query, an AS-REQ and an LDAP ping).`,
        });
      }
    }
    return findings;
  },
});
