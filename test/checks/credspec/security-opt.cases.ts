import { cases } from '../_harness.js';

const resolvedPath = 'C:\\ProgramData\\Docker\\CredentialSpecs\\webapp01.json';

export default cases({
  success: [
    {
      name: 'a file that exists',
      facts: {
        'credspec.securityOpts': [{ option: 'credentialspec=file://webapp01.json', resolvedPath, exists: true }],
      },
      expect: [
        { severity: 'pass', message: `credentialspec=file://webapp01.json resolves to ${resolvedPath}, which exists.` },
      ],
    },
  ],
  failure: [
    {
      name: 'a file that does not',
      facts: {
        'credspec.securityOpts': [{ option: 'credentialspec=file://webapp01.json', resolvedPath, exists: false }],
      },
      expect: [{ severity: 'error', message: /does not exist at .*: Docker refuses to start the container/ }],
    },
    {
      name: 'a colon instead of =',
      facts: { 'credspec.securityOpts': [{ option: 'credentialspec:file://webapp01.json' }] },
      expect: [{ severity: 'error', message: /Docker splits security options on "=", not ":"/ }],
    },
  ],
});
