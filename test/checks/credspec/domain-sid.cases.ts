import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [{ name: "the guide's example", ...guide(), expect: [checked('Sid is the domain SID')] }],
  failure: [
    {
      name: "the gMSA's own SID pasted",
      ...guide((s) => (s.DomainJoinConfig.Sid = 'S-1-5-21-702590844-1001920913-2680819671-1105')),
      expect: [{ severity: 'error', message: /is an account SID \(relative ID 1105\), not a domain SID/ }],
    },
  ],
});
