import { cases } from '../_harness.js';
import { container, webapp01Spec } from '../_fixtures.js';
import { one } from './_container-cases.js';

const folder = { dir: 'C:\\ProgramData\\Docker\\CredentialSpecs', files: ['webapp01.json'] };

export default cases({
  success: [
    {
      name: 'the spec it names is there',
      facts: { 'host.credentialSpecs': folder, 'credspec.documents': webapp01Spec() },
      ...one(container({ credspec: 'webapp01.json' })),
      expect: [
        {
          severity: 'pass',
          subject: 'shared',
          message: "Container shared's spec webapp01.json exists and names gMSA webapp01.",
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a misspelled spec name',
      facts: { 'host.credentialSpecs': folder },
      ...one(container({ credspec: 'webapp2.json' })),
      expect: [
        { severity: 'error', message: /names webapp2\.json, which is not in C:\\ProgramData\\Docker\\CredentialSpecs/ },
      ],
    },
    {
      name: 'an absolute file:// path',
      ...one(container({ credspec: 'C:\\specs\\webapp01.json' })),
      expect: [{ severity: 'error', message: /file:\/\/ path cannot be absolute/ }],
    },
  ],
});
