import { cases } from '../_harness.js';
import { domain, gmsa, webapp01 } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'a gMSA, enabled',
      facts: { 'ad.domain': domain() },
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [
        {
          severity: 'pass',
          subject: 'webapp01$',
          message: 'webapp01$ exists in contoso.com, is a msDS-GroupManagedServiceAccount and is enabled',
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a misspelled name',
      facts: { 'ad.domain': domain() },
      subjects: { gmsa: { webap01: { 'ad.gmsa': { name: 'webap01', account: null }, 'ad.similarNames': [] } } },
      expect: [
        { severity: 'error', subject: 'webap01$', message: 'No account with sAMAccountName webap01$ in contoso.com' },
      ],
    },
    {
      name: "disabled (the lab's disabledapp01$)",
      facts: { 'ad.domain': domain() },
      subjects: { gmsa: { webapp01: webapp01(gmsa({ userAccountControl: 0x1002 })) } },
      expect: [{ severity: 'error', message: /is disabled \(userAccountControl 0x1002/ }],
    },
  ],
});
