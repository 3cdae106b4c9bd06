import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/**
 * netlogon.log pasted from inside gMSA containers (test/fixtures/evidence/). No paste shows a log with a working
 * channel; the success case keeps, of the same real log, the line where discovery found the DC.
 */
const HOSTNAME_NOT_GMSA = 'MicrosoftDocs-Virtualization-Documentation-592__netlogon-log-hostname-not-gmsa-name.txt';

export default cases({
  success: [
    {
      name: 'the discovery line of the WS2016 log: DC sandbox-dc found (Virtualization-Documentation#592, line 7 only)',
      facts: { 'paste.observations': pastedObservations(HOSTNAME_NOT_GMSA, [7]) },
      expect: [{ severity: 'pass', link: 'container', message: 'netlogon.log shows a DC found: sandbox-dc.' }],
    },
  ],
  failure: [
    {
      name: 'WS2016, hostname not the gMSA name: connection status c000005e though the DC was found (Virtualization-Documentation#592)',
      facts: { 'paste.observations': pastedObservations(HOSTNAME_NOT_GMSA) },
      expect: [
        {
          severity: 'error',
          subject: 'domain SANDBOX',
          fault: 'container-secure-channel',
          link: 'container',
          message:
            /^Netlogon has no secure channel to SANDBOX: it set its connection status to STATUS_NO_LOGON_SERVERS, although discovery found DC sandbox-dc\. .*the container's hostname must be the gMSA's name/,
        },
      ],
    },
    {
      name: 'the log quoted in a comment: c000005e, DC001 found, the connection moves to DC002 (plooploops/windows-containers-AD#7)',
      facts: {
        'paste.observations': pastedObservations(
          'plooploops-windows-containers-AD-7__netlogon-log-quoted-c000005e.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'domain DEVMDCOM',
          fault: 'container-secure-channel',
          message:
            /^Netlogon has no secure channel to DEVMDCOM: it set its connection status to STATUS_NO_LOGON_SERVERS, although discovery found DC DC001\./,
        },
      ],
    },
  ],
});
