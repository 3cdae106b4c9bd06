// `gmsa-doctor dc` / the network checks against the lab DC, healthy and with real faults (dropped, rejected
// and slow ports, a missing DNS name, a wrong CA). Needs scripts/lab/start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { dcOptions, diagnoseDcs } from '../../src/cli/dc.js';
import type { DcReport } from '../../src/cli/dc.js';
import type { Finding } from '../../src/engine/finding.js';
import { lab, withFault } from '../helpers/lab.js';
import type { Lab } from '../helpers/lab.js';

let L: Lab;
beforeAll(() => {
  L = lab();
});

interface Run {
  dc?: string;
  dnsServer?: string;
  domain?: string;
  ca?: string;
  timeout?: string;
}

const diagnose = (run: Run = {}): Promise<DcReport> =>
  diagnoseDcs(
    dcOptions({
      domain: run.domain ?? L.dnsDomain,
      dnsServer: run.dnsServer ?? L.ip,
      gmsa: 'webapp01',
      ca: run.ca ?? L.caFile,
      timeout: run.timeout ?? '2',
      ...(run.dc ? { dc: run.dc } : {}),
    }),
  );

const errors = (r: DcReport, id?: string): Finding[] =>
  r.report.findings.filter((f) => f.severity === 'error' && (!id || f.id === id));
const portState = (r: DcReport, port: number, proto: 'tcp' | 'udp') =>
  r.dcs[0]!.ports.find((p) => p.port === port && p.proto === proto)?.state;

