/**
 * The webhook's TLS trust, as kube-apiserver checks it when it calls the webhook: the serving certificate must chain
 * to a certificate of the webhook configuration's `caBundle`, name the service (`NAME.NS.svc`), and be valid now.
 * Pure: PEM text in, facts out (node:crypto parses, nothing is fetched).
 */
import { X509Certificate } from 'node:crypto';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  isCa: boolean;
  fingerprint256: string;
}

export interface ParsedBundle {
  certificates: { facts: CertificateFacts; x509: X509Certificate }[];
  /** Why a block could not be read. */
  errors: string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function parsePemBundle(pem: string): ParsedBundle {
  const certificates: ParsedBundle['certificates'] = [];
  const errors: string[] = [];
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) errors.push('no PEM certificate block (-----BEGIN CERTIFICATE-----) in it');
  for (const block of blocks.slice(0, 64)) {
    try {
      const x509 = new X509Certificate(block);
      certificates.push({ x509, facts: factsOf(x509) });
    } catch (error) {
      errors.push(`a certificate block does not parse: ${(error as Error).message}`);
    }
  }
  return { certificates, errors };
}

/** A webhook's caBundle is base64 of PEM; a manifest may carry it templated or empty. */
export function decodeCaBundle(caBundle: string): string | undefined {
  const text = Buffer.from(caBundle.replace(/\s+/g, ''), 'base64').toString('utf8');
  return text.includes('-----BEGIN') ? text : undefined;
}

function factsOf(x509: X509Certificate): CertificateFacts {
  const dnsNames = (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  return {
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    dnsNames,
    isCa: x509.ca,
    fingerprint256: x509.fingerprint256,
  };
}

export interface TrustVerdict {
  /** The CA certificate of the bundle that signed the leaf (or the chain's last certificate), if any. */
  signedBy?: CertificateFacts;
  /** The leaf names the host (exact or wildcard). */
  namesHost: boolean;
  expired: boolean;
  notYetValid: boolean;
}

/** Does `chain` (leaf first) verify against `bundle` for `host` at `now`, as Go's crypto/x509 would? */
export function verifyServing(chain: ParsedBundle, bundle: ParsedBundle, host: string, now: Date): TrustVerdict {
  const leaf = chain.certificates[0];
  if (!leaf) return { namesHost: false, expired: false, notYetValid: false };
  let signedBy: CertificateFacts | undefined;
  // Walk up the presented chain; each link must be issued by the next, and some link by a bundle certificate.
  let current = leaf.x509;
  for (let hop = 0; hop < 8 && !signedBy; hop++) {
    const anchor = bundle.certificates.find((c) => current.checkIssued(c.x509) && current.verify(c.x509.publicKey));
    if (anchor) {
      signedBy = anchor.facts;
      break;
    }
    const parent = chain.certificates.find(
      (c) => c.x509 !== current && current.checkIssued(c.x509) && current.verify(c.x509.publicKey),
    );
    if (!parent) break;
    current = parent.x509;
  }
  const namesHost =
    leaf.facts.dnsNames.some((name) => matchesHost(name, host)) || leaf.x509.checkHost(host) !== undefined;
  return {
    ...(signedBy ? { signedBy } : {}),
    namesHost,
    expired: now > leaf.facts.notAfter,
    notYetValid: now < leaf.facts.notBefore,
  };
}

function matchesHost(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  return p.startsWith('*.') && h.endsWith(p.slice(1)) && !h.slice(0, h.length - p.length + 1).includes('.');
}

/** Go's time formatting in x509 expiry errors: `2024-05-01T10:00:00Z`. */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
