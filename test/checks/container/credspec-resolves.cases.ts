import { cases } from '../_harness.js';
import { container, criContainer, webapp01Spec } from '../_fixtures.js';
import { one } from './_container-cases.js';

const folder = { dir: 'C:\\ProgramData\\Docker\\CredentialSpecs', files: ['webapp01.json'] };

export default cases({
  success: [
    {
      name: 'containerd was given the contents through the CRI (crictl inspect on a node)',
      ...one(criContainer('iis')),
      expect: [
        {
          severity: 'pass',
          subject: 'web/webapp-7c9f6d8b5-x2kqp/iis',
          message:
            "Container web/webapp-7c9f6d8b5-x2kqp/iis was given its credential spec's contents through the CRI (gMSA webapp01).",
        },
      ],
    },
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
      name: 'containerd was given `{}`: the GMSACredentialSpec was pruned by its CRD (windows-gmsa#31)',
      ...one(criContainer('pruned')),
      expect: [
        {
          severity: 'error',
          subject: 'web/webapp-pruned-6f7d9c4b8-m8zrt/iis',
          message: /was given a credential spec that names no gMSA \(\{\}\).*pruned by a CRD/,
        },
      ],
    },
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
