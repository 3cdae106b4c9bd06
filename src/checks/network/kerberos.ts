import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { KdcProbeEntry } from '../../facts/network.js';
import { firewallFix, firewallRow, unreachableText } from './_network.js';

const NO_ANSWER = new Set(['timeout', 'refused', 'unreachable']);

/** A blocked UDP 88 is survivable when TCP 88 answers (Windows falls back to TCP); both blocked is fatal. */
function kdcFinding(e: KdcProbeEntry, account: string | undefined, all: readonly KdcProbeEntry[]): FindingDraft {
  const subject = `${e.dc} ${e.transport.toUpperCase()} 88`;
  const label = `Kerberos AS-REQ for ${e.principal} over ${e.transport.toUpperCase()} 88 to ${e.dc}`;
  const evidence: Record<string, unknown> = { ms: e.ms };
  if (e.error)
    Object.assign(evidence, {
      error: `${e.error.code} ${e.error.name}`,
      ...(e.error.eText ? { eText: e.error.eText } : {}),
      kdcTime: e.error.serverTime,
    });
  if (NO_ANSWER.has(e.outcome)) {
    const tcpAnswers = all.some((o) => o.dc === e.dc && o.transport === 'tcp' && !NO_ANSWER.has(o.outcome));
    return {
      severity: e.transport === 'udp' && tcpAnswers ? 'warning' : 'error',
      subject,
      message: `${label}: ${unreachableText(e.outcome === 'timeout' ? 'filtered' : e.outcome, e.ms)}; ${firewallRow(88)}.`,
      evidence,
      remediation: firewallFix(88, e.transport, e.dc, e.address),
    };
  }
  if (e.outcome === 'as-rep') {
    return {
      severity: 'warning',
      subject,
      message: `${label}: the KDC issued a ticket without pre-authentication (DONT_REQUIRE_PREAUTH is set): the account is open to AS-REP roasting.`,
      evidence,
    };
  }
  if (e.outcome !== 'krb-error' || !e.error)
    return { severity: 'error', subject, message: `${label}: ${e.detail ?? e.outcome}.`, evidence };
  const { code } = e.error;
  if (!account) {
    return {
      severity: 'pass',
      subject,
      message: `The KDC on ${e.dc} answers over ${e.transport.toUpperCase()} 88 (KRB-ERROR ${code} for a probe name) in ${e.ms} ms.`,
      evidence,
    };
  }
  if (code === 25) {
    const etypes = e.error.etypeInfo2.map((t) => t.name);
    Object.assign(evidence, { etypes, salt: e.error.etypeInfo2[0]?.salt });
    if (etypes.length === 0) {
      return {
        severity: 'warning',
        subject,
        message: `${label}: the KDC knows the account (pre-authentication required) but lists no keys for it: its password was never generated (KDS root key missing or not yet effective on Windows; Samba 4.17 never computes gMSA keys).`,
        evidence,
        remediation: {
          text: 'Check the KDS root key and let the gMSA password be generated.',
          commands: ['Get-KdsRootKey', `Test-ADServiceAccount -Identity '${account.replace(/\$$/, '')}'`],
        },
      };
    }
    return {
      severity: 'pass',
      subject,
      message: `${label}: the KDC knows the account; its keys: ${etypes.join(', ')}.`,
      evidence,
    };
  }
  if (code === 6) {
    return {
      severity: 'error',
      subject,
      message: `${label}: KDC_ERR_C_PRINCIPAL_UNKNOWN, the KDC does not know ${e.principal}.`,
      evidence,
      remediation: {
        text: 'Create the gMSA in this domain, or fix its name (with the trailing $) in the credential spec.',
        commands: [`Get-ADServiceAccount -Identity '${account.replace(/\$$/, '')}'`],
      },
    };
  }
  if (code === 18) {
    return {
      severity: 'error',
      subject,
      message: `${label}: KDC_ERR_CLIENT_REVOKED, the account is disabled, locked or expired.`,
      evidence,
      remediation: { text: 'Enable the gMSA.', commands: [`Enable-ADAccount -Identity '${account}'`] },
    };
  }
  return {
    severity: 'warning',
    subject,
    message: `${label}: unexpected KRB-ERROR ${code} ${e.error.name}${e.error.eText ? ` (${e.error.eText})` : ''}.`,
    evidence,
  };
}

export default defineCheck({
  meta: {
    id: 'network/kerberos',
    title: 'The KDC answers and knows the gMSA',
    section: 'network',
    link: 'dc',
    looksAt:
      'An AS-REQ without pre-authentication for gmsa$@REALM over UDP and TCP 88 to each DC: KRB-ERROR 25 = known (with its enctypes), 6 = unknown, 18 = disabled.',
    why: 'The container gets its tickets as the gMSA from this KDC; `klist get krbtgt` in the container fails the same way.',
    remediation: 'Open UDP and TCP 88 to the DCs; create or enable the gMSA.',
  },
  needs: ['net.kerberos'],
  run(facts) {
    const kerberos = facts.get('net.kerberos');
    return kerberos.exchanges.map((e) => kdcFinding(e, kerberos.account, kerberos.exchanges));
  },
});