describe('healthy lab DC', () => {
  it('finds dc1 through SRV, decodes the LDAP ping, every port open, the KDC clock in step, LDAPS verified', async () => {
    const r = await diagnose();
    expect(r.dcs).toHaveLength(1);
    const dc = r.dcs[0]!;
    expect(dc).toMatchObject({ host: L.dcFqdn, address: L.ip, source: 'dns-srv' });
    expect(dc.ping?.response).toMatchObject({
      opcodeName: 'LOGON_SAM_LOGON_RESPONSE_EX',
      domainGuid: L.domainGuid,
      dnsHostName: L.dcFqdn,
      netbiosDomainName: L.netbios,
      userName: 'webapp01$',
    });
    expect(dc.ping!.response!.flagNames).toEqual(
      expect.arrayContaining(['PDC', 'GC', 'LDAP', 'DS', 'KDC', 'WRITABLE']),
    );
    expect(dc.ports.length).toBe(12);
    expect(dc.ports.filter((p) => p.state !== 'open')).toEqual([]);
    expect(
      dc.ports
        .filter((p) => p.proto === 'udp')
        .map((p) => p.method)
        .sort(),
    ).toEqual(['cldap-ping', 'dns-query', 'kerberos-as-req']);
    for (const k of dc.kerberos) expect(Math.abs(k.clockSkewMs!)).toBeLessThan(2_000);
    expect(dc.tls.map((t) => [t.mode, t.outcome, t.chainValid, t.nameMatches])).toEqual([
      ['ldaps', 'ok', true, true],
      ['starttls', 'ok', true, true],
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.report.findings.find((f) => f.id === 'network/clock-skew')?.severity).toBe('pass');
    expect(r.report.vantagePoint).toContain('this machine');
  });
});

describe('--dc by name', () => {
  it('resolves the name through --dns-server and checks the certificate against that name', async () => {
    const r = await diagnose({ dc: L.dcFqdn });
    expect(r.dcs).toEqual([expect.objectContaining({ host: L.dcFqdn, address: L.ip, source: 'option' })]);
    expect(r.dcs[0]!.tls.map((t) => [t.expectedName, t.nameMatches])).toEqual([
      [L.dcFqdn, true],
      [L.dcFqdn, true],
    ]);
  });
});

describe('faults', () => {
  it('88 dropped: 88 is filtered and the Kerberos finding names the firewall row; the rest still answers', async () => {
    await withFault({ kind: 'block', port: 88, proto: 'both', mode: 'drop' }, async () => {
      const r = await diagnose();
      expect(portState(r, 88, 'tcp')).toBe('filtered');
      expect(portState(r, 88, 'udp')).toBe('filtered');
      expect(portState(r, 389, 'tcp')).toBe('open');
      // One fault, one finding: the firewall's, with both transports; the Kerberos check says it could not judge.
      const [firewall, ...more] = errors(r, 'network/firewall');
      expect(more).toEqual([]);
      expect(firewall).toMatchObject({ subject: `${L.dcFqdn} TCP and UDP 88`, fault: 'port-blocked' });
      expect(firewall!.message).toContain("the guide's firewall table requires TCP and UDP 88 (Kerberos)");
      expect(errors(r, 'network/kerberos')).toEqual([]);
      expect(r.report.findings.find((f) => f.id === 'network/kerberos')?.message).toContain('see network/firewall');
      expect(r.report.findings.find((f) => f.id === 'network/ldap-ping')?.severity).toBe('pass');
    });
  });

  it('389 rejected: TCP and UDP 389 refused, in one firewall finding (the LDAP ping and StartTLS defer to it)', async () => {
    await withFault({ kind: 'block', port: 389, proto: 'both', mode: 'reject' }, async () => {
      const r = await diagnose();
      expect(portState(r, 389, 'tcp')).toBe('refused');
      expect(portState(r, 389, 'udp')).toBe('refused');
      expect(portState(r, 636, 'tcp')).toBe('open');
      expect(r.dcs[0]!.ping?.outcome).toBe('refused');
      expect(errors(r, 'network/firewall')[0]!.message).toContain('TCP and UDP 389 (LDAP)');
      expect(errors(r, 'network/ldap-ping')).toEqual([]);
      expect(r.dcs[0]!.tls.find((t) => t.mode === 'starttls')?.outcome).toBe('refused');
    });
  });

  it('53/udp rejected: refused (ICMP port unreachable), not "filtered" after a full timeout', async () => {
    await withFault({ kind: 'block', port: 53, proto: 'udp', mode: 'reject' }, async () => {
      const r = await diagnose({ timeout: '3' });
      const udp53 = r.dcs[0]!.ports.find((p) => p.port === 53 && p.proto === 'udp')!;
      expect(udp53.state).toBe('refused');
      expect(udp53.ms).toBeLessThan(3_000);
      expect(errors(r, 'network/firewall')[0]!.message).toMatch(
        /UDP 53 \(DNS\) on .* is refused .*ICMP port unreachable/,
      );
    });
  });

  it('53/tcp dropped: DNS over UDP works, the transport finding shows TCP 53 blocked', async () => {
    await withFault({ kind: 'block', port: 53, proto: 'tcp', mode: 'drop' }, async () => {
      const r = await diagnose();
      expect(r.dcs[0]?.address).toBe(L.ip);
      const tcp = r.dns!.lookups.filter((l) => l.transport === 'tcp');
      expect(tcp.every((l) => l.outcome === 'timeout')).toBe(true);
      expect(
        r.dns!.lookups.filter((l) => l.transport === 'udp' && l.type === 'SRV').every((l) => l.outcome === 'answer'),
      ).toBe(true);
      // The DNS server is the DC: its closed TCP 53 is network/firewall's one finding.
      const [firewall, ...more] = errors(r, 'network/firewall');
      expect(more).toEqual([]);
      expect(firewall!.message).toMatch(/TCP 53 \(DNS\) on .* is filtered.*while UDP 53 answers/);
      expect(errors(r, 'network/dns-transport')).toEqual([]);
      expect(errors(r, 'network/dns-srv')).toEqual([]);
    });
  });

  it('a DNS name that does not exist: NXDOMAIN, and no DC found', async () => {
    const r = await diagnose({ domain: `nosuch.${L.dnsDomain}` });
    expect(r.dcs).toEqual([]);
    const discovery = errors(r, 'network/dc-discovery');
    expect(discovery[0]!.message).toContain('nxdomain');
    expect(errors(r, 'network/dns-srv')[0]!.message).toContain('NXDOMAIN');
  });

  it('2 s delay under a 3 s timeout: DNS, LDAP ping, Kerberos and LDAPS still pass through the slow relay', async () => {
    await withFault({ kind: 'delay', ms: 2_000 }, async ({ ip }) => {
      const r = await diagnose({ dc: ip, dnsServer: ip, timeout: '3' });
      const dc = r.dcs[0]!;
      expect(dc.address).toBe(ip);
      expect(dc.ping?.outcome).toBe('ok');
      expect(dc.ping!.ms).toBeGreaterThanOrEqual(1_900);
      expect(dc.kerberos.map((k) => k.error?.code)).toEqual([25, 25]);
      expect(dc.tls.map((t) => [t.outcome, t.chainValid, t.nameMatches])).toEqual([
        ['ok', true, true],
        ['ok', true, true],
      ]);
      for (const id of [
        'network/dns-srv',
        'network/dns-transport',
        'network/ldap-ping',
        'network/kerberos',
        'network/ldaps',
        'network/clock-skew',
      ]) {
        expect(errors(r, id), id).toEqual([]);
      }
      expect(dc.ports.filter((p) => p.state === 'filtered')).toEqual([]);
    });
  });

  it('a wrong CA fails the LDAPS finding with the chain error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmsa-doctor-ca-'));
    try {
      const wrongCa = join(dir, 'other-ca.pem');
      writeFileSync(wrongCa, rootCertificates[0]!);
      const r = await diagnose({ ca: wrongCa });
      expect(r.dcs[0]!.tls.map((t) => t.chainValid)).toEqual([false, false]);
      // One certificate, one finding for LDAPS and StartTLS.
      const ldaps = errors(r, 'network/ldaps');
      expect(ldaps).toHaveLength(1);
      expect(ldaps[0]).toMatchObject({ fault: 'certificate-untrusted', subject: `${L.dcFqdn}:636, ${L.dcFqdn}:389` });
      expect(ldaps[0]!.message).toContain('LDAPS (TCP 636) and StartTLS on TCP 389');
      expect(ldaps[0]!.message).toContain(`CA file ${wrongCa}`);
      expect(ldaps[0]!.message).toMatch(
        /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
