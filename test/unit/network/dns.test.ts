// queryDns against a loopback DNS server speaking the real wire format (dns-packet), for the answers the lab's
// Samba DNS cannot be made to give: a truncated UDP answer and SERVFAIL. NXDOMAIN and answers come from the lab
// in test/integration/network.test.ts.
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverDcs } from '../../../src/probes/dc-discovery.js';
import { queryDns } from '../../../src/probes/dns.js';
import type { DcCandidate, DnsServer } from '../../../src/facts/network.js';

const socket = createSocket('udp4');
let server: DnsServer;
const asked: string[] = [];

function answerFor(query: dnsPacket.DecodedPacket): Buffer {
  const question = query.questions![0]!;
  const base = { type: 'response' as const, id: query.id, questions: [question] };
  asked.push(`${question.type} ${question.name}`);
  switch (question.name) {
    case '_ldap._tcp.dc._msdcs.glue.test':
      // As Windows DNS answers: the DC's A record rides along in the additional section.
      return dnsPacket.encode({
        ...base,
        answers: [
          { type: 'SRV', name: question.name, data: { target: 'dc9.glue.test', port: 389, priority: 0, weight: 100 } },
        ],
        additionals: [{ type: 'A', name: 'dc9.glue.test', data: '127.0.0.9' }],
      });
    case 'big.test':
      return dnsPacket.encode({ ...base, flags: dnsPacket.TRUNCATED_RESPONSE });
    case 'broken.test':
      return dnsPacket.encode({ ...base, flags: 2 }); // rcode 2 = SERVFAIL
    case 'missing.test':
      return dnsPacket.encode({ ...base, flags: 3 }); // rcode 3 = NXDOMAIN
    default:
      return dnsPacket.encode({
        ...base,
        answers: [
          { type: 'SRV', name: question.name, data: { target: 'dc1.test', port: 389, priority: 0, weight: 100 } },
        ],
      });
  }
}

beforeAll(async () => {
  socket.on('message', (msg, rinfo) => socket.send(answerFor(dnsPacket.decode(msg)), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  server = { address: '127.0.0.1', port: socket.address().port, source: 'option' };
});
afterAll(() => socket.close());

const ask = (name: string) => queryDns(server, name, 'SRV', 'udp', { timeoutMs: 2_000 });

describe('queryDns over UDP', () => {
  it('reads SRV answers', async () => {
    expect(await ask('_ldap._tcp.dc._msdcs.ok.test')).toMatchObject({
      outcome: 'answer',
      rcode: 'NOERROR',
      srv: [{ target: 'dc1.test', port: 389 }],
    });
  });

  it('tells truncation, SERVFAIL and NXDOMAIN apart', async () => {
    expect((await ask('big.test')).outcome).toBe('truncated');
    expect(await ask('broken.test')).toMatchObject({ outcome: 'servfail', rcode: 'SERVFAIL' });
    expect(await ask('missing.test')).toMatchObject({ outcome: 'nxdomain', rcode: 'NXDOMAIN' });
  });
});

const discoveryOptions = (over: { domain?: string; dc?: string; dnsServer: string; timeoutMs: number }) => ({
  gmsas: [],
  credspec: [],
  clientNames: [],
  inspect: [],
  events: [],
  containers: [],
  ldap: { transport: 'ldaps' as const, insecureTls: false, kerberos: false },
  ...over,
});

describe('DC discovery', () => {
  it('--dc NAME with a DNS server that never answers: one timeout, not one per record type (A, then AAAA)', async () => {
    const silent = createSocket('udp4'); // takes every query, answers none; nothing listens on its TCP port
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const options = discoveryOptions({
        dc: 'dc1.silent.test',
        dnsServer: `127.0.0.1:${silent.address().port}`,
        timeoutMs: 400,
      });
      const t0 = performance.now();
      const [dc] = (await discoverDcs(options, new AbortController().signal)) as DcCandidate[];
      const ms = performance.now() - t0;
      expect(dc).toMatchObject({ host: 'dc1.silent.test', unresolved: expect.stringMatching(/: timeout$/) as string });
      expect(ms).toBeGreaterThanOrEqual(400);
      expect(ms).toBeLessThan(700);
    } finally {
      silent.close();
    }
  });

  it('takes the DC address sent along with the SRV answer, without asking again', async () => {
    asked.length = 0;
    const options = discoveryOptions({ domain: 'glue.test', dnsServer: `127.0.0.1:${server.port}`, timeoutMs: 2_000 });
    expect(await discoverDcs(options, new AbortController().signal)).toEqual([
      { host: 'dc9.glue.test', port: 389, source: 'dns-srv', address: '127.0.0.9' },
    ]);
    expect(asked).toEqual(['SRV _ldap._tcp.dc._msdcs.glue.test']);
  });
});
