// The Kerberos probe against the lab KDC: what Samba answers to an AS-REQ without pre-authentication, over UDP
// and TCP, and how a dropped or rejected port 88 looks. Needs scripts/lab/start.
import { Client } from 'ldapts';
import { beforeAll, describe, expect, it } from 'vitest';
import { askKdc } from '../../src/probes/kerberos.js';
import { lab, withFault } from '../helpers/lab.js';
import type { Lab } from '../helpers/lab.js';
import type { KdcTransport } from '../../src/facts/network.js';

let L: Lab;
beforeAll(() => {
  L = lab();
});

const TIMEOUT_MS = 2_000;
const ask = (client: string, transport: KdcTransport, address = L.ip) =>
  askKdc({ address, transport, client, realm: L.realm, timeoutMs: TIMEOUT_MS });

async function rootDseOverLdap(ip: string): Promise<string> {
  const client = new Client({ url: `ldap://${ip}:389`, connectTimeout: 3_000, timeout: 3_000 });
  try {
    const { searchEntries } = await client.search('', { scope: 'base', attributes: ['dnsHostName'] });
    return String(searchEntries[0]?.dnsHostName);
  } finally {
    await client.unbind();
  }
}

describe.each(['udp', 'tcp'] as const)('AS-REQ without pre-authentication over %s', (transport) => {
  it('webapp01$ (a gMSA): KRB-ERROR 25 PREAUTH_REQUIRED, with the KDC clock', async () => {
    const before = Date.now();
    const answer = await ask('webapp01$', transport);
    expect(answer.outcome).toBe('krb-error');
    expect(answer.error).toMatchObject({
      code: 25,
      name: 'KDC_ERR_PREAUTH_REQUIRED',
      realm: L.realm,
      serverPrincipal: `krbtgt/${L.realm}`,
    });
    // Same machine, same clock: the KDC's stime is within a second or two of ours.
    expect(Math.abs(answer.error!.serverTimeMs - before)).toBeLessThan(2_000);
    expect(Math.abs(answer.clockSkewMs!)).toBeLessThan(2_000);
    // Samba 4.17 never computes gMSA keys, so its METHOD-DATA carries no ETYPE-INFO2 for a gMSA.
    expect(answer.error!.etypeInfo2).toEqual([]);
  });

  it('containerhost01$ (a computer with a password): 25 with ETYPE-INFO2 listing its key type and salt', async () => {
    const answer = await ask('containerhost01$', transport);
    expect(answer.error?.code).toBe(25);
    expect(answer.error!.etypeInfo2.map((e) => e.name)).toContain('aes256-cts-hmac-sha1-96');
    expect(answer.error!.etypeInfo2[0]!.salt).toBe(`${L.realm}hostcontainerhost01.${L.dnsDomain}`);
  });

  it('an unknown name: KRB-ERROR 6 C_PRINCIPAL_UNKNOWN', async () => {
    const answer = await ask('nosuchapp99$', transport);
    expect(answer.error).toMatchObject({ code: 6, name: 'KDC_ERR_C_PRINCIPAL_UNKNOWN' });
  });

  it('disabledapp01$ (UAC 0x1002): Samba answers 25, not 18, before pre-authentication', async () => {
    // Recorded behaviour of Samba 4.17 (Heimdal): the disabled flag is checked only after pre-authentication,
    // so an AS-REQ without it cannot tell a disabled account; Windows answers 18 (CLIENT_REVOKED) here.
    const answer = await ask('disabledapp01$', transport);
    expect(answer.error?.code).toBe(25);
  });
});

describe('port 88 faults', () => {
  it('88 dropped: the probe times out over UDP and TCP while LDAP on 389 still answers', async () => {
    await withFault({ kind: 'block', port: 88, proto: 'both', mode: 'drop' }, async ({ ip }) => {
      const [udp, tcp, dcName] = await Promise.all([
        ask('webapp01$', 'udp', ip),
        ask('webapp01$', 'tcp', ip),
        rootDseOverLdap(ip),
      ]);
      expect(udp.outcome).toBe('timeout');
      expect(tcp.outcome).toBe('timeout');
      expect(udp.error).toBeUndefined();
      expect(dcName.toLowerCase()).toBe(L.dcFqdn);
    });
  });

  it('88 rejected: the probe fails at once with "refused", well under the timeout', async () => {
    await withFault({ kind: 'block', port: 88, proto: 'both', mode: 'reject' }, async ({ ip }) => {
      for (const transport of ['udp', 'tcp'] as const) {
        const answer = await ask('webapp01$', transport, ip);
        expect(answer.outcome).toBe('refused');
        expect(answer.ms).toBeLessThan(TIMEOUT_MS / 2);
      }
    });
  });
});
