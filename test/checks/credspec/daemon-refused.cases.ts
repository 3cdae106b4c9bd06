import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/** Docker refusing the credential spec a container names, as pasted in public threads (test/fixtures/evidence/). */
export default cases({
  success: [
    {
      name: 'docker run fails in CreateProcess as NETWORK SERVICE (Virtualization-Documentation#1033): the spec was read',
      facts: {
        'paste.observations': pastedObservations(
          'MicrosoftDocs-Virtualization-Documentation-1033__docker-run-user-network-service-0x52e-ws2016.txt',
        ),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'NAV container: the credential spec file could not be read (microsoft/nav-docker#103)',
      facts: {
        'paste.observations': pastedObservations(
          'microsoft-nav-docker-103__credential-spec-file-could-not-be-read.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'container f049055f4b3cdb3a59c23225bb16db76b8db8bfc8701b66fd8d7c882c2c6336e',
          fault: 'credspec-not-found',
          link: 'credspec',
          message:
            'Docker could not read C:\\ProgramData\\docker\\CredentialSpecs\\navwithsqlserver.json (The system cannot find the file specified): the spec is not where the option says (file:// names are relative to <DockerRootDir>\\CredentialSpecs).',
        },
      ],
    },
  ],
});
