import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

export default defineCheck({
  meta: {
    id: 'known-issues/look-alike',
    title: 'The failure is a gMSA failure, not one that only looks like it',
    section: 'known-issues',
    link: null,
    looksAt:
      'Pasted errors that people post in gMSA threads but that are something else: image and host builds that differ, HNS/CNI networking, a missing executable, a utility VM that exited, a HostProcess token path, the machine’s own domain trust, a Linux keytab’s encryption types, the PowerShell remoting second hop, --user on Windows Server 2016.',
    why: 'Chasing the gMSA when the container never got as far as using it wastes the day: these failures have their own fixes.',
    remediation:
      'Follow what the finding says the failure is instead; the gMSA checks apply once the container starts.',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'look-alike').map((o) =>
      aboutObservation(o, {
        severity: o.certain ? 'error' : 'warning',
        subject: o.id,
        message: `Not a gMSA failure${o.certain ? '' : ' (unless it was printed inside a container that uses a gMSA)'}: ${o.what}${o.or?.length ? ` It can also be: ${o.or.join(', ')}.` : ''}`,
      }),
    );
  },
});
