// Probe deadlines measure the network, not this process's backlog: a reply that arrived while the event loop was
// blocked (a long synchronous task, a CPU shared by 40 runs) is read, not reported as "filtered" (issue 12).
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { networkDeadline } from '../../../src/engine/deadline.js';
import { gather } from '../../../src/engine/runner.js';
import { tcpExchange, udpExchange } from '../../../src/probes/transport.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

/** Keeps the event loop busy, as a CPU-starved or busy process is. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** A UDP echo server on its own thread (its own event loop): it answers while this thread is blocked. */
async function echoOnAnotherThread(): Promise<number> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const s = require('node:dgram').createSocket('udp4');
     s.on('message', (m, r) => s.send(m, r.port, r.address));
     s.bind(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));`,
    { eval: true },
  );
  cleanups.push(() => worker.terminate());
  return new Promise((resolve) => worker.once('message', resolve));
}

describe('network deadlines', () => {
  it('a TCP connect the kernel completed while the event loop was blocked past the timeout is open', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const pending = tcpExchange('127.0.0.1', (server.address() as AddressInfo).port, undefined, { timeoutMs: 150 });
    block(400);
    expect((await pending).outcome).toBe('ok');
  });

  it('a UDP answer that came while the event loop was blocked past the timeout is read', async () => {
    const port = await echoOnAnotherThread();
    const pending = udpExchange('127.0.0.1', port, Buffer.from('ping'), { timeoutMs: 150 });
    block(400);
    const result = await pending;
    expect(result.outcome).toBe('ok');
    expect(Buffer.from(result.reply!).toString()).toBe('ping');
  });

  it('a probe whose exchange answered during a stall is not cut off by its own deadline', async () => {
    const port = await echoOnAnotherThread();
    const probe = {
      id: 'net.echo',
      title: 'asking the echo server',
      provides: ['net.domain' as const],
      timeoutMs: 150,
      async run({ signal }: { signal: AbortSignal }) {
        const reply = await udpExchange('127.0.0.1', port, Buffer.from('contoso.com'), { timeoutMs: 150, signal });
        return { 'net.domain': reply.reply ? Buffer.from(reply.reply).toString() : 'no answer' };
      },
    };
    const gathering = gather(['net.domain'], { probes: [probe] });
    await new Promise((resolve) => setImmediate(resolve)); // the probe has sent its datagram
    block(400);
    const { facts, probes } = await gathering;
    expect(probes[0]).toMatchObject({ id: 'net.echo', outcome: 'ok' });
    expect(facts.get('net.domain')).toBe('contoso.com');
  });

  it('silence still ends at the timeout when nothing blocks the event loop', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => silent.close());
    const result = await udpExchange('127.0.0.1', silent.address().port, Buffer.from('x'), { timeoutMs: 200 });
    expect(result.outcome).toBe('filtered');
    expect(result.ms).toBeGreaterThanOrEqual(200);
    expect(result.ms).toBeLessThan(350);
  });

  it('time the event loop was stalled does not count, up to four times the deadline', async () => {
    const t0 = performance.now();
    const expired = new Promise<number>((resolve) => networkDeadline(300, () => resolve(performance.now() - t0)));
    setTimeout(() => block(250), 50);
    const ms = await expired;
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(1_200);
    const stalled = performance.now();
    const capped = new Promise<number>((resolve) => networkDeadline(100, () => resolve(performance.now() - stalled)));
    block(600);
    expect(await capped).toBeLessThan(700);
  });

  it('cancel() stops it', async () => {
    let fired = false;
    const deadline = networkDeadline(50, () => (fired = true));
    deadline.cancel();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(fired).toBe(false);
  });
});
