import { cases } from '../_harness.js';
import { CCG_LOG, NO_CCG_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'no event 6 in a log',
      facts: { 'events.log': NO_CCG_LOG },
      expect: [{ severity: 'pass', message: /^No Microsoft-Windows-Containers-CCG event 6 in \d+ records in 1 log\./ }],
    },
  ],
  failure: [
    {
      name: 'event 6 in the CCG Admin export',
      facts: { 'events.log': CCG_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'plug-in {CCC2A336-D7F3-4818-A213-272B7924213E}',
          message: /^Microsoft-Windows-Containers-CCG event 6, at /,
        },
      ],
    },
  ],
});
