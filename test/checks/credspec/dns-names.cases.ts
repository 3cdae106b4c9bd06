import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [
    {
      name: "the guide's example",
      ...guide(),
      expect: [checked('DnsTreeName and DnsName are the forest and domain FQDNs')],
    },
  ],
  failure: [
    {
      name: 'the NetBIOS name as DnsName',
      ...guide((s) => (s.DomainJoinConfig.DnsName = 'CONTOSO')),
      expect: [{ severity: 'error', message: '"CONTOSO" is not a fully qualified DNS name (a NetBIOS name?)' }],
    },
  ],
});
