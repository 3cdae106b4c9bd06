// The socket plumbing on real loopback sockets: how each way an exchange can end is classified.
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { lengthPrefixed, tcpExchange, udpExchange } from '../../../src/probes/transport.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

async function udpServer(
  onMessage: (socket: UdpSocket, msg: Buffer, port: number, address: string) => void,
): Promise<number> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => onMessage(socket, msg, rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => socket.close());
  return socket.address().port;
}

async function tcpServer(onData: (data: Buffer, reply: (b: Uint8Array) => void) => void): Promise<number> {
  const server: Server = createServer((conn) => conn.on('data', (d) => onData(d, (b) => conn.write(b))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound, then closed. */
async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

describe('udpExchange', () => {
  it('returns the answer that `accept` takes, ignoring others', async () => {
    const port = await udpServer((s, msg, p, a) => {
      s.send(Uint8Array.of(0), p, a);
      s.send(Buffer.concat([Uint8Array.of(1), msg]), p, a);
    });
    const result = await udpExchange('127.0.0.1', port, Uint8Array.of(7), {
      timeoutMs: 2_000,
      accept: (r) => r[0] === 1,
    });
    expect(result.outcome).toBe('ok');
    expect([...result.reply!]).toEqual([1, 7]);
  });

  it('silence is "filtered", never "open"', async () => {
    const port = await udpServer(() => undefined);
    const result = await udpExchange('127.0.0.1', port, Uint8Array.of(7), { timeoutMs: 150 });
    expect(result.outcome).toBe('filtered');
    expect(result.detail).toBe('no answer within 150 ms');
  });

  it('an ICMP port unreachable is "refused"', async () => {
    const result = await udpExchange('127.0.0.1', await closedUdpPort(), Uint8Array.of(7), { timeoutMs: 2_000 });
    expect(result.outcome).toBe('refused');
  });

  // The kernel rate-limits ICMP (not on loopback): of a burst to a rejecting port only some datagrams come back
  // refused. Here the first datagram reaches a silent server that then goes away; the second one is refused.
  it('a refusal of one datagram to a port ends the other exchanges waiting on it as "refused", at once', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const { port } = silent.address();
    const first = udpExchange('127.0.0.1', port, Uint8Array.of(1), { timeoutMs: 4_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise<void>((resolve) => silent.close(resolve));
    const t0 = performance.now();
    const second = await udpExchange('127.0.0.1', port, Uint8Array.of(2), { timeoutMs: 4_000 });
    expect(second.outcome).toBe('refused');
    expect(await first).toMatchObject({ outcome: 'refused', detail: expect.stringContaining('ICMP') as string });
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('sends its datagram again at half the timeout: a lost datagram, or an ICMP refusal the rate limit ate', async () => {
    const got: number[] = [];
    const port = await udpServer((_s, msg) => got.push(msg[0]!));
    const result = await udpExchange('127.0.0.1', port, Uint8Array.of(9), { timeoutMs: 300 });
    expect(result.outcome).toBe('filtered');
    expect(got).toEqual([9, 9]);
  });

  it('stops when the probe signal aborts', async () => {
    const port = await udpServer(() => undefined);
    const controller = new AbortController();
    const pending = udpExchange('127.0.0.1', port, Uint8Array.of(7), { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    expect((await pending).detail).toBe('stopped at the probe deadline');
  });
});

describe('tcpExchange', () => {
  it('reads until a whole length-prefixed message is there', async () => {
    const port = await tcpServer((_data, reply) => {
      reply(Uint8Array.of(0, 3, 1));
      setTimeout(() => reply(Uint8Array.of(2, 3, 99)), 20);
    });
    const result = await tcpExchange('127.0.0.1', port, Uint8Array.of(1), {
      timeoutMs: 2_000,
      complete: lengthPrefixed(2),
    });
    expect(result.outcome).toBe('ok');
    expect([...result.reply!]).toEqual([0, 3, 1, 2, 3]);
  });

  it('a closed port is "refused"; a bare connect to an open one is "ok"', async () => {
    const port = await tcpServer(() => undefined);
    expect((await tcpExchange('127.0.0.1', port, undefined, { timeoutMs: 2_000 })).outcome).toBe('ok');
    cleanups.splice(0).forEach((fn) => fn());
    expect((await tcpExchange('127.0.0.1', port, undefined, { timeoutMs: 2_000 })).outcome).toBe('refused');
  });

  it('a server that never answers is "filtered" at the deadline', async () => {
    const port = await tcpServer(() => undefined);
    const result = await tcpExchange('127.0.0.1', port, Uint8Array.of(1), {
      timeoutMs: 150,
      complete: lengthPrefixed(4),
    });
    expect(result.outcome).toBe('filtered');
  });
});
