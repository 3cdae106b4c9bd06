import { cases } from '../_harness.js';
import { D, descriptor, gmsa, host, webapp01 } from '../_fixtures.js';

const judge = (over: { account?: ReturnType<typeof gmsa>; host?: ReturnType<typeof host> } = {}) => ({
  facts: { 'ad.host': { name: 'containerhost01', host: over.host ?? host() } },
  subjects: { gmsa: { webapp01: webapp01(over.account ?? gmsa()) } },
});

export default cases({
  success: [
    {
      name: 'a host in the allowed group',
      ...judge(),
      expect: [
        {
          severity: 'pass',
          subject: 'containerhost01$',
          message:
            /may retrieve the password of webapp01\$: ACE #1 \(A;;0xf01ff;;;WebApp01Hosts\) allows WebApp01Hosts/,
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a host in no allowed group',
      ...judge({
        host: host({
          sAMAccountName: 'containerhost02$',
          objectSid: `${D}-1107`,
          tokenGroups: [`${D}-515`],
          memberOf: [],
        }),
      }),
      expect: [
        {
          severity: 'error',
          subject: 'containerhost02$',
          message: /containerhost02\$ may not retrieve the password of webapp01\$.*allowed: WebApp01Hosts/,
        },
      ],
    },
    {
      name: 'a deny ACE before the group allow',
      ...judge({ account: gmsa({ membershipDescriptorHex: descriptor('deny the host first, then allow its group') }) }),
      expect: [{ severity: 'error', message: /ACE #1 \(D;;0xf01ff;;;containerhost01\$\) denies containerhost01\$/ }],
    },
  ],
});
