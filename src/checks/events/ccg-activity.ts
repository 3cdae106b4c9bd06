import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { CCG_PROVIDER, knownEvent } from '../../protocol/ccg-events.js';
import { byId, defined, eventsOf, groupEvents, nothingToJudge, sourcesText, subjectOf, when } from './_events.js';

export default defineCheck({
  meta: {
    id: 'events/ccg-activity',
    title: 'CCG loaded plug-ins, fetched and refreshed gMSA credentials (events 1, 2, 7)',
    section: 'events',
    link: null,
    looksAt:
      'Microsoft-Windows-Containers-CCG/Admin events 1 (plug-in instantiated), 2 (credentials fetched) and 7 (refetching)',
    why: 'They show which gMSAs and plug-ins worked, and when: a failure after a success points at a change (password expiry, a rotated secret).',
    remediation: 'No action needed for these events; read the failures next to them.',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const ccg = log.events.filter((e) => e.provider.toLowerCase() === CCG_PROVIDER.toLowerCase());
    if (ccg.length === 0) {
      const empty = nothingToJudge(log);
      if (empty) return [empty];
      return [
        {
          severity: 'info',
          message: `No Microsoft-Windows-Containers-CCG events in ${sourcesText(log)}: CCG is used only for hosts that are not domain-joined (a plug-in in the credential spec).`,
        },
      ];
    }
    const groups = groupEvents(ccg, [byId(CCG_PROVIDER, 1), byId(CCG_PROVIDER, 2), byId(CCG_PROVIDER, 7)]);
    const unknown = [...new Set(ccg.filter((e) => !knownEvent(e.provider, e.eventId)).map((e) => e.eventId))];
    const findings: FindingDraft[] = groups.map((group) => ({
      severity: 'pass',
      subject: subjectOf(group),
      message: `CCG event ${group.eventId}, ${when(group)}: ${group.example}`,
      evidence: defined({
        eventId: group.eventId,
        gmsa: group.gmsa,
        plugin: group.plugin,
        count: group.count,
        first: group.first,
        last: group.last,
      }),
    }));
    if (unknown.length > 0) {
      findings.push({
        severity: 'info',
        message: `CCG events not in the guide's table: ${unknown.join(', ')}; read their text in Event Viewer.`,
        evidence: { eventIds: unknown },
      });
    }
    if (findings.length === 0)
      findings.push({ severity: 'info', message: 'CCG logged only failures: see the events/ccg-* findings.' });
    return findings;
  },
});
