import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { PortResult, TlsResult } from '../../facts/network.js';
import { closedPort, deferredToFirewall, firewallFix, firewallRow, unreachableText } from './_network.js';

const CERT_WARN_DAYS = 30;
const NETWORK = new Set(['timeout', 'refused', 'unreachable']);

function daysLeft(validTo: string, now: number): number {
  return Math.floor((Date.parse(validTo) - now) / 86_400_000);
}

const labelOf = (t: TlsResult): string => (t.mode === 'ldaps' ? 'LDAPS (TCP 636)' : 'StartTLS on TCP 389');

/** A problem of one TLS session, without the session's label: LDAPS and StartTLS that share it are one finding. */
type Problem = Omit<FindingDraft, 'message' | 'subject'> & { text: string; reaching?: true };

function evidenceOf(t: TlsResult): Record<string, unknown> {
  const cert = t.certificate;
  return {
    protocol: t.protocol,
    trust: t.trust,
    ...(t.caFile ? { caFile: t.caFile } : {}),
    subject: cert?.subject,
    issuer: cert?.issuer,
    validTo: cert?.validTo,
    subjectAltNames: cert?.subjectAltNames,
  };
}

function problemsOf(t: TlsResult, now: number): Problem[] {
  if (t.outcome !== 'ok') {
    const network = NETWORK.has(t.outcome);
    return [
      {
        severity: t.mode === 'ldaps' ? 'error' : 'warning',
        ...(network
          ? {
              reaching: true,
              text: `${unreachableText(t.outcome, t.ms, 'tcp')}; ${firewallRow(t.port)}`,
              remediation: firewallFix(t.port, 'tcp', t.dc, t.address),
            }
          : { fault: 'tls-failed', reaching: true, text: `failed: ${t.detail ?? t.outcome}` }),
      },
    ];
  }
  const cert = t.certificate;
  const evidence = evidenceOf(t);
  const problems: Problem[] = [];
  if (t.trust === 'not-verified') {
    problems.push({ severity: 'warning', text: 'certificate not verified (--insecure-tls)', evidence });
  } else if (!t.chainValid) {
    problems.push({
      severity: 'error',
      fault: 'certificate-untrusted',
      text: `the certificate chain does not verify against the ${t.trust === 'ca-file' ? `CA file ${t.caFile}` : 'system trust store'}: ${t.chainError ?? 'untrusted'}`,
      evidence,
      remediation: {
        text: 'Trust the CA that issued the DC certificate (or give it with --ca), or give the DC a certificate from a trusted CA.',
        commands: [`openssl s_client -connect ${t.address}:636 -showcerts </dev/null`],
      },
    });
  }
  if (!t.nameMatches) {
    problems.push({
      severity: 'error',
      fault: 'certificate-wrong-name',
      text: `the certificate is not valid for ${t.expectedName}: ${t.nameError ?? 'name mismatch'}`,
      evidence,
      remediation: { text: `Issue the DC a certificate whose subjectAltName contains ${t.expectedName}.` },
    });
  }
  if (cert) {
    const left = daysLeft(cert.validTo, now);
    if (left < 0)
      problems.push({
        severity: 'error',
        fault: 'certificate-expired',
        text: `the certificate expired on ${cert.validTo}`,
        evidence,
      });
    else if (left <= CERT_WARN_DAYS)
      problems.push({
        severity: 'warning',
        text: `the certificate expires in ${left} days (${cert.validTo})`,
        evidence,
        remediation: { text: 'Renew the DC certificate (certificate autoenrollment, or certreq on the DC).' },
      });
  }
  if (t.protocol === 'TLSv1' || t.protocol === 'TLSv1.1') {
    problems.push({
      severity: 'warning',
      text: `the DC negotiated ${t.protocol}, which current Windows and OpenSSL disable`,
      evidence,
    });
  }
  return problems;
}

function passFinding(t: TlsResult): FindingDraft {
  return {
    severity: 'pass',
    subject: `${t.dc}:${t.port}`,
    message: `${labelOf(t)}: ${t.protocol}, certificate for ${t.expectedName} verifies (${t.trust === 'ca-file' ? t.caFile : 'system store'}), valid until ${t.certificate?.validTo ?? '?'}.`,
    evidence: evidenceOf(t),
  };
}

/**
 * One DC's findings. One certificate serves LDAPS and StartTLS, so the same problem on both is one finding; a
 * session that could not connect because network/firewall found its port closed is that finding's.
 */
function dcFindings(sessions: readonly TlsResult[], ports: readonly PortResult[] | undefined, now: number) {
  const findings: FindingDraft[] = [];
  const byText = new Map<string, { problem: Problem; sessions: TlsResult[] }>();
  for (const t of sessions) {
    const closed = NETWORK.has(t.outcome) ? closedPort(ports, t.dc, t.port, 'tcp') : undefined;
    if (closed) {
      findings.push(deferredToFirewall(`${t.dc}:${t.port}`, labelOf(t), [closed]));
      continue;
    }
    const problems = problemsOf(t, now);
    if (problems.length === 0) findings.push(passFinding(t));
    for (const problem of problems) {
      const same = byText.get(problem.text);
      if (!same) byText.set(problem.text, { problem, sessions: [t] });
      else {
        same.sessions.push(t);
        if (problem.severity === 'error') same.problem.severity = 'error';
      }
    }
  }
  for (const { problem, sessions: shared } of byText.values()) {
    const { text, reaching, ...draft } = problem;
    findings.push({
      ...draft,
      subject: shared.map((t) => `${t.dc}:${t.port}`).join(', '),
      message: `${shared.map(labelOf).join(' and ')}${reaching ? ` to ${shared[0]!.dc}` : ''}: ${text}.`,
    });
  }
  return findings;
}

export default defineCheck({
  meta: {
    id: 'network/ldaps',
    title: 'LDAPS and StartTLS present a valid certificate',
    section: 'network',
    link: 'dc',
    fault: 'port-blocked',
    looksAt:
      'The TLS handshake on 636 and StartTLS on 389: chain against the system store or --ca, the DC host name, expiry (warns within 30 days), protocol version.',
    why: 'Tools and services that read the gMSA from AD over LDAPS fail on an untrusted, mismatched or expired DC certificate.',
    remediation:
      'Give each DC a certificate from a CA the clients trust, with its DNS name in subjectAltName, and renew it in time.',
  },
  needs: ['net.tls'],
  uses: ['net.ports'],
  run(facts) {
    const now = Date.now();
    const sessions = facts.get('net.tls');
    const ports = facts.optional('net.ports');
    return [...new Set(sessions.map((t) => t.dc))].flatMap((dc) =>
      dcFindings(
        sessions.filter((t) => t.dc === dc),
        ports,
        now,
      ),
    );
  },
});
