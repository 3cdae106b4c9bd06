import { cases } from '../_harness.js';
import { CCG_LOG, NO_CCG_LOG } from './_logs.js';

const activity = { severity: 'pass' as const, message: /^CCG event [127], / };

export default cases({
  success: [
    {
      name: 'plug-ins loaded, credentials fetched and refreshed',
      facts: { 'events.log': CCG_LOG },
      expect: [activity, activity, activity, activity],
    },
  ],
  failure: [
    {
      name: 'no CCG event at all',
      facts: { 'events.log': NO_CCG_LOG },
      expect: [
        {
          severity: 'info',
          message:
            /^No Microsoft-Windows-Containers-CCG events in \d+ records in 1 log: CCG is used only for hosts that are not domain-joined/,
        },
      ],
    },
  ],
});
