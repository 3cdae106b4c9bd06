import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [
    {
      name: "the guide's example",
      ...guide(),
      expect: [checked('GroupManagedServiceAccounts has a DNS and a NetBIOS entry for the account')],
    },
  ],
  failure: [
    {
      name: 'no NetBIOS entry',
      ...guide(
        (s) =>
          (s.ActiveDirectoryConfig.GroupManagedServiceAccounts =
            s.ActiveDirectoryConfig.GroupManagedServiceAccounts.slice(0, 1)),
      ),
      expect: [{ severity: 'error', message: 'webapp01 has no entry with the NetBIOS scope CONTOSO' }],
    },
    {
      name: 'a template placeholder in every name',
      ...guide((s) => {
        s.DomainJoinConfig.MachineAccountName = '$gmsaName$';
        for (const entry of s.ActiveDirectoryConfig.GroupManagedServiceAccounts) entry.Name = '$gmsaName$';
      }),
      expect: [
        {
          severity: 'error',
          message:
            'ActiveDirectoryConfig.GroupManagedServiceAccounts[0].Name is "$gmsaName$", a template placeholder ($name$) that was never substituted',
        },
        {
          severity: 'error',
          message:
            'ActiveDirectoryConfig.GroupManagedServiceAccounts[1].Name is "$gmsaName$", a template placeholder ($name$) that was never substituted',
        },
      ],
    },
  ],
});
