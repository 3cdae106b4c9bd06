import { cases } from '../_harness.js';
import { webapp01Spec } from '../_fixtures.js';
import { CCG_LOG, ISSUES_LOG, SYSTEM_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'no 5719 or 5720',
      facts: { 'events.log': CCG_LOG },
      expect: [{ severity: 'pass', message: /^No NETLOGON 5719 or 5720 in 11 records/ }],
    },
  ],
  failure: [
    {
      name: 'NETLOGON 5719 twice',
      facts: { 'events.log': SYSTEM_LOG },
      expect: [
        { severity: 'error', subject: 'ctr-host-01.contoso.com', message: /^NETLOGON event 5719, 2 times between/ },
      ],
    },
    {
      name: 'NETLOGON 5720 naming the gMSA as the computer: several containers share it (microsoft/Windows-Containers#405)',
      facts: { 'events.log': ISSUES_LOG, 'credspec.documents': webapp01Spec() },
      expect: [
        {
          severity: 'error',
          subject: 'gMSA webapp01',
          message:
            /event 5720, at 2024-03-13T10:23:24.*webapp01 is the gMSA, not a computer.*several containers running with gMSA webapp01 at once.*on every Windows build/,
        },
      ],
    },
    {
      name: 'NETLOGON 5720 naming a computer the run knows nothing about',
      facts: { 'events.log': ISSUES_LOG },
      expect: [{ severity: 'error', subject: 'webapp01', message: /^NETLOGON event 5720, at 2024-03-13T10:23:24/ }],
    },
  ],
});
