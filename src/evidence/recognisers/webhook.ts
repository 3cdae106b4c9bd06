/**
 * The windows-gmsa admission webhook (kubernetes-sigs/windows-gmsa), and admission webhooks in general:
 * - the API server failing to call it: `failed calling webhook "admission-webhook.windows-gmsa.sigs.k8s.io": ...
 *   no endpoints available for service "..."` | `x509: certificate signed by unknown authority` | ...;
 * - its denials (webhook.go, kube_client.go), inside the API server's `admission webhook "<name>" denied the request: `;
 * - its own log: `http: TLS handshake error from <ip>: remote error: tls: bad certificate`,
 *   `panic: tls: failed to find any PEM data in certificate input`;
 * - its deploy script: `FATAL ERROR: after approving CSR <name>, the signed certificate did not appear on the resource`,
 *   and the `kubectl get csr` table it prints.
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type {
  K8sCsrData,
  WebhookCallErrorData,
  WebhookCallProblem,
  WebhookDenialData,
  WebhookDenialReason,
  WebhookLogData,
} from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';

export const GMSA_WEBHOOK = 'admission-webhook.windows-gmsa.sigs.k8s.io';

const CALL = /failed calling webhook "([^"]{1,300})": (.{0,4000})$/;
const DENIED = /admission webhook "([^"]{1,300})" denied the request: (.{0,4000})$/;

const CALL_PROBLEMS: readonly [RegExp, WebhookCallProblem][] = [
  [/no endpoints available for service/, 'no-endpoints'],
  [/x509: certificate signed by unknown authority/, 'x509-unknown-authority'],
  [/x509: /, 'x509'],
  [/\btls: |remote error: tls/, 'tls'],
  [/context deadline exceeded|Client\.Timeout|i\/o timeout|timed out/i, 'timeout'],
  [/connection refused/, 'connection-refused'],
  [/service "[^"]{1,300}" not found/, 'not-found'],
];

/** The windows-gmsa webhook's own denial texts (webhook.go, kube_client.go). */
const DENIALS: readonly {
  pattern: RegExp;
  read: (m: RegExpExecArray) => Partial<WebhookDenialData> & { reason: WebhookDenialReason };
}[] = [
  {
    pattern: /service account "([^"]{0,300})" is not authorized to `use` GMSA cred spec "([^"]{0,300})"/,
    read: (m) => ({ reason: 'not-authorized', serviceAccount: m[1] ?? '', credspec: m[2] ?? '' }),
  },
  {
    pattern:
      /the GMSA cred spec contents for (pod|container|initContainer) "([^"]{0,300})" does not match the contents of GMSA resource "([^"]{0,300})"/,
    read: (m) => ({
      reason: 'contents-mismatch',
      resourceKind: m[1] ?? '',
      resource: m[2] ?? '',
      credspec: m[3] ?? '',
    }),
  },
  {
    pattern:
      /(pod|container|initContainer) "([^"]{0,300})" has a GMSA cred spec set, but does not define the name of the corresponding resource/,
    read: (m) => ({ reason: 'name-missing', resourceKind: m[1] ?? '', resource: m[2] ?? '' }),
  },
  {
    pattern: /\bcred spec (\S{1,300}) does not exist/,
    read: (m) => ({ reason: 'credspec-not-found', credspec: m[1] ?? '' }),
  },
  {
    pattern: /\bcred spec (\S{1,300}) does not have a credspec key/,
    read: (m) => ({ reason: 'credspec-no-key', credspec: m[1] ?? '' }),
  },
  {
    pattern: /unable to retrieve the contents of cred spec (\S{1,300}?):/,
    read: (m) => ({ reason: 'credspec-unreadable', credspec: m[1] ?? '' }),
  },
  {
    pattern:
      /cannot update an existing pod's GMSA settings \(GMSA [\w ]{1,40} modified on (pod|container|initContainer) "([^"]{0,300})"\)/,
    read: (m) => ({ reason: 'cannot-update', resourceKind: m[1] ?? '', resource: m[2] ?? '' }),
  },
];

function callError(line: NormalisedLine): ReturnType<typeof makeItem<'webhook-call-error'>> | undefined {
  const m = CALL.exec(line.text);
  if (!m) return undefined;
  const detail = (m[2] ?? '').trim();
  const problem = CALL_PROBLEMS.find(([p]) => p.test(detail))?.[1] ?? 'other';
  const data: WebhookCallErrorData = compact({
    webhook: m[1] ?? '',
    gmsaWebhook: (m[1] ?? '').includes('windows-gmsa'),
    url: /Post "?(https?:\/\/[^"\s]{1,2000}?)"?:?(?:\s|$)/.exec(detail)?.[1],
    service: /no endpoints available for service "?([^"\s]{1,300})"?/.exec(detail)?.[1],
    problem,
    detail,
  });
  return makeItem('webhook-call-error', [line], data);
}

function denial(line: NormalisedLine): ReturnType<typeof makeItem<'webhook-denial'>> | undefined {
  const framed = DENIED.exec(line.text);
  const message = framed ? (framed[2] ?? '').trim() : line.text.trim();
  for (const { pattern, read } of DENIALS) {
    const m = pattern.exec(message);
    if (!m) continue;
    const webhook = framed?.[1] ?? GMSA_WEBHOOK;
    return makeItem(
      'webhook-denial',
      [line],
      compact({ webhook, gmsaWebhook: webhook.includes('windows-gmsa'), message, ...read(m) }),
    );
  }
  if (!framed) return undefined;
  const webhook = framed[1] ?? '';
  return makeItem('webhook-denial', [line], {
    webhook,
    gmsaWebhook: webhook.includes('windows-gmsa'),
    reason: 'other',
    message,
  });
}

