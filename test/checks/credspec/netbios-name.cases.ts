import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [{ name: "the guide's example", ...guide(), expect: [checked('NetBiosName is a NetBIOS domain name')] }],
  failure: [
    {
      name: 'the DNS name as NetBiosName',
      ...guide((s) => (s.DomainJoinConfig.NetBiosName = 'contoso.com')),
      expect: [{ severity: 'error', message: /contains "\.": it looks like a DNS name, not the NetBIOS name/ }],
    },
  ],
});
