import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

/** What the status of the channel says, in a container that uses a gMSA (and on a host, for its own account). */
const READING: Record<string, string> = {
  STATUS_NO_LOGON_SERVERS:
    "No DC accepted the session. In a container with a gMSA: on Windows Server 2016 to 1803 the container's hostname must be the gMSA's name; several containers running with the same gMSA cancel each other's channel; RPC to the DC (TCP 135, 49152-65535) may be blocked.",
  STATUS_ACCESS_DENIED:
    "The DC refused the session: the account's password is out of sync with AD (on a host, its own computer account: Test-ComputerSecureChannel -Repair; in a container, another container with the same gMSA may have taken the channel).",
  STATUS_NO_TRUST_SAM_ACCOUNT:
    "The DC has no trust account for the name presented: for a gMSA, its userAccountControl must have WORKSTATION_TRUST_ACCOUNT (0x1000), and the container's hostname must be the gMSA's name on older builds.",
  default: 'The session to the DC failed: read the lines around it for the DC and the status.',
};

export default defineCheck({
  meta: {
    id: 'container/netlogon-log',
    title: "Netlogon's log shows a secure channel to a DC",
    section: 'container',
    link: 'container',
    fault: 'container-secure-channel',
    looksAt:
      'Pasted lines of C:\\Windows\\debug\\netlogon.log (inside the container, with `nltest /dbflag:0x2080ffff`): connection status set to a failure (c000005e STATUS_NO_LOGON_SERVERS), session setup failures.',
    why: 'Netlogon logs why its secure channel to the DC failed even when Kerberos works: no DC answered its discovery, or the DC refused the session.',
    remediation:
      'Reset the channel (nltest /sc_reset:DOMAIN) and look at what the log names: DC discovery (DNS, UDP 389), RPC to the DC (TCP 135, 49152-65535), the container hostname.',
  },
  needs: ['paste.observations'],
  run(facts) {
    const lines = observed(facts, 'netlogon-log');
    const failing = lines.filter(
      (o) =>
        o.codes.length > 0 &&
        (o.event === 'connection-status' || o.event === 'session-setup-failed' || o.event === 'error'),
    );
    const first = failing[0];
    if (!first) {
      const found = lines.find((o) => o.event === 'dc-found');
      return found
        ? [
            aboutObservation(found, {
              severity: 'pass',
              message: `netlogon.log shows a DC found${found.dc ? `: ${found.dc}` : ''}.`,
            }),
          ]
        : [];
    }
    const domain = first.domain ?? '<domain>';
    const found = lines.find((o) => o.event === 'dc-found' && o.dc);
    const status = first.status ?? first.codes[0] ?? 'a failure';
    const what =
      first.event === 'session-setup-failed' ? 'its session setup failed with' : 'it set its connection status to';
    return [
      aboutObservation(first, {
        severity: 'error',
        subject: first.domain ? `domain ${first.domain}` : 'netlogon.log',
        message: `Netlogon has no secure channel${first.domain ? ` to ${first.domain}` : ''}: ${what} ${status}${failing.length > 1 ? ` (${failing.length} such lines)` : ''}${found ? `, although discovery found DC ${found.dc}` : ''}. ${READING[status] ?? READING.default}`,
        remediation: {
          text: 'Reset the channel and read the log again.',
          commands: [
            `nltest /sc_reset:${domain}`,
            `nltest /sc_verify:${domain}`,
            'type C:\\Windows\\debug\\netlogon.log',
          ],
        },
      }),
    ];
  },
});
