/** What the checks of "Check the network configuration" share: the guide's firewall rows and how failures read. */
import type { FindingDraft } from '../../engine/finding.js';
import type { DnsLookup } from '../../facts/network.js';
import { guideRowOf } from '../../protocol/dc-ports.js';

/** What the firewall finding says about a port: the guide's row, or the AD port list for the others. */
export function firewallRow(port: number): string {
  const row = guideRowOf(port);
  return row
    ? `the guide's firewall table requires ${row}`
    : `not in the guide's firewall table, but in "Active Directory and AD DS port requirements" (port ${port})`;
}

export function unreachableText(state: string, ms: number): string {
  switch (state) {
    case 'filtered':
    case 'timeout':
      return `filtered: no answer within ${ms} ms (a firewall drops the packets)`;
    case 'refused':
      return `refused after ${ms} ms (nothing listens, or a firewall rejects)`;
    case 'unreachable':
      return 'unreachable (no route to the DC)';
    default:
      return `failed (${state})`;
  }
}

export function firewallFix(port: number, proto: string, dc: string, address: string): FindingDraft['remediation'] {
  return {
    text: `Allow ${proto.toUpperCase()} ${port} from the container host (and the container network) to ${dc}; ${firewallRow(port)}.`,
    commands: [
      `Test-NetConnection -ComputerName ${address} -Port ${port}`,
      `New-NetFirewallRule -DisplayName "gMSA ${proto.toUpperCase()} ${port} to DC" -Direction Outbound -Protocol ${proto.toUpperCase()} -RemotePort ${port} -RemoteAddress ${address} -Action Allow`,
    ],
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
