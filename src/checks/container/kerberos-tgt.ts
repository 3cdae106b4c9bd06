import { defineCheck } from '../../engine/check.js';
import { captureText, toolMissing } from '../../protocol/parsers/capture.js';
import { parseKlist } from '../../protocol/parsers/klist.js';
import { linuxSkip, none } from './_container.js';

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
    const linux = linuxSkip(c);
    if (linux) return linux;
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
    const code = error ? ` with ${error.code}${error.name ? ` ${error.name}` : ''}` : '';
    // The status's gMSA meaning says where to look; without one, klist's own text and the usual causes.
    const why =
      error?.meaning ??
      `${error?.message ? `${error.message}. ` : ''}Usually DNS or the network to the DC, or no gMSA identity.`;
    return [
      {
        severity: 'error',
        subject: c.name,
        message: `Inside ${c.name}, klist get krbtgt failed${code}: no TGT, so Kerberos does not work. ${why}`,
        evidence: { command: capture.command, ...(error ? { error } : {}) },
      },
    ];
  },
});
