import { cases } from '../_harness.js';
import { CCG_LOG, SYSTEM_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'no 11507 in the CCG log',
      facts: { 'events.log': CCG_LOG },
      expect: [{ severity: 'pass', message: /^No Microsoft-Windows-Hyper-V-Compute event 11507 in 11 records/ }],
    },
  ],
  failure: [
    {
      name: '11507 in the Hyper-V-Compute log',
      facts: { 'events.log': SYSTEM_LOG },
      expect: [
        { severity: 'error', message: /^Microsoft-Windows-Hyper-V-Compute event 11507, at 2024-05-20T07:00:05/ },
      ],
    },
  ],
});
