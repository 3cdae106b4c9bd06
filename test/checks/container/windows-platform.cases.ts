import { cases } from '../_harness.js';
import { container } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'a Windows container',
      ...one(),
      expect: [{ severity: 'pass', message: 'Container shared is a windows container.' }],
    },
  ],
  failure: [
    {
      name: 'a Linux (LCOW) container',
      ...one(container({ credspec: 'webapp01.json', platform: 'linux' })),
      expect: [{ severity: 'error', message: /is a Linux \(LCOW\) container: it cannot use a gMSA credential spec/ }],
    },
  ],
});
