import { cases } from '../_harness.js';
import { CCG_LOG, SYSTEM_LOG } from './_logs.js';

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
  ],
});
