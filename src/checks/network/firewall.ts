import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { guideRowOf } from '../../protocol/dc-ports.js';
import type { PortResult } from '../../facts/network.js';
import { firewallFix, firewallRow, transportsText, unreachableText } from './_network.js';

/** "filtered: no answer within 2000 ms", once when every transport failed the same way, else per transport. */
function statesText(closed: readonly PortResult[]): string {
  const [first] = closed;
  if (closed.every((p) => p.state === first!.state)) {
    const ms = Math.max(...closed.map((p) => p.ms));
    return `${closed.length > 1 ? 'are' : 'is'} ${unreachableText(first!.state, ms, closed.length > 1 ? undefined : first!.proto)}`;
  }
  return closed.map((p) => `${p.proto.toUpperCase()} ${unreachableText(p.state, p.ms, p.proto)}`).join(', ');
}

/** One finding per blocked port of a DC, with every transport of it: TCP and UDP 88 are one fault, one fix. */
function portFinding(closed: readonly PortResult[], open: readonly PortResult[]): FindingDraft {
  const { port, dc, address } = closed[0]!;
  const protos = closed.map((p) => p.proto);
  const service = closed.map((p) => p.service).reduce((a, b) => (b.length < a.length ? b : a));
  const answering = open.filter((p) => p.port === port).map((p) => p.proto);
  const others = answering.length > 0 ? `, while ${transportsText(answering, port)} answers` : '';
  return {
    severity: guideRowOf(port) ? 'error' : 'warning',
    subject: `${dc} ${transportsText(protos, port)}`,
    message: `${transportsText(protos, port)} (${service}) on ${dc} ${statesText(closed)}${others}; ${firewallRow(port)}.`,
    evidence: {
      address,
      ...Object.fromEntries(
        closed.map((p) => [
          p.proto,
          { state: p.state, ms: p.ms, method: p.method, ...(p.detail ? { detail: p.detail } : {}) },
        ]),
      ),
    },
    remediation: firewallFix(port, protos, dc, address),
  };
}

/** No answer of any kind, not even a refusal (which proves the host is up). */
const SILENT = new Set(['filtered', 'unreachable']);

/** No port answers at all: the DC is down or out of reach, which is one finding, not twelve. */
function silentDcFinding(ports: readonly PortResult[]): FindingDraft {
  const { dc, address } = ports[0]!;
  const states = [...new Set(ports.map((p) => p.state))];
  const how =
    states.length === 1
      ? `all ${unreachableText(states[0]!, Math.max(...ports.map((p) => p.ms)))}`
      : ports.map((p) => `${p.proto.toUpperCase()} ${p.port} ${p.state}`).join(', ');
  return {
    severity: 'error',
    fault: 'dc-unreachable',
    subject: dc,
    message: `${dc} (${address}) answers on none of the ${ports.length} DC ports (${how}): the DC is down, unreachable from here, or a firewall blocks all traffic to it.`,
    evidence: { address, ports: ports.map((p) => `${p.proto}/${p.port} ${p.state}`) },
    remediation: {
      text: `Check that ${dc} is running and that this machine (and the container host) can route to ${address}; then the firewalls in between.`,
      commands: [
        `Test-NetConnection -ComputerName ${address} -Port 389`,
        `Test-NetConnection -ComputerName ${address} -Port 88`,
      ],
    },
  };
}

export default defineCheck({
  meta: {
    id: 'network/firewall',
    title: "The DC ports of the guide's firewall table are reachable",
    section: 'network',
    link: 'dc',
    fault: 'port-blocked',
    looksAt:
      "TCP and UDP 53, 88, 389; TCP 139, 636 (the guide's table) and TCP 445, 464, 3268, 3269 on each DC. UDP ports are judged by a real exchange: a DNS query, an AS-REQ, an LDAP ping.",
    why: 'A strict firewall on the host or container network blocks the container from the DC: no ticket, no gMSA password, no name lookups.',
    remediation: 'Open the blocked ports from the container host and the container network to every DC.',
  },
  needs: ['net.ports'],
  run(facts) {
    const ports: PortResult[] = facts.get('net.ports');
    const findings: FindingDraft[] = [];
    for (const dc of new Set(ports.map((p) => p.dc))) {
      const mine = ports.filter((p) => p.dc === dc);
      const closed = mine.filter((p) => p.state !== 'open');
      const open = mine.filter((p) => p.state === 'open');
      if (closed.length === 0) {
        findings.push({
          severity: 'pass',
          subject: dc,
          message: `All ${mine.length} DC ports answer on ${dc} (UDP 53/88/389 by a DNS query, an AS-REQ and an LDAP ping).`,
        });
      } else if (mine.length > 1 && mine.every((p) => SILENT.has(p.state))) {
        findings.push(silentDcFinding(mine));
      } else {
        for (const port of new Set(closed.map((p) => p.port)))
          findings.push(
            portFinding(
              closed.filter((p) => p.port === port),
              open,
            ),
          );
      }
    }
    return findings;
  },
});
