import { cases } from '../_harness.js';
import { container, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'a TGT (xiaoping8385/TKGi-GMSA)',
      ...one(container({ credspec: 'webapp01.json' }), { klist: TRANSCRIPTS.klistOk() }),
      expect: [{ severity: 'pass', message: /a TGT was obtained for .* from WIN-5DF7THCD7UL\.gmsaping\.com/ }],
    },
  ],
  failure: [
    {
      name: 'access denied (microsoft/SDN#339)',
      ...one(container({ credspec: 'webapp01.json' }), { klist: TRANSCRIPTS.klistAccessDenied() }),
      expect: [
        {
          severity: 'error',
          // The status is decoded to what it means for a gMSA container, not only named.
          message:
            /klist get krbtgt failed with 0xc0000022 STATUS_ACCESS_DENIED: no TGT, so Kerberos does not work\. Access denied\. When the host retrieves the gMSA password/,
        },
      ],
    },
  ],
});
