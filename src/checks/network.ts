/**
 * "Check the network configuration": DC discovery through DNS, the guide's firewall table, the LDAP ping,
 * LDAPS, and the KDC (account known, clock skew). Pure: facts in, findings out.
 */
import type { Check } from '../engine/check.js';
import { defineCheck } from '../engine/check.js';
import type { FindingDraft, Severity } from '../engine/finding.js';
import type { CheckOptions, Plan } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { cldapProbe } from '../probes/cldap.js';
import { dcDiscoveryProbe } from '../probes/dc-discovery.js';
import { AD_SRV_RECORDS, dnsProbe } from '../probes/dns.js';
import { kerberosProbe } from '../probes/kerberos.js';
import { portsProbe } from '../probes/ports.js';
import { tlsProbe } from '../probes/tls.js';
import { domainNameProbe } from '../probes/domain-name.js';
import { guideRowOf } from '../protocol/dc-ports.js';
import type { CldapPing, DnsFacts, DnsLookup, DnsTransport, KdcProbeEntry, PortResult, TlsResult } from '../facts/network.js';

/** What the firewall finding says about a port: the guide's row, or the AD port list for the others. */
export function firewallRow(port: number): string {
  const row = guideRowOf(port);
  return row
    ? `the guide's firewall table requires ${row}`
    : `not in the guide's firewall table, but in "Active Directory and AD DS port requirements" (port ${port})`;
}

const MAX_SKEW_MS = 5 * 60 * 1000;
const CERT_WARN_DAYS = 30;

