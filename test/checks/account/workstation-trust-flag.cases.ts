import { cases } from '../_harness.js';
import { gmsa, webapp01 } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'WORKSTATION_TRUST_ACCOUNT set',
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [{ severity: 'pass', message: /has WORKSTATION_TRUST_ACCOUNT \(userAccountControl 0x1000/ }],
    },
  ],
  failure: [
    {
      name: "delegation set, the flag lost (the lab's delegapp01$)",
      subjects: { gmsa: { webapp01: webapp01(gmsa({ userAccountControl: 0x80200 })) } },
      expect: [
        {
          severity: 'error',
          message:
            /lacks WORKSTATION_TRUST_ACCOUNT \(userAccountControl 0x80200 \(NORMAL_ACCOUNT \| TRUSTED_FOR_DELEGATION\)\); TRUSTED_FOR_DELEGATION is set/,
        },
      ],
    },
  ],
});
