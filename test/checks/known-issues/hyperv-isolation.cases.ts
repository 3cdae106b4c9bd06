import { cases } from '../_harness.js';
import { container, CONTAINER_ID, webapp01Spec } from '../_fixtures.js';

const on = (isolation: string) => ({
  facts: {
    'host.windows': { build: 16299, domainJoined: true, domain: 'contoso.com' },
    'credspec.documents': webapp01Spec(),
  },
  subjects: {
    container: { [CONTAINER_ID]: { 'container.inspect': container({ credspec: 'webapp01.json', isolation }) } },
  },
});

export default cases({
  success: [
    {
      name: 'process isolation on 1709',
      ...on('process'),
      expect: [{ severity: 'pass', message: /No gMSA container uses Hyper-V isolation on build 16299/ }],
    },
  ],
  failure: [
    {
      name: 'Hyper-V isolation on 1709',
      ...on('hyperv'),
      expect: [
        { severity: 'error', subject: 'shared', message: /Container shared uses Hyper-V isolation with a gMSA/ },
      ],
    },
  ],
});
