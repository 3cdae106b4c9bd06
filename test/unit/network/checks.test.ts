import { describe, expect, it } from 'vitest';
import { NETWORK_CHECKS } from '../../../src/checks/index.js';
import type { FactResults as FactSnapshot } from '../../../src/engine/facts.js';
import { planProbes } from '../../../src/plan/plan.js';
import { networkProbes } from '../../../src/plan/probes.js';
import { check, findingsOf, flatStore } from '../../helpers/checks.js';
import type { Check } from '../../../src/engine/check.js';
import { chooseDnsServer } from '../../../src/probes/dns.js';
import { decodeKdcReply } from '../../../src/protocol/kerberos.js';
import { readFileSync } from 'node:fs';
import type { DnsLookup, KdcProbeEntry, KrbError, PortResult, TlsResult } from '../../../src/facts/network.js';

const judge = (checked: Check, facts: FactSnapshot) => findingsOf([checked], flatStore(facts));
const [dcDiscoveryCheck, dnsSrvCheck, dnsTransportCheck, firewallCheck, kerberosCheck, ldapsCheck, clockSkewCheck] = [
  'network/dc-discovery',
  'network/dns-srv',
  'network/dns-transport',
  'network/firewall',
  'network/kerberos',
  'network/ldaps',
  'network/clock-skew',
].map(check) as [Check, Check, Check, Check, Check, Check, Check];
const ok = (value: unknown) => ({ status: 'ok' as const, value });
const krb = (file: string): KrbError =>
  decodeKdcReply(new Uint8Array(readFileSync(new URL(`../../fixtures/network/${file}`, import.meta.url)))) as KrbError;

const port = (p: number, proto: 'tcp' | 'udp', state: PortResult['state']): PortResult => ({
  port: p,
  proto,
  service: 'x',
  dc: 'dc1.contoso.com',
  address: '10.0.0.1',
  state,
  ms: state === 'filtered' ? 3000 : 2,
  method: 'tcp-connect',
});

describe('network/firewall', () => {
  it("names the guide's firewall table row when 88 is filtered", () => {
    const [finding, ...rest] = judge(firewallCheck, {
      'net.ports': ok([port(88, 'tcp', 'filtered'), port(53, 'udp', 'open')]),
    });
    expect(rest).toEqual([]);
    expect(finding!.severity).toBe('error');
    expect(finding!.message).toContain('TCP 88');
    expect(finding!.message).toContain('filtered');
    expect(finding!.message).toContain("the guide's firewall table requires TCP and UDP 88 (Kerberos)");
    expect(finding!.remediation?.commands?.[0]).toBe('Test-NetConnection -ComputerName 10.0.0.1 -Port 88');
  });

  it('tells refused from filtered, and ports outside the table are warnings', () => {
    const findings = judge(firewallCheck, {
      'net.ports': ok([port(389, 'tcp', 'refused'), port(3268, 'tcp', 'filtered')]),
    });
    expect(findings.map((f) => [f.severity, f.message.includes('refused')])).toEqual([
      ['error', true],
      ['warning', false],
    ]);
  });

  it('passes when every port is open', () => {
    expect(
      judge(firewallCheck, { 'net.ports': ok([port(88, 'udp', 'open'), port(636, 'tcp', 'open')]) }).map(
        (f) => f.severity,
      ),
    ).toEqual(['pass']);
  });
});

const lookup = (
  name: string,
  transport: 'udp' | 'tcp',
  outcome: DnsLookup['outcome'],
  type: DnsLookup['type'] = 'SRV',
): DnsLookup => ({ name, type, transport, outcome, ms: 5 });
const dns = (lookups: DnsLookup[]) => ({
  'net.dns': ok({ server: { address: '10.0.0.1', port: 53, source: 'option' }, domain: 'contoso.com', lookups }),
});
const SRV = '_ldap._tcp.dc._msdcs.contoso.com';

