import { cases } from '../_harness.js';
import { container, CONTAINER_ID, webapp01Spec } from '../_fixtures.js';

const on = (build: number, hostname?: string) => ({
  facts: { 'host.windows': { build, domainJoined: true, domain: 'contoso.com' }, 'credspec.documents': webapp01Spec() },
  subjects: {
    container: {
      [CONTAINER_ID]: {
        'container.inspect': container({ credspec: 'webapp01.json', ...(hostname ? { hostname } : {}) }),
      },
    },
  },
});

export default cases({
  success: [
    {
      name: 'Windows Server 2019: any hostname',
      ...on(17763),
      expect: [{ severity: 'pass', message: /build 17763 .* separates the container identity from its hostname/ }],
    },
    {
      name: '1803 with the hostname of the gMSA',
      ...on(17134, 'webapp01'),
      expect: [{ severity: 'pass', subject: 'shared', message: 'shared: hostname webapp01 equals the gMSA name.' }],
    },
  ],
  failure: [
    {
      name: '1803 with the hostname docker gave',
      ...on(17134),
      expect: [
        { severity: 'error', subject: 'shared', message: /hostname "1be91944c46e", not its gMSA name "webapp01"/ },
      ],
    },
  ],
});
