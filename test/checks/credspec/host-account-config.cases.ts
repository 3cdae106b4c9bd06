import { cases } from '../_harness.js';
import { checked, guideCcg } from './_specs.js';

export default cases({
  success: [
    {
      name: "the guide's non-domain-joined example",
      ...guideCcg(),
      expect: [checked('HostAccountConfig is complete (non-domain-joined hosts)')],
    },
  ],
  failure: [
    {
      name: 'PortableCcgVersion as a number',
      ...guideCcg((s) => (s.ActiveDirectoryConfig.HostAccountConfig.PortableCcgVersion = 1)),
      expect: [{ severity: 'warning', message: 'PortableCcgVersion is the number 1; write the string "1"' }],
    },
  ],
});
