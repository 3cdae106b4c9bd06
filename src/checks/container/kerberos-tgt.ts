import { defineCheck } from '../../engine/check.js';
import { captureText, toolMissing } from '../../protocol/parsers/capture.js';
import { parseKlist } from '../../protocol/parsers/klist.js';
import { none } from './_container.js';

export default defineCheck({
  meta: {
    id: 'container/kerberos-tgt',
    title: 'klist get krbtgt obtains a TGT inside the container',
    section: 'container',
    link: 'container',
    fault: 'container-no-ticket',
    looksAt:
      "The output of `klist get krbtgt` run through docker exec: the client, the KDC called and the ticket's encryption type, or the error code.",
    why: 'Without a TGT the gMSA cannot authenticate with Kerberos: usually DNS or connectivity to the DC.',
    remediation: "Make sure the container resolves a DC by the domain's DNS name and that the DC is routable from it.",
  },
  subject: 'container',
  needs: ['container.inspect', 'container.exec'],
  run(facts) {
    const c = facts.get('container.inspect');
    const capture = facts.get('container.exec').klist;
    if (!capture || toolMissing(capture)) return none(`klist did not run inside ${c.name}`);
    const result = parseKlist(captureText(capture));
    const ticket = result.tickets.find((t) => /^krbtgt\//i.test(t.server)) ?? result.tickets[0];
    if (result.retrieved) {
      return [
        {
          severity: 'pass',
          subject: c.name,
          message: `Inside ${c.name}, a TGT was obtained for ${ticket?.client ?? 'the gMSA'} from ${ticket?.kdcCalled ?? 'the KDC'} (${ticket?.encryptionType ?? 'unknown enctype'}).`,
          evidence: {
            client: ticket?.client,
            server: ticket?.server,
            kdcCalled: ticket?.kdcCalled,
            encryptionType: ticket?.encryptionType,
          },
        },
      ];
    }
    const error = result.error;
    return [
      {
        severity: 'error',
        subject: c.name,
        message: `Inside ${c.name}, klist get krbtgt failed${error ? ` with ${error.code}${error.name ? ` ${error.name}` : ''}${error.message ? ` ${error.message}` : ''}` : ''}: no TGT, so Kerberos does not work (usually DNS or network to the DC, or no gMSA identity).`,
        evidence: { command: capture.command, ...(error ? { error } : {}) },
      },
    ];
  },
});
