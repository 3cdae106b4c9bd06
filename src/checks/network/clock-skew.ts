import { defineCheck } from '../../engine/check.js';

const MAX_SKEW_MS = 5 * 60 * 1000;

export default defineCheck({
  meta: {
    id: 'network/clock-skew',
    title: "This machine's clock is within 5 minutes of the DC's",
    section: 'network',
    link: 'dc',
    fault: 'clock-skew',
    looksAt: "stime/susec of the KDC's KRB-ERROR against the local clock.",
    why: "Kerberos rejects requests from a clock more than 5 minutes off (KRB_AP_ERR_SKEW); the container uses the host's clock.",
    remediation: 'Synchronise the host with the domain hierarchy (w32tm).',
  },
  needs: ['net.kerberos'],
  run(facts) {
    const measured = facts.get('net.kerberos').exchanges.filter((e) => e.clockSkewMs !== undefined);
    if (measured.length === 0)
      return [{ severity: 'skipped', message: 'Skipped: no KDC answered, so its clock is unknown.' }];
    const worst = measured.reduce((a, b) => (Math.abs(b.clockSkewMs!) > Math.abs(a.clockSkewMs!) ? b : a));
    const skew = worst.clockSkewMs!;
    const text = `${Math.abs(skew / 1000).toFixed(1)} s ${skew >= 0 ? 'behind' : 'ahead of'} ${worst.dc}`;
    if (Math.abs(skew) > MAX_SKEW_MS) {
      return [
        {
          severity: 'error',
          subject: worst.dc,
          message: `This machine's clock is ${text}: more than the 5 minutes Kerberos allows.`,
          evidence: { skewMs: skew, kdcTime: worst.error?.serverTime },
          remediation: {
            text: 'Synchronise the clock with the domain.',
            commands: ['w32tm /resync /force', 'w32tm /query /status'],
          },
        },
      ];
    }
    return [
      {
        severity: 'pass',
        subject: worst.dc,
        message: `Clock skew with the KDC: ${text} (limit 5 minutes).`,
        evidence: { skewMs: skew },
      },
    ];
  },
});
