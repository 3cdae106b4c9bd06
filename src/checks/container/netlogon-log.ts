import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

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
    return [
      aboutObservation(first, {
        severity: 'error',
        subject: first.domain ? `domain ${first.domain}` : 'netlogon.log',
        message: `Netlogon has no secure channel${first.domain ? ` to ${first.domain}` : ''}: it set its connection status to ${first.status ?? first.codes[0]}${failing.length > 1 ? ` (${failing.length} such lines)` : ''}${found ? `, although discovery found DC ${found.dc}` : ''}. The container's gMSA logon to the DC fails there: a mismatched hostname (Windows Server 2016-1803 need the container hostname to be the gMSA name), another container using the same gMSA, or RPC to the DC blocked.`,
        remediation: {
          text: 'Reset the channel and read the log again; give the container the gMSA name as its hostname on older builds.',
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
