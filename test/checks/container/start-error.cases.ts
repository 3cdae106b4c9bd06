import { cases } from '../_harness.js';
import { container } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'started',
      ...one(),
      expect: [{ severity: 'pass', subject: 'shared', message: 'Container shared reports no start error.' }],
    },
  ],
  failure: [
    {
      name: 'an HCS error with a winapi error number',
      ...one(
        container({
          credspec: 'webapp01.json',
          running: false,
          stateError: 'hcsshim::System::Start: failure in a Windows system call: winapi error #3221356567',
        }),
      ),
      expect: [{ severity: 'error', message: /failed to start: .*\[0xC0020017 RPC_NT_SERVER_UNAVAILABLE/ }],
    },
  ],
});
