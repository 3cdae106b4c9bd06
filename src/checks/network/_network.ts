/** What the checks of "Check the network configuration" share: the guide's firewall rows and how failures read. */
import type { FindingDraft } from '../../engine/finding.js';
import type { DnsLookup, PortProto, PortResult } from '../../facts/network.js';
import { guideRowOf } from '../../protocol/dc-ports.js';

/** What the firewall finding says about a port: the guide's row, or the AD port list for the others. */
export function firewallRow(port: number): string {
  const row = guideRowOf(port);
  return row
    ? `the guide's firewall table requires ${row}`
    : `not in the guide's firewall table, but in "Active Directory and AD DS port requirements" (port ${port})`;
}

/** How a port that did not answer failed; `proto` says what a refusal was (a TCP reset, an ICMP port unreachable). */
export function unreachableText(state: string, ms: number, proto?: PortProto): string {
  switch (state) {
    case 'filtered':
    case 'timeout':
      return `filtered: no answer within ${ms} ms (a firewall drops the packets)`;
    case 'refused': {
      const how = proto === 'udp' ? 'ICMP port unreachable' : proto === 'tcp' ? 'TCP reset' : undefined;
      return `refused after ${ms} ms (${how ? `${how}: ` : ''}nothing listens, or a firewall rejects)`;
    }
    case 'unreachable':
      return 'unreachable (no route to the DC)';
    default:
      return `failed (${state})`;
  }
}

/** "TCP 88", "TCP and UDP 88". */
export function transportsText(protos: readonly string[], port: number): string {
  return `${[...new Set(protos)].map((p) => p.toUpperCase()).join(' and ')} ${port}`;
}

export function firewallFix(
  port: number,
  protos: PortProto | readonly PortProto[],
  dc: string,
  address: string,
): FindingDraft['remediation'] {
  const each = typeof protos === 'string' ? [protos] : [...new Set(protos)];
  return {
    text: `Allow ${transportsText(each, port)} from the container host (and the container network) to ${dc}; ${firewallRow(port)}.`,
    commands: [
      `Test-NetConnection -ComputerName ${address} -Port ${port}`,
      ...each.map(
        (proto) =>
          `New-NetFirewallRule -DisplayName "gMSA ${proto.toUpperCase()} ${port} to DC" -Direction Outbound -Protocol ${proto.toUpperCase()} -RemotePort ${port} -RemoteAddress ${address} -Action Allow`,
      ),
    ],
  };
}

/**
 * The DC port network/firewall found closed, if it did. A check whose exchange crossed that port says no more than
 * "not judged, see network/firewall": one fault, one finding.
 */
export function closedPort(
  ports: readonly PortResult[] | undefined,
  dc: string,
  port: number,
  proto: PortProto,
): PortResult | undefined {
  return ports?.find((p) => p.dc === dc && p.port === port && p.proto === proto && p.state !== 'open');
}

/** What a check says when the port its exchange needed is network/firewall's finding. */
export function deferredToFirewall(subject: string, what: string, closed: readonly PortResult[]): FindingDraft {
  const states = closed.map((p) => `${p.proto.toUpperCase()} ${p.port} is ${p.state}`).join(', ');
  return {
    severity: 'skipped',
    subject,
    message: `Skipped: ${what} could not be judged: ${states} on ${closed[0]!.dc} (see network/firewall).`,
  };
}

export function lookupProblem(lookup: DnsLookup, server: string): string {
  const what = `${lookup.type} ${lookup.name} over ${lookup.transport.toUpperCase()} @${server}`;
  switch (lookup.outcome) {
    case 'nxdomain':
      return `${what}: NXDOMAIN, the name does not exist (wrong domain name, or a DNS server that does not serve the AD zone)`;
    case 'nodata':
      return `${what}: the name exists but has no ${lookup.type} record`;
    case 'servfail':
      return `${what}: SERVFAIL, the server failed to answer (broken forwarder or zone)`;
    case 'refused':
      return `${what}: REFUSED, the server will not answer this client`;
    case 'truncated':
      return `${what}: the answer was truncated (TC bit); the client must retry over TCP 53`;
    case 'timeout':
      return `${what}: no answer within ${lookup.ms} ms`;
    case 'connection-refused':
      return `${what}: connection refused`;
    default:
      return `${what}: ${lookup.outcome}${lookup.detail ? ` (${lookup.detail})` : ''}`;
  }
}

/** Lookup outcomes that mean the transport, not the server, failed. */
export const TRANSPORT_DOWN = new Set(['timeout', 'connection-refused', 'unreachable']);
