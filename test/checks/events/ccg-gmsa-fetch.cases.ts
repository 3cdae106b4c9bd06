import { cases } from '../_harness.js';
import { CCG_LOG, ISSUES_LOG, NO_CCG_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'no event 8 in a log',
      facts: { 'events.log': NO_CCG_LOG },
      expect: [{ severity: 'pass', message: /^No Microsoft-Windows-Containers-CCG event 8 in \d+ records in 1 log\./ }],
    },
  ],
  failure: [
    {
      name: 'event 8 in the CCG Admin export',
      facts: { 'events.log': CCG_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'gMSA WebApp01, plug-in {3C0BED28-38FC-42A9-A6AC-967A4839DF61}',
          message: /^Microsoft-Windows-Containers-CCG event 8, 3 times between /,
        },
      ],
    },
    {
      name: "event 8 with a logon failure: the plug-in account's credentials, not its permission (Azure/AKS#3849)",
      facts: { 'events.log': ISSUES_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'gMSA xxx, plug-in {CCC2A336-D7F3-4818-A213-272B7924213E}',
          message:
            /event 8, at .*: The account whose credentials the plug-in returned could not log on to AD.*Its permission on the gMSA is not what failed\..*\[0xC000006D STATUS_LOGON_FAILURE/,
        },
      ],
    },
  ],
});
