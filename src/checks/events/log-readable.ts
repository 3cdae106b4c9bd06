import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { eventsOf } from './_events.js';

export default defineCheck({
  meta: {
    id: 'events/log-readable',
    title: 'The event logs could be read',
    section: 'events',
    link: null,
    looksAt: 'every file given with --events (binary .evtx, wevtutil XML, Get-WinEvent JSON) or the live logs',
    why: 'A damaged or unreadable log hides the events that explain the failure.',
    remediation: 'Export the log again: wevtutil epl Microsoft-Windows-Containers-CCG/Admin ccg.evtx',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const findings: FindingDraft[] = [];
    for (const source of log.sources) {
      if (source.error) {
        // A log that could not be read at all is an input error of the run: said there, not judged here.
        findings.push({
          severity: 'skipped',
          subject: source.file,
          message: `not judged: could not read ${source.error} (an input error)`,
          location: { file: source.file },
        });
      } else if (source.warnings.length > 0) {
        findings.push({
          severity: 'warning',
          subject: source.file,
          message: `${source.file}: read ${source.records} records around damage: ${source.warnings.slice(0, 3).join('; ')}${source.warnings.length > 3 ? `; and ${source.warnings.length - 3} more` : ''}`,
          evidence: { warnings: source.warnings },
          location: { file: source.file },
        });
      } else {
        findings.push({
          severity: 'pass',
          subject: source.file,
          message: `${source.file}: ${source.records} records (${source.format}), ${source.relevant} about gMSA.`,
        });
      }
    }
    return findings;
  },
});