function unreachableText(state: string, ms: number): string {
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

function firewallFix(port: number, proto: string, dc: string, address: string): FindingDraft['remediation'] {
  return {
    text: `Allow ${proto.toUpperCase()} ${port} from the container host (and the container network) to ${dc}; ${firewallRow(port)}.`,
    commands: [
      `Test-NetConnection -ComputerName ${address} -Port ${port}`,
      `New-NetFirewallRule -DisplayName "gMSA ${proto.toUpperCase()} ${port} to DC" -Direction Outbound -Protocol ${proto.toUpperCase()} -RemotePort ${port} -RemoteAddress ${address} -Action Allow`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// DC discovery

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

export const dcDiscoveryCheck = defineCheck({
  meta: {
    id: 'network/dc-discovery',
    title: 'A domain controller can be found',
    section: 'network',
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
      return [{ severity: 'error', message: `No domain controller found: ${reason}.`, remediation: discoveryFix({ domain: dns?.domain, server: dns?.server.address }) }];
    }
    const candidates = result.value;
    const findings: FindingDraft[] = candidates
      .filter((c) => !c.address)
      .map((c) => ({
        severity: 'error',
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

// ---------------------------------------------------------------------------------------------------------
// DNS

function lookupProblem(lookup: DnsLookup, server: string): string {
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

const TRANSPORT_DOWN = new Set(['timeout', 'connection-refused', 'unreachable']);
const PORT_STATE_OF: Record<string, string> = { timeout: 'filtered', 'connection-refused': 'refused', unreachable: 'unreachable' };

export const dnsTransportCheck = defineCheck({
  meta: {
    id: 'network/dns-transport',
    title: 'DNS answers over both UDP 53 and TCP 53',
    section: 'network',
    looksAt: 'Every AD lookup, asked once over UDP and once over TCP of the same DNS server.',
    why: 'Large answers (many DCs, many SRV records) come truncated over UDP and need TCP 53; a firewall that allows only one of them breaks DC location intermittently.',
    remediation: 'Allow both TCP and UDP 53 from the host and the container to the DNS server (the guide\'s firewall table).',
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
    for (const t of truncated) findings.push({ severity: 'warning', subject: t.name, message: lookupProblem(t, server) + '.' });
    if (findings.length === 0) {
      findings.push({ severity: 'pass', message: `DNS server ${server} (${dns.server.source}) answers over UDP 53 and TCP 53 (${dns.lookups.length} lookups).` });
    }
    return findings;
  },
});

function srvSeverity(name: string): Severity {
  return name.startsWith('_ldap._tcp.dc._msdcs.') || name.startsWith('_kerberos.') ? 'error' : 'warning';
}

export const dnsSrvCheck = defineCheck({
  meta: {
    id: 'network/dns-srv',
    title: 'The AD SRV and DC host records exist',
    section: 'network',
    looksAt: `SRV ${AD_SRV_RECORDS.join(', ').replaceAll('%s', 'DOMAIN')} and the A/AAAA records of the DCs they name.`,
    why: 'Windows (and CCG in the container) locates DCs, KDCs and the global catalog only through these records.',
    remediation: 'Make the host and container use the AD DNS servers; on the DC, `nltest /dsregdns` re-registers missing records.',
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
        evidence: { outcomes: Object.fromEntries(dns.lookups.filter((l) => l.type === lookup.type && l.name === lookup.name).map((l) => [l.transport, l.rcode ?? l.outcome])) },
        remediation: {
          text: 'Check the DNS server the host and container use, and that the DC registered its records.',
          commands: [`nslookup -type=${lookup.type} ${lookup.name} ${server}`, 'nltest /dsregdns   # on the DC'],
        },
      });
    }
    if (findings.length === 0 && dns.lookups.some((l) => l.outcome === 'answer')) {
      const locator = dns.lookups.find((l) => l.type === 'SRV' && l.outcome === 'answer' && l.srv);
      findings.push({
        severity: 'pass',
        message: `The AD SRV records for ${dns.domain} and the DCs' host records resolve at ${server}.`,
        ...(locator?.srv ? { evidence: { dcs: locator.srv.map((r) => `${r.target}:${r.port}`) } } : {}),
      });
    }
    return findings;
  },
});

/**
 * One lookup per name whose server said "no": NXDOMAIN, SERVFAIL, no data... A blocked transport is the
 * transport check's finding, so only what the server said counts here; a missing AAAA is normal.
 */
function failedLookups(dns: DnsFacts): DnsLookup[] {
  const failed: DnsLookup[] = [];
  for (const key of new Set(dns.lookups.map((l) => `${l.type} ${l.name}`))) {
    const said = dns.lookups.filter((l) => `${l.type} ${l.name}` === key && !TRANSPORT_DOWN.has(l.outcome) && l.outcome !== 'truncated');
    if (said.length === 0 || said.some((l) => l.outcome === 'answer')) continue;
    const first = said[0]!;
    if (first.type === 'AAAA' && first.outcome === 'nodata') continue;
    if (first.type === 'A' && first.outcome === 'nodata' && dns.lookups.some((l) => l.type === 'AAAA' && l.name === first.name && l.outcome === 'answer')) continue;
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

// ---------------------------------------------------------------------------------------------------------
// Ports

export const firewallCheck = defineCheck({
  meta: {
    id: 'network/firewall',
    title: 'The DC ports of the guide\'s firewall table are reachable',
    section: 'network',
    looksAt: 'TCP and UDP 53, 88, 389; TCP 139, 636 (the guide\'s table) and TCP 445, 464, 3268, 3269 on each DC. UDP ports are judged by a real exchange: a DNS query, an AS-REQ, an LDAP ping.',
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
        evidence: { address: p.address, state: p.state, ms: p.ms, method: p.method, ...(p.detail ? { detail: p.detail } : {}) },
        remediation: firewallFix(p.port, p.proto, p.dc, p.address),
      }));
    const dcs = [...new Set(ports.map((p) => p.dc))];
    for (const dc of dcs) {
      const mine = ports.filter((p) => p.dc === dc);
      if (mine.every((p) => p.state === 'open')) {
        findings.push({ severity: 'pass', subject: dc, message: `All ${mine.length} DC ports answer on ${dc} (UDP 53/88/389 by a DNS query, an AS-REQ and an LDAP ping).` });
      }
    }
    return findings;
  },
});

// ---------------------------------------------------------------------------------------------------------
// LDAP ping

const NEEDED_FLAGS = ['LDAP', 'DS', 'KDC', 'WRITABLE'];

function pingFindings(ping: CldapPing): FindingDraft[] {
  if (ping.outcome !== 'ok' || !ping.response) {
    const silent = ping.outcome === 'filtered' || ping.outcome === 'refused' || ping.outcome === 'unreachable';
    return [
      {
        severity: 'error',
        subject: ping.dc,
        message: silent
          ? `LDAP ping (UDP 389) to ${ping.dc} ${unreachableText(ping.outcome, ping.ms)}; ${firewallRow(389)}.`
          : `LDAP ping to ${ping.dc} failed: ${ping.detail ?? ping.outcome}.`,
        remediation: firewallFix(389, 'udp', ping.dc, ping.address),
      },
    ];
  }
  const r = ping.response;
  const evidence = {
    flags: `0x${r.flags.toString(16)} ${r.flagNames.join(' ')}`,
    domainGuid: r.domainGuid,
    forest: r.dnsForestName,
    domain: r.dnsDomainName,
    dcName: r.dnsHostName,
    netbios: `${r.netbiosDomainName}\\${r.netbiosComputerName}`,
    dcSite: r.dcSiteName,
    clientSite: r.clientSiteName || '(none: this address is in no AD site)',
  };
  const findings: FindingDraft[] = [];
  const missing = NEEDED_FLAGS.filter((f) => !r.flagNames.includes(f));
  if (missing.length > 0) {
    findings.push({ severity: 'warning', subject: ping.dc, message: `${r.dnsHostName} lacks ${missing.join(', ')} in its netlogon flags: it cannot serve every request of a gMSA container.`, evidence });
  }
  if (ping.user && r.opcode === 25) {
    findings.push({
      severity: 'error',
      subject: ping.dc,
      message: `${r.dnsHostName} does not know the account ${ping.user} (LOGON_SAM_USER_UNKNOWN_EX).`,
      evidence,
      remediation: { text: 'Create the gMSA, or fix its name in the credential spec.', commands: [`Get-ADServiceAccount -Identity '${ping.user.replace(/\$$/, '')}'`] },
    });
  }
  if (findings.length === 0) {
    const about = ping.user ? `, knows ${ping.user}` : '';
    findings.push({ severity: 'pass', subject: ping.dc, message: `${r.dnsHostName} answers the LDAP ping (site ${r.dcSiteName}${about}) in ${ping.ms} ms.`, evidence });
  }
  return findings;
}

export const cldapCheck = defineCheck({
  meta: {
    id: 'network/ldap-ping',
    title: 'Each DC answers the LDAP ping (nltest /dsgetdc)',
    section: 'network',
    looksAt: 'The CLDAP netlogon ping on UDP 389 ([MS-ADTS] 6.3.3): flags, domain GUID, names, sites, and with --gmsa whether the DC knows the account.',
    why: 'Netlogon in the container picks its DC with this ping; a DC that does not answer it is never used.',
    remediation: 'Allow UDP 389 to the DC; create or fix the account the DC does not know.',
  },
  needs: ['net.cldap'],
  run(facts) {
    return facts.get('net.cldap').flatMap(pingFindings);
  },
});

// ---------------------------------------------------------------------------------------------------------
// LDAPS

function daysLeft(validTo: string, now: number): number {
  return Math.floor((Date.parse(validTo) - now) / 86_400_000);
}

function tlsFindings(t: TlsResult, now: number): FindingDraft[] {
  const label = t.mode === 'ldaps' ? `LDAPS (TCP 636)` : 'StartTLS on TCP 389';
  if (t.outcome !== 'ok') {
    const network = t.outcome === 'timeout' || t.outcome === 'refused' || t.outcome === 'unreachable';
    return [
      {
        severity: t.mode === 'ldaps' ? 'error' : 'warning',
        subject: `${t.dc}:${t.port}`,
        message: network ? `${label} to ${t.dc} ${unreachableText(t.outcome, t.ms)}; ${firewallRow(t.port)}.` : `${label} to ${t.dc} failed: ${t.detail ?? t.outcome}.`,
        ...(network ? { remediation: firewallFix(t.port, 'tcp', t.dc, t.address) } : {}),
      },
    ];
  }
  const cert = t.certificate;
  const evidence = { protocol: t.protocol, trust: t.trust, ...(t.caFile ? { caFile: t.caFile } : {}), subject: cert?.subject, issuer: cert?.issuer, validTo: cert?.validTo, subjectAltNames: cert?.subjectAltNames };
  const findings: FindingDraft[] = [];
  const subject = `${t.dc}:${t.port}`;
  if (t.trust === 'not-verified') {
    findings.push({ severity: 'warning', subject, message: `${label}: certificate not verified (--insecure-tls).`, evidence });
  } else if (!t.chainValid) {
    findings.push({
      severity: 'error',
      subject,
      message: `${label}: the certificate chain does not verify against the ${t.trust === 'ca-file' ? `CA file ${t.caFile}` : 'system trust store'}: ${t.chainError ?? 'untrusted'}.`,
      evidence,
      remediation: {
        text: 'Trust the CA that issued the DC certificate (or give it with --ca), or give the DC a certificate from a trusted CA.',
        commands: [`openssl s_client -connect ${t.address}:636 -showcerts </dev/null`],
      },
    });
  }
  if (!t.nameMatches) {
    findings.push({ severity: 'error', subject, message: `${label}: the certificate is not valid for ${t.expectedName}: ${t.nameError ?? 'name mismatch'}.`, evidence, remediation: { text: `Issue the DC a certificate whose subjectAltName contains ${t.expectedName}.` } });
  }
  if (cert) {
    const left = daysLeft(cert.validTo, now);
    if (left < 0) findings.push({ severity: 'error', subject, message: `${label}: the certificate expired on ${cert.validTo}.`, evidence });
    else if (left <= CERT_WARN_DAYS) findings.push({ severity: 'warning', subject, message: `${label}: the certificate expires in ${left} days (${cert.validTo}).`, evidence, remediation: { text: 'Renew the DC certificate (certificate autoenrollment, or certreq on the DC).' } });
  }
  if (t.protocol === 'TLSv1' || t.protocol === 'TLSv1.1') {
    findings.push({ severity: 'warning', subject, message: `${label}: the DC negotiated ${t.protocol}, which current Windows and OpenSSL disable.`, evidence });
  }
  if (findings.length === 0) findings.push({ severity: 'pass', subject, message: `${label}: ${t.protocol}, certificate for ${t.expectedName} verifies (${t.trust === 'ca-file' ? t.caFile : 'system store'}), valid until ${cert?.validTo ?? '?'}.`, evidence });
  return findings;
}

export const ldapsCheck = defineCheck({
  meta: {
    id: 'network/ldaps',
    title: 'LDAPS and StartTLS present a valid certificate',
    section: 'network',
    looksAt: 'The TLS handshake on 636 and StartTLS on 389: chain against the system store or --ca, the DC host name, expiry (warns within 30 days), protocol version.',
    why: 'Tools and services that read the gMSA from AD over LDAPS fail on an untrusted, mismatched or expired DC certificate.',
    remediation: 'Give each DC a certificate from a CA the clients trust, with its DNS name in subjectAltName, and renew it in time.',
  },
  needs: ['net.tls'],
  run(facts) {
    const now = Date.now();
    return facts.get('net.tls').flatMap((t) => tlsFindings(t, now));
  },
});

// ---------------------------------------------------------------------------------------------------------
// Kerberos

const NO_ANSWER = new Set(['timeout', 'refused', 'unreachable']);

/** A blocked UDP 88 is survivable when TCP 88 answers (Windows falls back to TCP); both blocked is fatal. */
function kdcFinding(e: KdcProbeEntry, account: string | undefined, all: readonly KdcProbeEntry[]): FindingDraft {
  const subject = `${e.dc} ${e.transport.toUpperCase()} 88`;
  const label = `Kerberos AS-REQ for ${e.principal} over ${e.transport.toUpperCase()} 88 to ${e.dc}`;
  const evidence: Record<string, unknown> = { ms: e.ms };
  if (e.error) Object.assign(evidence, { error: `${e.error.code} ${e.error.name}`, ...(e.error.eText ? { eText: e.error.eText } : {}), kdcTime: e.error.serverTime });
  if (NO_ANSWER.has(e.outcome)) {
    const tcpAnswers = all.some((o) => o.dc === e.dc && o.transport === 'tcp' && !NO_ANSWER.has(o.outcome));
    return {
      severity: e.transport === 'udp' && tcpAnswers ? 'warning' : 'error',
      subject,
      message: `${label}: ${unreachableText(e.outcome === 'timeout' ? 'filtered' : e.outcome, e.ms)}; ${firewallRow(88)}.`,
      evidence,
      remediation: firewallFix(88, e.transport, e.dc, e.address),
    };
  }
  if (e.outcome === 'as-rep') {
    return { severity: 'warning', subject, message: `${label}: the KDC issued a ticket without pre-authentication (DONT_REQUIRE_PREAUTH is set): the account is open to AS-REP roasting.`, evidence };
  }
  if (e.outcome !== 'krb-error' || !e.error) return { severity: 'error', subject, message: `${label}: ${e.detail ?? e.outcome}.`, evidence };
  const { code } = e.error;
  if (!account) {
    return { severity: 'pass', subject, message: `The KDC on ${e.dc} answers over ${e.transport.toUpperCase()} 88 (KRB-ERROR ${code} for a probe name) in ${e.ms} ms.`, evidence };
  }
  if (code === 25) {
    const etypes = e.error.etypeInfo2.map((t) => t.name);
    Object.assign(evidence, { etypes, salt: e.error.etypeInfo2[0]?.salt });
    if (etypes.length === 0) {
      return {
        severity: 'warning',
        subject,
        message: `${label}: the KDC knows the account (pre-authentication required) but lists no keys for it: its password was never generated (KDS root key missing or not yet effective on Windows; Samba 4.17 never computes gMSA keys).`,
        evidence,
        remediation: { text: 'Check the KDS root key and let the gMSA password be generated.', commands: ['Get-KdsRootKey', `Test-ADServiceAccount -Identity '${account.replace(/\$$/, '')}'`] },
      };
    }
    return { severity: 'pass', subject, message: `${label}: the KDC knows the account; its keys: ${etypes.join(', ')}.`, evidence };
  }
  if (code === 6) {
    return {
      severity: 'error',
      subject,
      message: `${label}: KDC_ERR_C_PRINCIPAL_UNKNOWN, the KDC does not know ${e.principal}.`,
      evidence,
      remediation: { text: 'Create the gMSA in this domain, or fix its name (with the trailing $) in the credential spec.', commands: [`Get-ADServiceAccount -Identity '${account.replace(/\$$/, '')}'`] },
    };
  }
  if (code === 18) {
    return {
      severity: 'error',
      subject,
      message: `${label}: KDC_ERR_CLIENT_REVOKED, the account is disabled, locked or expired.`,
      evidence,
      remediation: { text: 'Enable the gMSA.', commands: [`Enable-ADAccount -Identity '${account}'`] },
    };
  }
  return { severity: 'warning', subject, message: `${label}: unexpected KRB-ERROR ${code} ${e.error.name}${e.error.eText ? ` (${e.error.eText})` : ''}.`, evidence };
}

export const kerberosCheck = defineCheck({
  meta: {
    id: 'network/kerberos',
    title: 'The KDC answers and knows the gMSA',
    section: 'network',
    looksAt: 'An AS-REQ without pre-authentication for gmsa$@REALM over UDP and TCP 88 to each DC: KRB-ERROR 25 = known (with its enctypes), 6 = unknown, 18 = disabled.',
    why: 'The container gets its tickets as the gMSA from this KDC; `klist get krbtgt` in the container fails the same way.',
    remediation: 'Open UDP and TCP 88 to the DCs; create or enable the gMSA.',
  },
  needs: ['net.kerberos'],
  run(facts) {
    const kerberos = facts.get('net.kerberos');
    return kerberos.exchanges.map((e) => kdcFinding(e, kerberos.account, kerberos.exchanges));
  },
});

export const clockSkewCheck = defineCheck({
  meta: {
    id: 'network/clock-skew',
    title: 'This machine\'s clock is within 5 minutes of the DC\'s',
    section: 'network',
    looksAt: 'stime/susec of the KDC\'s KRB-ERROR against the local clock.',
    why: 'Kerberos rejects requests from a clock more than 5 minutes off (KRB_AP_ERR_SKEW); the container uses the host\'s clock.',
    remediation: 'Synchronise the host with the domain hierarchy (w32tm).',
  },
  needs: ['net.kerberos'],
  run(facts) {
    const measured = facts.get('net.kerberos').exchanges.filter((e) => e.clockSkewMs !== undefined);
    if (measured.length === 0) return [{ severity: 'skipped', message: 'Skipped: no KDC answered, so its clock is unknown.' }];
    const worst = measured.reduce((a, b) => (Math.abs(b.clockSkewMs!) > Math.abs(a.clockSkewMs!) ? b : a));
    const skew = worst.clockSkewMs!;
    const text = `${Math.abs(skew / 1000).toFixed(1)} s ${skew >= 0 ? 'behind' : 'ahead of'} ${worst.dc}`;
    if (Math.abs(skew) > MAX_SKEW_MS) {
      return [
        {
          severity: 'error',
          subject: worst.dc,
          message: `This machine's clock is ${text}: more than the 5 minutes Kerberos allows.`,
          evidence: { skewMs: skew, kdcTime: worst.error?.serverTime },
          remediation: { text: 'Synchronise the clock with the domain.', commands: ['w32tm /resync /force', 'w32tm /query /status'] },
        },
      ];
    }
    return [{ severity: 'pass', subject: worst.dc, message: `Clock skew with the KDC: ${text} (limit 5 minutes).`, evidence: { skewMs: skew } }];
  },
});

export const NETWORK_CHECKS: readonly Check[] = [
  dcDiscoveryCheck,
  dnsSrvCheck,
  dnsTransportCheck,
  firewallCheck,
  cldapCheck,
  ldapsCheck,
  kerberosCheck,
  clockSkewCheck,
];

/** The probes behind the network checks, for `check` and `dc`. */
export function networkProbes(options: CheckOptions): Probe[] {
  return [dcDiscoveryProbe(options), domainNameProbe(options), dnsProbe(options), portsProbe(options), cldapProbe(options), tlsProbe(options), kerberosProbe(options)];
}

/** `check --domain D [--dc H]` runs the network checks; without either there is nothing to probe. */
export function planNetwork(options: CheckOptions): Plan {
  if (!options.domain && !options.dc) return { checks: [], probes: [] };
  return { checks: [...NETWORK_CHECKS], probes: networkProbes(options) };
}
