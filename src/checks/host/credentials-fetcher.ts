import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

export default defineCheck({
  meta: {
    id: 'host/credentials-fetcher',
    title: 'credentials-fetcher gets the gMSA’s tickets',
    section: 'host-non-domain-joined',
    link: 'host',
    fault: 'plugin-no-credentials',
    looksAt:
      'Pasted credentials-fetcher output (Amazon ECS and EKS Linux and Windows hosts): tickets and leases created or failing.',
    why: 'credentials-fetcher plays CCG’s part for Linux containers: without its ticket the container has no gMSA identity.',
    remediation:
      'Read its journal (journalctl -u credentials-fetcher) for the Kerberos error and check the account it uses to fetch the password.',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'credentials-fetcher').map((o) =>
      aboutObservation(o, {
        severity: o.outcome === 'failed' ? 'error' : 'pass',
        subject: o.account ?? 'credentials-fetcher',
        message:
          o.outcome === 'failed'
            ? `credentials-fetcher failed${o.account ? ` for ${o.account}` : ''}: ${o.message}`
            : `credentials-fetcher: ${o.outcome.replace('-', ' ')}${o.account ? ` for ${o.account}` : ''}.`,
        ...(o.outcome === 'failed'
          ? {
              remediation: {
                text: 'Read its journal for the Kerberos error.',
                commands: ['journalctl -u credentials-fetcher --since -1h'],
              },
            }
          : {}),
      }),
    );
  },
});
