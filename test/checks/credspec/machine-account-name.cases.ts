import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [{ name: "the guide's example", ...guide(), expect: [checked('MachineAccountName is the bare gMSA name')] }],
  failure: [
    {
      name: 'with the trailing $',
      ...guide((s) => (s.DomainJoinConfig.MachineAccountName = 'webapp01$')),
      expect: [{ severity: 'error', message: /MachineAccountName "webapp01\$" contains \$/ }],
    },
  ],
});
