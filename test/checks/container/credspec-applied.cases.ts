import { cases } from '../_harness.js';
import { container, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'a spec, and nltest /query succeeds inside',
      ...one(container({ credspec: 'webapp01.json' }), { query: TRANSCRIPTS.queryOk() }),
      expect: [
        {
          severity: 'pass',
          subject: 'shared',
          message: 'Container shared runs with credentialspec=file://webapp01.json.',
        },
      ],
    },
  ],
  failure: [
    {
      name: 'no credential spec',
      ...one(container()),
      expect: [{ severity: 'error', subject: 'shared', message: /was started without a credential spec/ }],
    },
    {
      name: 'a spec, but ERROR_NO_TRUST_LSA_SECRET inside (xiaoping8385/TKGi-GMSA)',
      ...one(container({ credspec: 'webapp01.json' }), { query: TRANSCRIPTS.queryNoTrustLsaSecret() }),
      expect: [
        {
          severity: 'error',
          message: /nltest \/query answers 1786 ERROR_NO_TRUST_LSA_SECRET: the gMSA identity was not applied/,
        },
      ],
    },
  ],
});
