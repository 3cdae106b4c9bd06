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
    {
      // Not "use gmsaName": the $...$ are a template's, the name was never filled in.
      name: 'a template placeholder',
      ...guide((s) => (s.DomainJoinConfig.MachineAccountName = '$gmsaName$')),
      expect: [
        {
          severity: 'error',
          message:
            'DomainJoinConfig.MachineAccountName is "$gmsaName$", a template placeholder ($name$) that was never substituted',
        },
      ],
    },
  ],
});
