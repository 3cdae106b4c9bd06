import { cases } from '../_harness.js';
import { domain, webapp01, webapp01Spec } from '../_fixtures.js';

// The domain the guide's example describes.
const contoso = domain({ sid: 'S-1-5-21-702590844-1001920913-2680819671' });

export default cases({
  success: [
    {
      name: "the guide's example against its domain",
      facts: { 'credspec.documents': webapp01Spec(), 'ad.domain': contoso },
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [
        {
          severity: 'pass',
          message:
            /webapp01\.json matches contoso\.com \(S-1-5-21-702590844-1001920913-2680819671, 56d9b66c-d746-4f87-bd26-26760cfdca2e\) and names existing gMSAs/,
        },
      ],
    },
  ],
  failure: [
    {
      name: "a spec copied from another domain (the lab's), for a gMSA that does not exist there",
      facts: {
        'credspec.documents': webapp01Spec(),
        'ad.domain': domain({
          sid: 'S-1-5-21-3623811015-3361044348-30300820',
          guid: '7a3f6a41-6f2b-4d3e-9c1a-2b5e8f0c4d11',
        }),
      },
      subjects: { gmsa: { webapp01: { 'ad.gmsa': { name: 'webapp01', account: null } } } },
      expect: [
        {
          severity: 'error',
          message:
            "Sid S-1-5-21-702590844-1001920913-2680819671 is not the SID of contoso.com: the domain's SID is S-1-5-21-3623811015-3361044348-30300820",
        },
        {
          severity: 'error',
          message: /^Guid 56d9b66c-d746-4f87-bd26-26760cfdca2e is not the objectGUID of contoso\.com/,
        },
        { severity: 'error', message: 'MachineAccountName "webapp01": no account webapp01$ in contoso.com' },
        { severity: 'error', message: 'Name "webapp01": no account webapp01$ in contoso.com' },
        { severity: 'error', message: 'Name "webapp01": no account webapp01$ in contoso.com' },
      ],
    },
  ],
});
