/**
 * The windows-gmsa webhook's own endpoint, reached directly: one HTTPS `GET /info` that also shows the serving
 * certificate chain the webhook presents (what kube-apiserver verifies against the caBundle). Inside the cluster the
 * Service's DNS name answers; outside, a ready endpoint's pod IP may (routable pod networks, a VPN). The certificate
 * is read, not trusted: verification is off for this one request, which sends no credentials and changes nothing.
 */
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';

export interface WebhookAddress {
  host: string;
  port: number;
  /** The TLS server name kube-apiserver sends: `NAME.NAMESPACE.svc`. */
  servername: string;
  /** For reports: `gmsa-webhook.gmsa-webhook.svc:443`, `10.244.1.7:443 (endpoint)`. */
  label: string;
}

export type Unavailable = { unavailable: string };

export interface WebhookEndpointFacts {
  serving: { pem: string; source: string } | Unavailable;
  info: { version: string } | Unavailable;
}

/** Bounds: a few kB of JSON is all /info sends. */
const MAX_INFO_BYTES = 64 * 1024;
const MAX_CHAIN = 8;

/**
 * Tries every address (the Service name first, then endpoints); the first in that order that completes a TLS
 * handshake within `timeoutMs` answers. Says why none could be reached otherwise.
 */
export async function probeWebhookEndpoint(
  addresses: readonly WebhookAddress[],
  timeoutMs: number,
): Promise<WebhookEndpointFacts> {
  // All at once under one deadline: unreachable pod IPs cost one timeout, not one each.
  const results = await Promise.all(addresses.map((address) => getInfo(address, timeoutMs)));
  const failures: string[] = [];
  for (const [i, result] of results.entries()) {
    if ('chain' in result)
      return { serving: { pem: result.chain, source: `TLS handshake with ${addresses[i]!.label}` }, info: result.info };
    failures.push(`${addresses[i]!.label}: ${result.error}`);
  }
  const reason = failures.length
    ? `not reachable from here (${failures.slice(0, 3).join('; ')})`
    : 'no ready endpoint to connect to';
  return { serving: { unavailable: reason }, info: { unavailable: reason } };
}

type Attempt = { chain: string; info: WebhookEndpointFacts['info'] } | { error: string };

function getInfo(address: WebhookAddress, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    let chain: string | undefined;
    let settled = false;
    const done = (attempt: Attempt): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(attempt);
    };
    const req = request({
      host: address.host,
      port: address.port,
      servername: address.servername,
      path: '/info',
      method: 'GET',
      headers: { Accept: 'application/json', Host: address.servername },
      rejectUnauthorized: false,
      agent: false,
    });
    const timer = setTimeout(
      () =>
        done(
          chain
            ? { chain, info: { unavailable: `no /info answer within ${timeoutMs} ms` } }
            : { error: `no TLS handshake within ${timeoutMs} ms` },
        ),
      timeoutMs,
    );
    req.on('socket', (socket) => {
      socket.once('secureConnect', () => {
        chain = pemChain((socket as TLSSocket).getPeerCertificate(true));
      });
    });
    req.on('response', (res: IncomingMessage) => {
      void readInfo(res).then((info) => done({ chain: chain ?? '', info }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      done(
        chain
          ? { chain, info: { unavailable: `GET /info failed: ${error.code ?? error.message}` } }
          : { error: error.code ? `${error.code}` : error.message },
      ),
    );
    req.end();
  });
}

async function readInfo(res: IncomingMessage): Promise<WebhookEndpointFacts['info']> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_INFO_BYTES) return { unavailable: `GET /info answered more than ${MAX_INFO_BYTES} bytes` };
      chunks.push(chunk);
    }
  } catch (error) {
    return {
      unavailable: `GET /info: the answer broke off (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    };
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (res.statusCode !== 200) return { unavailable: `GET /info answered HTTP ${res.statusCode}` };
  return versionOf(text);
}

/** windows-gmsa's `/info`: `{"version":"v0.13.0"}` (webhook.go). */
export function versionOf(text: string): WebhookEndpointFacts['info'] {
  try {
    const parsed = JSON.parse(text) as { version?: unknown };
    if (typeof parsed.version === 'string' && parsed.version !== '') return { version: parsed.version.slice(0, 100) };
  } catch {
    // Not JSON: said below.
  }
  return { unavailable: `GET /info answered ${JSON.stringify(text.slice(0, 60))}, not {"version": ...}` };
}

/** The presented chain, leaf first, as PEM. */
function pemChain(leaf: DetailedPeerCertificate | undefined): string {
  const blocks: string[] = [];
  let current = leaf;
  const seen = new Set<string>();
  while (current?.raw && blocks.length < MAX_CHAIN && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    const base64 = current.raw.toString('base64').match(/.{1,64}/g) ?? [];
    blocks.push(`-----BEGIN CERTIFICATE-----\n${base64.join('\n')}\n-----END CERTIFICATE-----\n`);
    current = current.issuerCertificate;
  }
  return blocks.join('');
}