const LOG_FORMS: readonly { pattern: RegExp; read: (m: RegExpExecArray) => WebhookLogData }[] = [
  {
    pattern: /http: TLS handshake error from (\S{1,300}): remote error: tls: bad certificate/,
    read: (m) => ({ problem: 'tls-bad-certificate', message: m[0], peer: m[1] ?? '' }),
  },
  {
    pattern: /http: TLS handshake error from (\S{1,300}): (.{1,2000})$/,
    read: (m) => ({ problem: 'tls-handshake', message: m[0], peer: m[1] ?? '' }),
  },
  {
    pattern: /tls: failed to find any PEM data in (?:certificate|key) input/,
    read: (m) => ({ problem: 'no-pem-data', message: m[0] }),
  },
  {
    pattern: /tls: private key does not match public key|x509: certificate has expired or is not yet valid/,
    read: (m) => ({ problem: 'certificate', message: m[0] }),
  },
];
/** Lines of the webhook's log and of a Go panic that carry no finding of their own. */
const LOG_CONTEXT =
  /^(?:time="[^"]{1,60}" level=\w{1,10} msg="(?:starting webhook server|Webhook certificate reload)|goroutine \d+ \[|main\.main\(\)$|\/go\/src\/sigs\.k8s\.io\/windows-gmsa\/)/;

function webhookLog(line: NormalisedLine): ReturnType<typeof makeItem<'webhook-log'>> | undefined {
  for (const { pattern, read } of LOG_FORMS) {
    const m = pattern.exec(line.text);
    if (m) return makeItem('webhook-log', [line], compact(read(m)));
  }
  return undefined;
}

const CERT_NOT_ISSUED =
  /FATAL ERROR: after approving CSR (\S{1,300}), the signed certificate did not appear on the resource/;
/** The deploy script's chatter: openssl key generation, kubectl's `kind/name created`. */
const DEPLOY_CONTEXT =
  /^(?:Generating RSA private key|\.{2,}\+{3,}$|e is 65537 \(0x0?10001\)$|certificatesigningrequest\.certificates\.k8s\.io[/ ]"?\S{1,300}"? (?:created|deleted|approved)$)/;
const CONTEXT_GATE =
  /time=|goroutine|main\.main|windows-gmsa|Generating RSA|\.\.\+\+\+|65537|certificatesigningrequest/;
const CSR_HEADER = /^NAME\s{2,}AGE\s{2,}(?:SIGNERNAME\s{2,})?REQUESTOR\s{2,}(?:REQUESTEDDURATION\s{2,})?CONDITION$/;

function csrRows(lines: readonly NormalisedLine[]): { items: Recognition['items']; read: NormalisedLine[] } {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.text.includes('REQUESTOR')) continue;
    const header = lines[i]!.text.trim();
    if (!CSR_HEADER.test(header)) continue;
    const names = header.split(/\s{2,}/);
    read.push(lines[i]!);
    for (let j = i + 1; j < lines.length; j++) {
      const cells = lines[j]!.text.trim().split(/\s{2,}/);
      if (cells.length !== names.length) break;
      const cell = (name: string): string | undefined => cells[names.indexOf(name)];
      const data: K8sCsrData = compact({
        name: cell('NAME') ?? '',
        age: cell('AGE'),
        signerName: cell('SIGNERNAME'),
        requestor: cell('REQUESTOR'),
        condition: cell('CONDITION') ?? '',
      });
      items.push(makeItem('k8s-csr', [lines[j]!], data));
      read.push(lines[j]!);
      i = j;
    }
  }
  // `kubectl certificate approve` prints `certificatesigningrequest.certificates.k8s.io/<name> approved`.
  for (const line of lines) {
    if (!line.text.includes(' approved')) continue;
    const approved = /^certificatesigningrequest\.certificates\.k8s\.io\/(\S{1,300}) approved$/.exec(line.text.trim());
    if (approved) items.push(makeItem('k8s-csr', [line], { name: approved[1] ?? '', condition: 'Approved' }));
  }
  return { items, read };
}

export function recogniseWebhook(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    const text = line.text;
    const found =
      (text.includes('failed calling webhook') ? callError(line) : undefined) ??
      (/denied the request|GMSA|cred spec/.test(text) ? denial(line) : undefined) ??
      (/tls|x509/.test(text) ? webhookLog(line) : undefined);
    const certificate = text.includes('FATAL ERROR') ? CERT_NOT_ISSUED.exec(text) : null;
    if (found) items.push(found);
    else if (certificate)
      items.push(
        makeItem('webhook-deploy', [line], {
          problem: 'certificate-not-issued',
          csr: certificate[1] ?? '',
          message: text.trim(),
        }),
      );
    if (
      found ||
      certificate ||
      (CONTEXT_GATE.test(text) && (LOG_CONTEXT.test(text.trim()) || DEPLOY_CONTEXT.test(text.trim())))
    )
      read.push(line);
  }
  const csr = csrRows(block.lines);
  return { items: [...items, ...csr.items], read: [...read, ...csr.read] };
}
