import { cases } from '../_harness.js';
import { specDocuments, DOMAIN_JOINED } from '../_fixtures.js';

const at = (file: string) => ({
  facts: { 'credspec.documents': specDocuments(DOMAIN_JOINED, file), 'docker.rootDir': 'C:\\ProgramData\\Docker' },
});

export default cases({
  success: [
    {
      name: 'in <DockerRootDir>\\CredentialSpecs',
      ...at('C:\\ProgramData\\Docker\\CredentialSpecs\\webapp01.json'),
      expect: [
        {
          severity: 'pass',
          message: '1 credential spec file(s) lie directly in C:\\ProgramData\\Docker\\CredentialSpecs.',
        },
      ],
    },
  ],
  failure: [
    {
      name: 'beside it',
      ...at('C:\\specs\\webapp01.json'),
      expect: [
        {
          severity: 'error',
          subject: 'C:\\specs\\webapp01.json',
          message:
            /is not directly in C:\\ProgramData\\Docker\\CredentialSpecs: Docker's file:\/\/ lookup will not find it/,
        },
      ],
    },
  ],
});
