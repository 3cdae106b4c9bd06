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
      expect: [
        {
          severity: 'error',
          message: /is a Linux container \(Platform: linux, LCOW\): a Linux container can never use a gMSA/,
        },
      ],
    },
    {
      name: 'a Linux container pointed at without a credential spec: said all the same',
      ...one(container({ platform: 'linux' })),
      expect: [
        {
          severity: 'error',
          message: /is a Linux container \(Platform: linux, LCOW\): a Linux container can never use a gMSA/,
        },
      ],
    },
  ],
});
