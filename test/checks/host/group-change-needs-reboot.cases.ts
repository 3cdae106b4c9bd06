import { cases } from '../_harness.js';
import { group, host, webapp01 } from '../_fixtures.js';

// The host last logged on at 06:00; its group changed at 05:00 (before) or at 07:00 (after).
const judge = (groupChangedAt: string) => ({
  facts: {
    'ad.host': { name: 'containerhost01', host: host() },
    'ad.hostGroups': [group({ whenChanged: groupChangedAt })],
  },
  subjects: { gmsa: { webapp01: webapp01() } },
});

export default cases({
  success: [
    {
      name: 'logged on after joining the group',
      ...judge('2026-11-26T05:00:00.000Z'),
      expect: [
        {
          severity: 'pass',
          message: /logged on 2026-11-26T06:00:00\.000Z, after its membership of WebApp01Hosts changed/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'the group changed after the last logon',
      ...judge('2026-11-26T07:00:00.000Z'),
      expect: [
        {
          severity: 'error',
          fault: 'host-ticket-stale',
          message:
            /last logged on .* before WebApp01Hosts last changed .* cannot retrieve the password of webapp01\$ until its tickets are renewed/,
        },
      ],
    },
  ],
});
