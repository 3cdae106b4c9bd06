// The `gmsa-doctor dc` and `gmsa-doctor check --domain` commands end to end against the lab DC: the table per
// DC, the JSON, the exit code, and the usage error. Needs scripts/lab/start.
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { lab, withFault } from '../helpers/lab.js';
import type { Lab } from '../helpers/lab.js';

let L: Lab;
beforeAll(() => {
  L = lab();
});

const dcArgs = () => [
  'dc',
  '--domain',
  L.dnsDomain,
  '--dns-server',
  L.ip,
  '--gmsa',
  'webapp01$',
  '--ca',
  L.caFile,
  '--timeout',
  '2',
  '--no-color',
];

describe('gmsa-doctor dc', () => {
  it('prints a compact table per DC like nltest /dsgetdc, plus each port, and exits 0 on a healthy DC', async () => {
    const { code, out } = await cli(...dcArgs());
    expect(out).toContain(`DC ${L.dcFqdn}  ${L.ip}  (from DNS SRV)`);
    expect(out).toContain(`DC name     \\\\${L.dcFqdn}  (${L.netbios}\\DC1)`);
    expect(out).toMatch(/Flags\s+0x[0-9a-f]+ PDC GC LDAP DS KDC/);
    expect(out).toContain(`GUID ${L.domainGuid}`);
    expect(out).toMatch(/Site\s+Default-First-Site-Name/);
    expect(out).toMatch(/Port\s+53\/tcp\s+53\/udp\s+88\/tcp\s+88\/udp/);
    expect(out).toContain('Observed from: this machine');
    expect(out).not.toMatch(/filtered|refused/);
    expect(code).toBe(0);
  });

  it('--format json carries the DCs, their decoded ping, ports and the findings; exit 1 when 88 is dropped', async () => {
    await withFault({ kind: 'block', port: 88, proto: 'both', mode: 'drop' }, async () => {
      const { code, out } = await cli(...dcArgs(), '--format', 'json');
      const json = JSON.parse(out) as {
        command: string;
        dcs: Array<{
          host: string;
          ping: { response: { dnsHostName: string } };
          ports: Array<{ port: number; proto: string; state: string }>;
        }>;
        findings: Array<{ id: string; severity: string }>;
      };
      expect(json.command).toBe('dc');
      expect(json.dcs[0]!.ping.response.dnsHostName).toBe(L.dcFqdn);
      expect(
        json.dcs[0]!.ports.filter((p) => p.state === 'filtered')
          .map((p) => `${p.port}/${p.proto}`)
          .sort(),
      ).toEqual(['88/tcp', '88/udp']);
      // One fault, one finding: the firewall's; the Kerberos check defers to it.
      expect(json.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['network/firewall']);
      expect(json.findings.find((f) => f.id === 'network/kerberos')?.severity).toBe('skipped');
      expect(code).toBe(1);
    });
  });

  it('with --dc alone: learns the domain from the LDAP ping, then checks its DNS records and asks its KDC', async () => {
    const { out } = await cli(
      'dc',
      '--dc',
      L.ip,
      '--dns-server',
      L.ip,
      '--ca',
      L.caFile,
      '--gmsa',
      'webapp01',
      '--format',
      'json',
    );
    const json = JSON.parse(out) as {
      dns: { domain: string; lookups: unknown[] };
      dcs: Array<{ kerberos: Array<{ outcome: string; error?: { code: number } }> }>;
      findings: Array<{ id: string; severity: string }>;
    };
    expect(json.dns.domain).toBe(L.dnsDomain);
    expect(json.dns.lookups.length).toBeGreaterThan(0);
    expect(json.dcs[0]!.kerberos.map((k) => k.error?.code)).toEqual([25, 25]);
    expect(json.findings.filter((f) => f.severity === 'skipped')).toEqual([]);
  });

  it('without --domain or --dc: a usage error, exit 2, no stack trace', async () => {
    const { code, err } = await cli('dc');
    expect(code).toBe(2);
    expect(err).toContain('give --domain');
    expect(err).not.toContain('    at ');
  });
});

describe('gmsa-doctor check --domain --dc', () => {
  it('runs the network checks against the given DC', async () => {
    const { out } = await cli(
      'check',
      '--domain',
      L.dnsDomain,
      '--dc',
      L.ip,
      '--dns-server',
      L.ip,
      '--ca',
      L.caFile,
      '--timeout',
      '2',
      '--format',
      'json',
    );
    const json = JSON.parse(out) as { findings: Array<{ id: string; severity: string }> };
    const network = json.findings.filter((f) => f.id.startsWith('network/'));
    expect(new Set(network.map((f) => f.id))).toEqual(
      new Set([
        'network/dc-discovery',
        'network/dns-srv',
        'network/dns-transport',
        'network/firewall',
        'network/ldap-ping',
        'network/ldaps',
        'network/kerberos',
        'network/clock-skew',
      ]),
    );
    expect(network.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
