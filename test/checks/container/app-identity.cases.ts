import { cases } from '../_harness.js';
import { container, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: "the image's default user",
      ...one(container({ credspec: 'webapp01.json' }), { whoami: TRANSCRIPTS.whoami() }),
      expect: [
        {
          severity: 'info',
          message: /runs as the image's default user.*whoami shows user manager\\containeradministrator/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a plain user',
      ...one(container({ credspec: 'webapp01.json', user: 'ContainerUser' })),
      expect: [
        {
          severity: 'warning',
          message: /runs its process as ContainerUser: only Local System and Network Service use the gMSA identity/,
        },
      ],
    },
  ],
});
