import { cases } from '../_harness.js';
import { container, CONTAINER_ID, notFound, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'whoami and nltest ran',
      ...one(container({ credspec: 'webapp01.json' }), { whoami: TRANSCRIPTS.whoami(), query: TRANSCRIPTS.queryOk() }),
      expect: [{ severity: 'pass', message: 'Every diagnostic tool ran inside shared.' }],
    },
  ],
  failure: [
    {
      name: 'no PowerShell in the image (Nano Server)',
      ...one(container({ credspec: 'webapp01.json' }), {
        query: TRANSCRIPTS.queryOk(),
        dns: notFound(`docker exec ${CONTAINER_ID} powershell -NoProfile`),
      }),
      expect: [{ severity: 'warning', message: /Not in the image of shared: powershell/ }],
    },
  ],
});
