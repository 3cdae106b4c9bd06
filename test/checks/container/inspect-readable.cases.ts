import { cases } from '../_harness.js';

export default cases({
  success: [
    {
      name: 'every file read',
      facts: { 'docker.inspectProblems': [] },
      expect: [{ severity: 'pass', message: 'Every docker inspect file was read.' }],
    },
  ],
  failure: [
    {
      name: 'a credential spec given as an inspect file',
      facts: {
        'docker.inspectProblems': [
          {
            file: 'WebApp01.json',
            field: '[0].Id',
            reason: 'missing: this is not `docker inspect` output of a container',
          },
        ],
      },
      expect: [
        {
          severity: 'error',
          subject: 'WebApp01.json',
          message: 'WebApp01.json ([0].Id): missing: this is not `docker inspect` output of a container',
        },
      ],
    },
  ],
});
