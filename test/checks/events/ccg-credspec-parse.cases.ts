import { cases } from '../_harness.js';
import { CCG_LOG, NO_CCG_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'no event 3 in a log',
      facts: { 'events.log': NO_CCG_LOG },
      expect: [{ severity: 'pass', message: /^No Microsoft-Windows-Containers-CCG event 3 in \d+ records in 1 log\./ }],
    },
  ],
  failure: [
    {
      name: 'event 3 in the CCG Admin export',
      facts: { 'events.log': CCG_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'Microsoft-Windows-Containers-CCG event 3',
          message: /^Microsoft-Windows-Containers-CCG event 3, at /,
        },
      ],
    },
  ],
});
