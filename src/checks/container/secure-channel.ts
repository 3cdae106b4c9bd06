import { defineCheck } from '../../engine/check.js';
import { captureText, toolMissing } from '../../protocol/parsers/capture.js';
import { parseKlist } from '../../protocol/parsers/klist.js';
import { firstError, nltestOf, none, statusLine } from './_container.js';

export default defineCheck({
  meta: {
    id: 'container/secure-channel',
    title: 'nltest /sc_verify succeeds inside the container',
    section: 'container',
    link: 'container',
    fault: 'container-secure-channel',
    looksAt:
      'The status lines of `nltest /sc_verify:<domain>` run through docker exec (never its last line, which always says success).',
    why: 'NERR_Success means the gMSA is available and the container reaches the domain; anything else breaks name/SID lookups and NTLM.',
    remediation:
      'Follow the status: 1311 DNS/network, 1722/1786 no identity (credential spec), 1787 the gMSA lacks WORKSTATION_TRUST_ACCOUNT.',
  },
  subject: 'container',
  needs: ['container.inspect', 'container.exec'],
  run(facts) {
    const c = facts.get('container.inspect');
    const exec = facts.get('container.exec');
    const result = nltestOf(exec.scVerify);
    if (!exec.scVerify || !result) return none(`nltest /sc_verify did not run inside ${c.name}`);
    const evidence = {
      command: exec.scVerify.command,
      trustedDc: result.trustedDcName,
      statuses: result.statuses.map(statusLine),
    };
    if (result.ok)
      return [
        {
          severity: 'pass',
          subject: c.name,
          message: `Inside ${c.name}, the secure channel to ${result.trustedDcName ?? 'the DC'} verifies (NERR_Success).`,
          evidence,
        },
      ];
    const status = firstError(result);
    const tgt = exec.klist && !toolMissing(exec.klist) ? parseKlist(captureText(exec.klist)).retrieved : false;
    const hint =
      status?.code === 1787
        ? " Check that the gMSA's userAccountControl has WORKSTATION_TRUST_ACCOUNT (0x1000): see account/workstation-trust-flag."
        : tgt
          ? ' A TGT was obtained, so the network works: the gMSA account is likely misconfigured (see the account checks).'
          : '';
    return [
      {
        severity: 'error',
        subject: c.name,
        message: `Inside ${c.name}, nltest /sc_verify answers ${status ? `${status.code} ${status.name}${status.meaning ? `: ${status.meaning}` : ''}` : 'no status'}.${hint}`,
        evidence,
      },
    ];
  },
});
