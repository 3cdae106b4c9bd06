import { cases } from '../_harness.js';

const dir = 'C:\\ProgramData\\Docker\\CredentialSpecs';

export default cases({
  success: [
    {
      name: 'one spec in the folder',
      facts: { 'host.credentialSpecs': { dir, files: ['webapp01.json', 'notes.txt'] } },
      expect: [{ severity: 'pass', subject: dir, message: /holds 1 credential spec file\(s\): webapp01\.json/ }],
    },
  ],
  failure: [
    {
      name: 'an empty folder',
      facts: { 'host.credentialSpecs': { dir, files: [] } },
      expect: [{ severity: 'warning', subject: dir, message: /holds no credential spec/ }],
    },
  ],
});
