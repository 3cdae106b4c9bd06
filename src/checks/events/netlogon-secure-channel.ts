import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { byId, eventsOf, failureFinding, groupEvents, nothingToJudge, sourcesText } from './_events.js';

export default defineCheck({
  meta: {
    id: 'events/netlogon-secure-channel',
    title: 'NETLOGON set up a secure channel with a DC (events 5719, 5720)',
    section: 'events',
    link: 'host',
    fault: 'host-secure-channel',
    looksAt: 'System log, NETLOGON events 5719 (no DC for the domain) and 5720 (no computer account on the DC)',
    why: 'Without a secure channel the host cannot retrieve the gMSA password, and containers cannot authenticate.',
    remediation:
      'For 5719 check DNS and the DC ports; for 5720 check the computer account and reset the secure channel.',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const findings: FindingDraft[] = [];
    // 5719: the host found no DC (the DC link); 5720: it found one, without a working computer account (the host's).
    const places = { 5719: { link: 'dc', fault: 'host-no-dc' }, 5720: {} } as const;
    for (const id of [5719, 5720] as const) {
      const event = byId('NETLOGON', id);
      findings.push(
        ...groupEvents(log.events, [event]).map((group) => ({
          ...failureFinding(event, group),
          ...places[id],
          subject: group.computers.join(', ') || undefined,
        })),
      );
    }
    if (findings.length > 0) return findings;
    return [nothingToJudge(log) ?? { severity: 'pass', message: `No NETLOGON 5719 or 5720 in ${sourcesText(log)}.` }];
  },
});
