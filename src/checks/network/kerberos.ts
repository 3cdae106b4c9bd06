import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { KdcProbeEntry, PortResult } from '../../facts/network.js';
import {
  closedPort,
  deferredToFirewall,
  firewallFix,
  firewallRow,
  transportsText,
  unreachableText,
} from './_network.js';

const NO_ANSWER = new Set(['timeout', 'refused', 'unreachable']);
const answered = (e: KdcProbeEntry): boolean => !NO_ANSWER.has(e.outcome);

/** What an exchange found, as a key: the exchanges of a DC that found the same are one finding. */
function verdictOf(e: KdcProbeEntry): string {
  return JSON.stringify([e.outcome, e.error?.code, e.error?.etypeInfo2.map((t) => t.etype), e.detail]);
}

function evidenceOf(group: readonly KdcProbeEntry[]): Record<string, unknown> {
  const e = group[0]!;
  const ms = group.length === 1 ? e.ms : Object.fromEntries(group.map((x) => [x.transport, x.ms]));
  return {
    ms,
    ...(e.error
      ? {
          error: `${e.error.code} ${e.error.name}`,
          ...(e.error.eText ? { eText: e.error.eText } : {}),
          kdcTime: e.error.serverTime,
        }
      : {}),
  };
}

/**
 * The finding for the exchanges of one DC that found the same (over TCP and UDP 88 alike). A blocked UDP 88 is
 * survivable when TCP 88 answers (Windows falls back to TCP); both blocked is fatal.
 */
function kdcFinding(group: readonly KdcProbeEntry[], account: string | undefined, tcpAnswers: boolean): FindingDraft {
  const e = group[0]!;
  const over = transportsText(
    group.map((x) => x.transport),
    88,
  );
  const subject = `${e.dc} ${over}`;
  const label = `Kerberos AS-REQ for ${e.principal} over ${over} to ${e.dc}`;
  const evidence = evidenceOf(group);
  if (!answered(e)) {
    const onlyUdp = group.every((x) => x.transport === 'udp');
    const ms = Math.max(...group.map((x) => x.ms));
    return {
      severity: onlyUdp && tcpAnswers ? 'warning' : 'error',
      subject,
      message: `${label}: ${unreachableText(e.outcome === 'timeout' ? 'filtered' : e.outcome, ms, group.length === 1 ? e.transport : undefined)}; ${firewallRow(88)}.`,
      evidence,
      remediation: firewallFix(
        88,
        group.map((x) => x.transport),
        e.dc,
        e.address,
      ),
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
    return {
      severity: 'error',
      fault: 'kdc-failed',
      subject,
      message: `${label}: ${e.detail ?? e.outcome}.`,
      evidence,
    };
  const { code } = e.error;
  if (!account) {
    return {
      severity: 'pass',
      subject,
      message: `The KDC on ${e.dc} answers over ${over} (KRB-ERROR ${code} for a probe name) in ${Math.max(...group.map((x) => x.ms))} ms.`,
      evidence,
    };
  }
  const bare = account.replace(/\$$/, '');
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
          commands: ['Get-KdsRootKey', `Test-ADServiceAccount -Identity '${bare}'`],
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
  // The KDC's "unknown" and "revoked" repeat what account/exists reads from AD: the account link, second-hand.
  if (code === 6) {
    return {
      severity: 'error',
      fault: 'account-missing',
      link: 'account',
      echoes: 'account/exists',
      subject,
      message: `${label}: KDC_ERR_C_PRINCIPAL_UNKNOWN, the KDC does not know ${e.principal}.`,
      evidence,
      remediation: {
        text: 'Create the gMSA in this domain, or fix its name (with the trailing $) in the credential spec.',
        commands: [`Get-ADServiceAccount -Identity '${bare}'`],
      },
    };
  }
  if (code === 18) {
    return {
      severity: 'error',
      fault: 'account-disabled',
      link: 'account',
      echoes: 'account/exists',
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

/** One DC's findings: a transport network/firewall already found closed is its finding, the rest grouped by verdict. */
function dcFindings(
  mine: readonly KdcProbeEntry[],
  account: string | undefined,
  ports: readonly PortResult[] | undefined,
): FindingDraft[] {
  const dc = mine[0]!.dc;
  const closed = mine
    .filter((e) => !answered(e))
    .map((e) => closedPort(ports, dc, 88, e.transport))
    .filter((p): p is PortResult => p !== undefined);
  const judged = mine.filter((e) => answered(e) || !closedPort(ports, dc, 88, e.transport));
  const tcpAnswers = mine.some((e) => e.transport === 'tcp' && answered(e));
  const groups = new Map<string, KdcProbeEntry[]>();
  for (const e of judged) groups.set(verdictOf(e), [...(groups.get(verdictOf(e)) ?? []), e]);
  return [
    ...(closed.length > 0
      ? [
          deferredToFirewall(
            `${dc} ${transportsText(
              closed.map((p) => p.proto),
              88,
            )}`,
            'the KDC',
            closed,
          ),
        ]
      : []),
    ...[...groups.values()].map((group) => kdcFinding(group, account, tcpAnswers)),
  ];
}

export default defineCheck({
  meta: {
    id: 'network/kerberos',
    title: 'The KDC answers and knows the gMSA',
    section: 'network',
    link: 'dc',
    fault: 'port-blocked',
    looksAt:
      'An AS-REQ without pre-authentication for gmsa$@REALM over UDP and TCP 88 to each DC: KRB-ERROR 25 = known (with its enctypes), 6 = unknown, 18 = disabled.',
    why: 'The container gets its tickets as the gMSA from this KDC; `klist get krbtgt` in the container fails the same way.',
    remediation: 'Open UDP and TCP 88 to the DCs; create or enable the gMSA.',
  },
  needs: ['net.kerberos'],
  uses: ['net.ports'],
  run(facts) {
    const { exchanges, account } = facts.get('net.kerberos');
    const ports = facts.optional('net.ports');
    return [...new Set(exchanges.map((e) => e.dc))].flatMap((dc) =>
      dcFindings(
        exchanges.filter((e) => e.dc === dc),
        account,
        ports,
      ),
    );
  },
});
