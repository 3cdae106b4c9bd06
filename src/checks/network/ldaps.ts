import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { TlsResult } from '../../facts/network.js';
import { firewallFix, firewallRow, unreachableText } from './_network.js';

const CERT_WARN_DAYS = 30;

function daysLeft(validTo: string, now: number): number {
  return Math.floor((Date.parse(validTo) - now) / 86_400_000);
}

function tlsFindings(t: TlsResult, now: number): FindingDraft[] {
  const label = t.mode === 'ldaps' ? `LDAPS (TCP 636)` : 'StartTLS on TCP 389';
  if (t.outcome !== 'ok') {
    const network = t.outcome === 'timeout' || t.outcome === 'refused' || t.outcome === 'unreachable';
    return [
      {
        severity: t.mode === 'ldaps' ? 'error' : 'warning',
        subject: `${t.dc}:${t.port}`,
        message: network
          ? `${label} to ${t.dc} ${unreachableText(t.outcome, t.ms)}; ${firewallRow(t.port)}.`
          : `${label} to ${t.dc} failed: ${t.detail ?? t.outcome}.`,
        ...(network ? { remediation: firewallFix(t.port, 'tcp', t.dc, t.address) } : {}),
      },
    ];
  }
  const cert = t.certificate;
  const evidence = {
    protocol: t.protocol,
    trust: t.trust,
    ...(t.caFile ? { caFile: t.caFile } : {}),
    subject: cert?.subject,
    issuer: cert?.issuer,
    validTo: cert?.validTo,
    subjectAltNames: cert?.subjectAltNames,
  };
  const findings: FindingDraft[] = [];
  const subject = `${t.dc}:${t.port}`;
  if (t.trust === 'not-verified') {
    findings.push({
      severity: 'warning',
      subject,
      message: `${label}: certificate not verified (--insecure-tls).`,
      evidence,
    });
  } else if (!t.chainValid) {
    findings.push({
      severity: 'error',
      subject,
      message: `${label}: the certificate chain does not verify against the ${t.trust === 'ca-file' ? `CA file ${t.caFile}` : 'system trust store'}: ${t.chainError ?? 'untrusted'}.`,
      evidence,
      remediation: {
        text: 'Trust the CA that issued the DC certificate (or give it with --ca), or give the DC a certificate from a trusted CA.',
        commands: [`openssl s_client -connect ${t.address}:636 -showcerts </dev/null`],
      },
    });
  }
  if (!t.nameMatches) {
    findings.push({
      severity: 'error',
      subject,
      message: `${label}: the certificate is not valid for ${t.expectedName}: ${t.nameError ?? 'name mismatch'}.`,
      evidence,
      remediation: { text: `Issue the DC a certificate whose subjectAltName contains ${t.expectedName}.` },
    });
  }
  if (cert) {
    const left = daysLeft(cert.validTo, now);
    if (left < 0)
      findings.push({
        severity: 'error',
        subject,
        message: `${label}: the certificate expired on ${cert.validTo}.`,
        evidence,
      });
    else if (left <= CERT_WARN_DAYS)
      findings.push({
        severity: 'warning',
        subject,
        message: `${label}: the certificate expires in ${left} days (${cert.validTo}).`,
        evidence,
        remediation: { text: 'Renew the DC certificate (certificate autoenrollment, or certreq on the DC).' },
      });
  }
  if (t.protocol === 'TLSv1' || t.protocol === 'TLSv1.1') {
    findings.push({
      severity: 'warning',
      subject,
      message: `${label}: the DC negotiated ${t.protocol}, which current Windows and OpenSSL disable.`,
      evidence,
    });
  }
  if (findings.length === 0)
    findings.push({
      severity: 'pass',
      subject,
      message: `${label}: ${t.protocol}, certificate for ${t.expectedName} verifies (${t.trust === 'ca-file' ? t.caFile : 'system store'}), valid until ${cert?.validTo ?? '?'}.`,
      evidence,
    });
  return findings;
}

export default defineCheck({
  meta: {
    id: 'network/ldaps',
    title: 'LDAPS and StartTLS present a valid certificate',
    section: 'network',
    link: 'dc',
    looksAt:
      'The TLS handshake on 636 and StartTLS on 389: chain against the system store or --ca, the DC host name, expiry (warns within 30 days), protocol version.',
    why: 'Tools and services that read the gMSA from AD over LDAPS fail on an untrusted, mismatched or expired DC certificate.',
    remediation:
      'Give each DC a certificate from a CA the clients trust, with its DNS name in subjectAltName, and renew it in time.',
  },
  needs: ['net.tls'],
  run(facts) {
    const now = Date.now();
    return facts.get('net.tls').flatMap((t) => tlsFindings(t, now));
  },
});
