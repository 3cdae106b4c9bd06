/**
 * Socket plumbing shared by the network probes: one UDP request/answer, one TCP request/answer, a bare TCP
 * connect. Every function ends by itself at its deadline or when the signal aborts, and closes its socket.
 * A UDP "no answer" is only ever reported as a timeout of a real protocol exchange, never as "open".
 */
import { createSocket } from 'node:dgram';
import { setMaxListeners } from 'node:events';
import { isIPv6, Socket } from 'node:net';
import { networkDeadline } from '../engine/deadline.js';
import type { ExchangeOutcome } from '../facts/network.js';

export interface ExchangeResult {
  outcome: ExchangeOutcome;
  ms: number;
  reply?: Uint8Array;
  detail?: string;
}

export interface ExchangeOptions {
  signal?: AbortSignal;
  timeoutMs: number;
}

const elapsed = (t0: number): number => Math.round(performance.now() - t0);

function classifyError(error: NodeJS.ErrnoException): ExchangeOutcome {
  switch (error.code) {
    case 'ECONNREFUSED':
    case 'ECONNRESET':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    default:
      return 'error';
  }
}

/**
 * Runs `start` until it calls `finish`, the deadline passes, or the signal aborts; then `cleanup` runs once.
 * The deadline becomes outcome `filtered` with "no answer within N ms".
 */
function bounded(
  options: ExchangeOptions,
  start: (finish: (result: Omit<ExchangeResult, 'ms'>) => void) => void,
  cleanup: () => void,
): Promise<ExchangeResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: Omit<ExchangeResult, 'ms'>): void => {
      if (done) return;
      done = true;
      deadline.cancel();
      options.signal?.removeEventListener('abort', onAbort);
      cleanup();
      resolve({ ...result, ms: elapsed(t0) });
    };
    const onAbort = (): void => finish({ outcome: 'filtered', detail: 'stopped at the probe deadline' });
    const deadline = networkDeadline(options.timeoutMs, () =>
      finish({ outcome: 'filtered', detail: `no answer within ${options.timeoutMs} ms` }),
    );
    if (options.signal?.aborted) return onAbort();
    listenForAbort(options.signal, onAbort);
    try {
      start(finish);
    } catch (error) {
      finish({ outcome: 'error', detail: error instanceof Error ? error.message : String(error) });
    }
  });
}

/**
 * ICMP "port unreachable" for UDP, by address:port: when it last came, and the exchanges waiting on that port.
 * The kernel rate-limits ICMP (a burst of 6, then one a second), so of the datagrams a run sends at once to a port a
 * firewall rejects, only some come back refused: one refusal proves the port closed for the others too.
 */
const udpRefusedAt = new Map<string, number>();
const udpWaiting = new Map<string, Set<() => void>>();
const REFUSED_ELSEWHERE = 'ECONNREFUSED (ICMP port unreachable, to another datagram to this port)';

function udpRefused(key: string): void {
  udpRefusedAt.set(key, performance.now());
  for (const notify of udpWaiting.get(key) ?? []) notify();
}

/**
 * Sends one datagram and waits for the first reply that `accept` takes (default: any). The datagram is sent again
 * at half the timeout, as resolvers and Kerberos clients do: a lost packet, or an ICMP refusal the rate limit ate.
 */
export function udpExchange(
  address: string,
  port: number,
  payload: Uint8Array,
  options: ExchangeOptions & { accept?: (reply: Uint8Array) => boolean },
): Promise<ExchangeResult> {
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  const key = `${address}:${port}`;
  const t0 = performance.now();
  let resend: NodeJS.Timeout | undefined;
  let refusedElsewhere: (() => void) | undefined;
  return bounded(
    options,
    (finish) => {
      const fail = (error: NodeJS.ErrnoException): void => {
        const outcome = classifyError(error);
        if (outcome === 'refused') udpRefused(key);
        finish({ outcome, detail: error.code ?? error.message });
      };
      refusedElsewhere = () => finish({ outcome: 'refused', detail: REFUSED_ELSEWHERE });
      udpWaiting.set(key, (udpWaiting.get(key) ?? new Set()).add(refusedElsewhere));
      socket.on('error', fail);
      socket.on('message', (reply) => {
        if (!options.accept || options.accept(reply)) finish({ outcome: 'ok', reply });
      });
      // A connected UDP socket receives the ICMP "port unreachable" as ECONNREFUSED: a real "refused".
      socket.connect(port, address, (error?: NodeJS.ErrnoException) => {
        // A failed connect is reported here, not as an 'error' event.
        if (error) return fail(error);
        socket.send(payload);
        resend = setTimeout(() => socket.send(payload), options.timeoutMs / 2);
      });
    },
    () => {
      clearTimeout(resend);
      const waiting = udpWaiting.get(key);
      if (refusedElsewhere) waiting?.delete(refusedElsewhere);
      if (waiting?.size === 0) udpWaiting.delete(key);
      socket.removeAllListeners('message');
      socket.on('error', () => undefined);
      socket.close();
    },
  ).then((result) =>
    // No answer at all, and another datagram to the port was refused just before or during this one: refused.
    result.outcome === 'filtered' && (udpRefusedAt.get(key) ?? -Infinity) >= t0 - options.timeoutMs
      ? { ...result, outcome: 'refused', detail: REFUSED_ELSEWHERE }
      : result,
  );
}

/**
 * Connects, sends `payload`, and reads until `complete(buffer)` returns the length of a whole message.
 * Without a payload it only connects: outcome ok means the port is open.
 */
export function tcpExchange(
  address: string,
  port: number,
  payload: Uint8Array | undefined,
  options: ExchangeOptions & { complete?: (received: Uint8Array) => number | undefined },
): Promise<ExchangeResult & { connectMs?: number }> {
  const socket = new Socket();
  const t0 = performance.now();
  let connectMs: number | undefined;
  return bounded(
    options,
    (finish) => {
      let received: Buffer = Buffer.alloc(0);
      socket.on('error', (error: NodeJS.ErrnoException) =>
        finish({ outcome: classifyError(error), detail: error.code ?? error.message }),
      );
      socket.on('close', () =>
        finish({ outcome: 'error', detail: 'the server closed the connection before answering' }),
      );
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const length = options.complete?.(received);
        if (length !== undefined) finish({ outcome: 'ok', reply: received.subarray(0, length) });
      });
      socket.connect({ host: address, port }, () => {
        connectMs = elapsed(t0);
        if (!payload) return finish({ outcome: 'ok' });
        socket.write(payload);
      });
    },
    () => {
      socket.removeAllListeners('close');
      socket.on('error', () => undefined);
      socket.destroy();
    },
  ).then((result) => ({ ...result, ...(connectMs === undefined ? {} : { connectMs }) }));
}

/** `complete` for messages framed by a big-endian length prefix of `size` bytes (DNS: 2, Kerberos: 4). */
export function lengthPrefixed(size: 2 | 4): (received: Uint8Array) => number | undefined {
  return (received) => {
    if (received.length < size) return undefined;
    const view = new DataView(received.buffer, received.byteOffset, received.length);
    const length = (size === 2 ? view.getUint16(0) : view.getUint32(0)) + size;
    return received.length >= length ? length : undefined;
  };
}

/** One probe's signal serves dozens of concurrent exchanges: lift Node's warning threshold of 10 listeners. */
export function listenForAbort(signal: AbortSignal | undefined, onAbort: () => void): void {
  if (!signal) return;
  setMaxListeners(256, signal);
  signal.addEventListener('abort', onAbort, { once: true });
}

/** Milliseconds between now and `t0`, rounded. */
export { elapsed };
