import { defineCheck } from '../../engine/check.js';
import type { PastedObservationOf } from '../../facts/pasted.js';
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
    const byId = new Map<string, PastedObservationOf<'look-alike'>[]>();
    for (const o of observed(facts, 'look-alike')) byId.set(o.id, [...(byId.get(o.id) ?? []), o]);
    return [...byId.values()].map((all) => {
      const o = all[0]!;
      const certain = all.some((a) => a.certain);
      const others = o.or?.length ? ` It can also be: ${o.or.map((id) => id.replace(/-/g, ' ')).join(', or ')}.` : '';
      const times = all.length > 1 ? ` (${all.length} times in the paste)` : '';
      return {
        ...aboutObservation(o, {
          severity: certain ? 'error' : 'warning',
          subject: o.id,
          message: `Not a gMSA failure${certain ? '' : ', most likely'}${times}: ${o.what}${others}`,
        }),
        quote: all.flatMap((a) => a.quote).slice(0, 6),
      };
    });
  },
});
