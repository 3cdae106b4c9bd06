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
  ],
});