describe('network/dns-transport and network/dns-srv', () => {
  it('shows "UDP 53 works, TCP 53 is blocked"', () => {
    const findings = judge(dnsTransportCheck, dns([lookup(SRV, 'udp', 'answer'), lookup(SRV, 'tcp', 'timeout')]));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('error');
    expect(findings[0]!.message).toMatch(/DNS over TCP 53 to 10\.0\.0\.1: filtered.*while UDP 53 answers/);
  });

  it('gives NXDOMAIN and SERVFAIL different findings', () => {
    const nx = judge(dnsSrvCheck, dns([lookup(SRV, 'udp', 'nxdomain'), lookup(SRV, 'tcp', 'nxdomain')]));
    const fail = judge(dnsSrvCheck, dns([lookup(SRV, 'udp', 'servfail'), lookup(SRV, 'tcp', 'servfail')]));
    expect(nx[0]!.message).toContain('NXDOMAIN, the name does not exist');
    expect(fail[0]!.message).toContain('SERVFAIL');
    expect([nx[0]!.severity, fail[0]!.severity]).toEqual(['error', 'error']);
  });

  it('says once when every AD SRV record fails the same way', () => {
    const names = ['_ldap._tcp.dc._msdcs.x.com', '_kerberos._tcp.x.com', '_gc._tcp.x.com'];
    const findings = judge(
      dnsSrvCheck,
      dns(names.flatMap((n) => [lookup(n, 'udp', 'nxdomain'), lookup(n, 'tcp', 'nxdomain')])),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('NXDOMAIN');
    expect(findings[0]!.message).toContain('the same for 2 other AD SRV records');
    expect(findings[0]!.evidence?.names).toEqual(names);
  });

  it('reports a truncated UDP answer', () => {
    const findings = judge(dnsTransportCheck, dns([lookup(SRV, 'udp', 'truncated'), lookup(SRV, 'tcp', 'answer')]));
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
    expect(findings[0]!.message).toContain('truncated');
  });

  it('does not complain about a missing AAAA record', () => {
    const findings = judge(
      dnsSrvCheck,
      dns([
        lookup(SRV, 'udp', 'answer'),
        lookup('dc1.contoso.com', 'udp', 'answer', 'A'),
        lookup('dc1.contoso.com', 'udp', 'nodata', 'AAAA'),
      ]),
    );
    expect(findings.map((f) => f.severity)).toEqual(['pass']);
  });
});

describe('network/dc-discovery', () => {
  it('is an error, not a skip, when no DC can be found, and says why', () => {
    const findings = judge(dcDiscoveryCheck, {
      'dc.candidates': { status: 'unavailable', reason: 'SRV _ldap._tcp.dc._msdcs.x @1.1.1.1 over UDP: nxdomain' },
    });
    expect(findings[0]!.severity).toBe('error');
    expect(findings[0]!.message).toContain('nxdomain');
  });
});

const exchange = (
  transport: 'udp' | 'tcp',
  error: KrbError | undefined,
  outcome: KdcProbeEntry['outcome'] = 'krb-error',
  clockSkewMs?: number,
): KdcProbeEntry => ({
  dc: 'dc1.contoso.com',
  address: '10.0.0.1',
  port: 88,
  transport,
  principal: 'webapp01$@CONTOSO.COM',
  outcome,
  ms: 3,
  ...(error ? { error } : {}),
  ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
});
const kerberos = (entries: KdcProbeEntry[], account: string | undefined = 'webapp01$') => ({
  'net.kerberos': ok({ account, realm: 'CONTOSO.COM', exchanges: entries }),
});

describe('network/kerberos and network/clock-skew', () => {
  it('25 with keys: the account is known, its enctypes listed', () => {
    const [f] = judge(kerberosCheck, kerberos([exchange('tcp', krb('krb-error-25-containerhost01-etype-info2.bin'))]));
    expect(f!.severity).toBe('pass');
    expect(f!.message).toContain('aes256-cts-hmac-sha1-96');
  });

  it('6: unknown principal is an error; 18: disabled is an error', () => {
    const unknown = judge(kerberosCheck, kerberos([exchange('udp', krb('krb-error-6-unknown.bin'))]));
    expect(unknown[0]!.severity).toBe('error');
    expect(unknown[0]!.message).toContain('KDC_ERR_C_PRINCIPAL_UNKNOWN');
    const revoked = { ...krb('krb-error-6-unknown.bin'), code: 18, name: 'KDC_ERR_CLIENT_REVOKED' };
    expect(judge(kerberosCheck, kerberos([exchange('udp', revoked)]))[0]!.message).toContain('disabled');
  });

  it('a timeout names the firewall row of 88', () => {
    const [f] = judge(kerberosCheck, kerberos([exchange('tcp', undefined, 'timeout')]));
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('TCP and UDP 88 (Kerberos)');
  });

  it('UDP 88 blocked is a warning while TCP 88 answers, an error when both are blocked', () => {
    const known = krb('krb-error-25-containerhost01-etype-info2.bin');
    const udpOnly = judge(kerberosCheck, kerberos([exchange('udp', undefined, 'timeout'), exchange('tcp', known)]));
    expect(udpOnly.map((f) => f.severity)).toEqual(['warning', 'pass']);
    const both = judge(
      kerberosCheck,
      kerberos([exchange('udp', undefined, 'timeout'), exchange('tcp', undefined, 'refused')]),
    );
    expect(both.map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('clock skew over 5 minutes is an error, under is a pass', () => {
    const error = krb('krb-error-6-unknown.bin');
    expect(judge(clockSkewCheck, kerberos([exchange('udp', error, 'krb-error', 301_000)]))[0]!.severity).toBe('error');
    expect(judge(clockSkewCheck, kerberos([exchange('udp', error, 'krb-error', -299_000)]))[0]!.severity).toBe('pass');
  });
});

const tls = (over: Partial<TlsResult>): TlsResult => ({
  dc: 'dc1.contoso.com',
  address: '10.0.0.1',
  port: 636,
  mode: 'ldaps',
  outcome: 'ok',
  ms: 9,
  protocol: 'TLSv1.3',
  trust: 'ca-file',
  caFile: 'ca.pem',
  chainValid: true,
  expectedName: 'dc1.contoso.com',
  nameMatches: true,
  certificate: {
    subject: 'CN=dc1.contoso.com',
    issuer: 'CN=CA',
    validFrom: '2026-01-01T00:00:00.000Z',
    validTo: new Date(Date.now() + 200 * 86_400_000).toISOString(),
    subjectAltNames: ['DNS:dc1.contoso.com'],
    fingerprint256: 'AA',
  },
  ...over,
});

describe('network/ldaps', () => {
  it('passes a verified certificate for the DC name', () => {
    expect(judge(ldapsCheck, { 'net.tls': ok([tls({})]) }).map((f) => f.severity)).toEqual(['pass']);
  });

  it('fails an untrusted chain and a wrong name, warns within 30 days', () => {
    const findings = judge(ldapsCheck, {
      'net.tls': ok([
        tls({ chainValid: false, chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }),
        tls({ nameMatches: false, nameError: "Hostname/IP does not match certificate's altnames" }),
        tls({
          certificate: { ...tls({}).certificate!, validTo: new Date(Date.now() + 10 * 86_400_000).toISOString() },
        }),
      ]),
    });
    expect(findings.map((f) => f.severity)).toEqual(['error', 'error', 'warning']);
    expect(findings[0]!.message).toContain('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });
});

describe('planning the network checks', () => {
  it('plans nothing without --domain or --dc, every network check with them', () => {
    const base = {
      gmsas: [],
      credspec: [],
      clientNames: [],
      inspect: [],
      events: [],
      containers: [],
      timeoutMs: 3000,
      ldap: { transport: 'ldaps' as const, insecureTls: false, kerberos: false },
    };
    const none = planProbes(networkProbes(base), base, undefined, NETWORK_CHECKS);
    expect(none.checks).toEqual([]);
    expect(none.notChecked.map((n) => n.how)).toEqual(NETWORK_CHECKS.map(() => '--domain D or --dc HOST'));
    const plan = planProbes(networkProbes({ ...base, domain: 'contoso.com' }), base, undefined, NETWORK_CHECKS);
    expect(plan.checks).toEqual(NETWORK_CHECKS);
    expect(plan.probes.flatMap((p) => p.provides).sort()).toEqual([
      'dc.candidates',
      'net.cldap',
      'net.dns',
      'net.domain',
      'net.kerberos',
      'net.ports',
      'net.tls',
    ]);
  });
});

describe('--dns-server parsing', () => {
  it('takes an address, address:port and [v6]:port, and refuses a name', () => {
    expect(chooseDnsServer('10.0.0.1')).toEqual({ address: '10.0.0.1', port: 53, source: 'option' });
    expect(chooseDnsServer('10.0.0.1:5353')).toEqual({ address: '10.0.0.1', port: 5353, source: 'option' });
    expect(chooseDnsServer('[::1]:53')).toEqual({ address: '::1', port: 53, source: 'option' });
    expect(chooseDnsServer('dns.contoso.com')).toBeUndefined();
  });
});
