import { cases } from '../_harness.js';
import { CCG_LOG, ISSUES_LOG, SYSTEM_LOG } from './_logs.js';

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
    {
      name: '11507 whose message carries the status (microsoft/Windows-Containers#221)',
      facts: { 'events.log': ISSUES_LOG },
      expect: [
        {
          severity: 'error',
          message:
            /event 11507, at 2022-05-04T17:36:26.*Error: Failed to setup the external credentials .*\(0xC0020017\) \[0xC0020017 RPC_NT_SERVER_UNAVAILABLE: An RPC server could not be reached\./,
        },
      ],
    },
  ],
});
