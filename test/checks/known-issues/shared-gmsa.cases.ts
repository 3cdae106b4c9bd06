import { cases } from '../_harness.js';
import { container, webapp01Spec } from '../_fixtures.js';

const one = (build: number) => {
  const web1 = container({ name: 'web1', credspec: 'webapp01.json' });
  return {
    facts: {
      'host.windows': { build, domainJoined: true, domain: 'contoso.com' },
      'credspec.documents': webapp01Spec(),
    },
    subjects: { container: { [web1.id]: { 'container.inspect': web1 } } },
  };
};

const two = (build: number) => {
  const [web1, web2] = [
    container({ name: 'web1', credspec: 'webapp01.json' }),
    container({ name: 'web2', credspec: 'webapp01.json' }),
  ];
  return {
    facts: {
      'host.windows': { build, domainJoined: true, domain: 'contoso.com' },
      'credspec.documents': webapp01Spec(),
    },
    subjects: { container: { [web1.id]: { 'container.inspect': web1 }, [web2.id]: { 'container.inspect': web2 } } },
  };
};

export default cases({
  success: [
    {
      name: 'one container per gMSA, Windows Server 2016',
      ...one(14393),
      expect: [{ severity: 'pass', message: /Each gMSA is used by at most one running container/ }],
    },
  ],
  failure: [
    {
      name: 'two containers, one gMSA, Windows Server 2016',
      ...two(14393),
      expect: [
        {
          severity: 'error',
          subject: 'webapp01',
          message: /gMSA webapp01 is used by 2 running containers at once: web1, web2/,
        },
      ],
    },
    {
      // microsoft/Windows-Containers#405: the race is gone, the lost secure channels are not.
      name: 'two containers, one gMSA, Windows Server 2019',
      ...two(17763),
      expect: [
        {
          severity: 'warning',
          subject: 'webapp01',
          message: /used by 2 running containers at once: web1, web2\. .*still lose their secure channel .*issues\/405/,
        },
      ],
    },
  ],
});
