import { cases } from '../_harness.js';
import { container, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'NERR_Success',
      ...one(container({ credspec: 'webapp01.json' }), { domain: 'contoso.com', scVerify: TRANSCRIPTS.scVerifyOk() }),
      expect: [{ severity: 'pass', message: /the secure channel to .* verifies \(NERR_Success\)/ }],
    },
  ],
  failure: [
    {
      name: 'ERROR_NO_LOGON_SERVERS, and no TGT either (microsoft/SDN#339)',
      ...one(container({ credspec: 'webapp01.json' }), {
        domain: 'k8s.lab',
        scVerify: TRANSCRIPTS.scVerifyNoLogonServers(),
        klist: TRANSCRIPTS.klistAccessDenied(),
      }),
      expect: [
        { severity: 'error', message: /^Inside shared, nltest \/sc_verify answers 1311 ERROR_NO_LOGON_SERVERS/ },
      ],
    },
  ],
});
