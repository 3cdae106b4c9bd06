import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [{ name: "the guide's example", ...guide(), expect: [checked('Guid is a well-formed domain GUID')] }],
  failure: [
    {
      name: 'with braces',
      ...guide((s) => (s.DomainJoinConfig.Guid = '{56d9b66c-d746-4f87-bd26-26760cfdca2e}')),
      expect: [{ severity: 'warning', message: /has braces; New-CredentialSpec writes it without them/ }],
    },
    {
      name: 'not a GUID',
      ...guide((s) => (s.DomainJoinConfig.Guid = '56d9b66c-d746')),
      expect: [{ severity: 'error', message: /is not a GUID/ }],
    },
  ],
});
