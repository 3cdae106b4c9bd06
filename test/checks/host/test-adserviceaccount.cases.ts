import type { CommandCapture } from '../../../src/facts/common.js';
import { cases } from '../_harness.js';

// Test-ADServiceAccount prints True or False on a line of its own (its documented output; no public capture).
const answer = (stdout: string): CommandCapture => ({
  command: "Test-ADServiceAccount -Identity 'webapp01'",
  exitCode: 0,
  stdout,
  stderr: '',
  timedOut: false,
  notFound: false,
});

export default cases({
  success: [
    {
      name: 'True',
      facts: { 'host.commands': { testAdServiceAccount: { webapp01: answer('True\r\n') } } },
      expect: [
        {
          severity: 'pass',
          subject: 'webapp01',
          message: 'Test-ADServiceAccount webapp01 returned True: this host may retrieve the password.',
        },
      ],
    },
  ],
  failure: [
    {
      name: 'False',
      facts: { 'host.commands': { testAdServiceAccount: { webapp01: answer('False\r\n') } } },
      expect: [
        {
          severity: 'error',
          subject: 'webapp01',
          message: /returned False: this host may not retrieve the gMSA password/,
        },
      ],
    },
  ],
});
