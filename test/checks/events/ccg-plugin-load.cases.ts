import { cases } from '../_harness.js';
import { CCG_LOG, ISSUES_LOG, NO_CCG_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'no event 4 in a log',
      facts: { 'events.log': NO_CCG_LOG },
      expect: [{ severity: 'pass', message: /^No Microsoft-Windows-Containers-CCG event 4 in \d+ records in 1 log\./ }],
    },
  ],
  failure: [
    {
      name: 'event 4 in the CCG Admin export',
      facts: { 'events.log': CCG_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'plug-in {859E1386-BDB4-49E8-85C7-3070B13920E1}',
          message: /^Microsoft-Windows-Containers-CCG event 4, at /,
        },
      ],
    },
    {
      name: "event 4 with a COM identity failure: the plug-in's RunAs, not its registration (microsoft/Windows-Containers#293)",
      facts: { 'events.log': ISSUES_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'plug-in {XXX}',
          message:
            /event 4, at .*: The plug-in is registered \(COM found its class\), but COM could not start its server under the identity configured for it.*\[0x8000401A CO_E_RUNAS_LOGON_FAILURE/,
        },
      ],
    },
  ],
});
