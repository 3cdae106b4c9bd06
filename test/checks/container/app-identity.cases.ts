import { cases } from '../_harness.js';
import { container, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'no Config.User: the image decides',
      ...one(container({ credspec: 'webapp01.json' }), { whoami: TRANSCRIPTS.whoami() }),
      expect: [
        {
          severity: 'info',
          message:
            /sets no user \(Config\.User is empty\), so its process runs as the image's default user.*whoami shows user manager\\containeradministrator/,
        },
      ],
    },
    {
      name: 'Config.User is NETWORK SERVICE: read, not taken for the default',
      ...one(container({ credspec: 'webapp01.json', user: 'NT AUTHORITY\\NETWORK SERVICE' })),
      expect: [
        {
          severity: 'pass',
          message:
            'Container shared runs its process as NT AUTHORITY\\NETWORK SERVICE (Config.User), which uses the gMSA on the network.',
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
          message:
            /runs its process as ContainerUser \(Config\.User\): only Local System and Network Service use the gMSA identity/,
        },
      ],
    },
    {
      name: 'a plain user on Windows Server 2016',
      facts: { 'host.windows': { build: 14393, domainJoined: true, domain: 'contoso.com' } },
      ...one(container({ credspec: 'webapp01.json', user: 'ContainerUser' })),
      expect: [{ severity: 'warning', message: /runs its process as ContainerUser/ }],
    },
  ],
});
