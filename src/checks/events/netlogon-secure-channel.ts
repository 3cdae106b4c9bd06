import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { byId, eventsOf, failureFinding, groupEvents, nothingToJudge, sourcesText } from './_events.js';

export default defineCheck({
  meta: {
    id: 'events/netlogon-secure-channel',
    title: 'NETLOGON set up a secure channel with a DC (events 5719, 5720)',
    section: 'events',
    link: null,
    looksAt: 'System log, NETLOGON events 5719 (no DC for the domain) and 5720 (no computer account on the DC)',
    why: 'Without a secure channel the host cannot retrieve the gMSA password, and containers cannot authenticate.',
    remediation:
      'For 5719 check DNS and the DC ports; for 5720 check the computer account and reset the secure channel.',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const findings: FindingDraft[] = [];
    for (const id of [5719, 5720]) {
      const event = byId('NETLOGON', id);
      findings.push(
        ...groupEvents(log.events, [event]).map((group) => ({
          ...failureFinding(event, group),
          subject: group.computers.join(', ') || undefined,
        })),
      );
    }
    if (findings.length > 0) return findings;
    return [nothingToJudge(log) ?? { severity: 'pass', message: `No NETLOGON 5719 or 5720 in ${sourcesText(log)}.` }];
  },
});
