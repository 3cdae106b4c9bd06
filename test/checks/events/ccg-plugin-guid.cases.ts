import { cases } from '../_harness.js';
import { CCG_LOG, NO_CCG_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'no event 9 in a log',
      facts: { 'events.log': NO_CCG_LOG },
      expect: [{ severity: 'pass', message: /^No Microsoft-Windows-Containers-CCG event 9 in \d+ records in 1 log\./ }],
    },
  ],
  failure: [
    {
      name: 'event 9 in the CCG Admin export',
      facts: { 'events.log': CCG_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'Microsoft-Windows-Containers-CCG event 9',
          message: /^Microsoft-Windows-Containers-CCG event 9, at /,
        },
      ],
    },
  ],
});
