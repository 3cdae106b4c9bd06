import { cases } from '../_harness.js';
import { container, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'the secure channel verifies',
      ...one(container({ credspec: 'webapp01.json' }), { domain: 'contoso.com', scVerify: TRANSCRIPTS.scVerifyOk() }),
      expect: [{ severity: 'pass', message: 'Inside shared, contoso.com resolves and a DC answers.' }],
    },
  ],
  failure: [
    {
      name: 'ERROR_NO_LOGON_SERVERS (microsoft/SDN#339)',
      ...one(container({ credspec: 'webapp01.json' }), {
        domain: 'k8s.lab',
        scVerify: TRANSCRIPTS.scVerifyNoLogonServers(),
      }),
      expect: [{ severity: 'error', message: /nltest \/sc_verify:k8s\.lab answers 1311 ERROR_NO_LOGON_SERVERS/ }],
    },
  ],
});
