import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [{ name: "the guide's example", ...guide(), expect: [checked('No unknown or misspelled keys')] }],
  failure: [
    {
      name: 'a key in the wrong case',
      ...guide((s) => {
        s.DomainJoinConfig.machineAccountName = s.DomainJoinConfig.MachineAccountName;
        delete s.DomainJoinConfig.MachineAccountName;
      }),
      expect: [{ severity: 'warning', message: 'unknown key machineAccountName: did you mean MachineAccountName?' }],
    },
  ],
});
