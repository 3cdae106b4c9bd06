import { defineCheck } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { NltestStatus } from '../../protocol/parsers/nltest.js';
import { captureText, toolMissing } from '../../protocol/parsers/capture.js';
import { parseKlist } from '../../protocol/parsers/klist.js';
import type { KlistTicket } from '../../protocol/parsers/klist.js';
import { UAC } from '../../protocol/uac.js';
import { NO_IDENTITY, firstError, linuxSkip, nltestOf, none, statusLine } from './_container.js';

/** The gMSA's WORKSTATION_TRUST_ACCOUNT flag as AD holds it, when the run read the account the ticket names. */
function trustFlagSet(facts: FactReader<'ad.gmsa'>, client: string | undefined): boolean | undefined {
  const name = client?.replace(/@.*$/, '').replace(/\$$/, '').toLowerCase();
  const account = facts.each('ad.gmsa').find(({ subject }) => subject.id.toLowerCase() === name)?.value.account;
  return account ? (account.userAccountControl & UAC.WORKSTATION_TRUST_ACCOUNT) !== 0 : undefined;
}

/**
 * What to make of the failure, weighing the ticket: a TGT for the gMSA from the same container proves the identity
 * works, so 1787 (ERROR_NO_TRUST_SAM_ACCOUNT) is Netlogon failing to set up its own channel, not (only) the flag.
 */
function hintFor(status: NltestStatus | undefined, ticket: KlistTicket | undefined, flag: boolean | undefined): string {
  const tgt = ticket
    ? `klist get krbtgt obtained a TGT for ${ticket.client}${ticket.kdcCalled ? ` from ${ticket.kdcCalled}` : ''}`
    : '';
  if (status?.code === 1787 && ticket) {
    const flagText =
      flag === true
        ? ' Its userAccountControl has WORKSTATION_TRUST_ACCOUNT (0x1000), so the flag is not the cause.'
        : flag === false
          ? " AD shows its userAccountControl without WORKSTATION_TRUST_ACCOUNT (0x1000), which Netlogon's channel needs: see account/workstation-trust-flag."
          : ' If account/workstation-trust-flag passes for the gMSA, the flag is not the cause.';
    return ` But ${tgt}: the gMSA identity works and the DC knows the account; only Netlogon cannot set up its secure channel.${flagText} Look at what the channel needs beyond Kerberos: RPC to the DC (TCP 135 and 49152-65535) and SMB (445) open from the container, and no other container running with the same gMSA at the same time (microsoft/Windows-Containers#405).`;
  }
  if (status?.code === 1787)
    return " Check that the gMSA's userAccountControl has WORKSTATION_TRUST_ACCOUNT (0x1000): see account/workstation-trust-flag.";
  if (ticket)
    return ` ${tgt}, so the network works: the gMSA account is likely misconfigured (see the account checks).`;
  return '';
}

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
  uses: ['ad.gmsa'],
  run(facts) {
    const c = facts.get('container.inspect');
    const linux = linuxSkip(c);
    if (linux) return linux;
    const exec = facts.get('container.exec');
    // Without /sc_verify, /query's connection status says the same of the channel (a paste often has only it).
    const capture = exec.scVerify ?? exec.query;
    const result = nltestOf(capture);
    if (!capture || !result) return none(`nltest /sc_verify did not run inside ${c.name}`);
    const ran = /nltest(?:\.exe)?\s+\/(\w+)/i.exec(capture.command)?.[1]?.toLowerCase() ?? 'sc_verify';
    const evidence = {
      command: capture.command,
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
    const klist = exec.klist && !toolMissing(exec.klist) ? parseKlist(captureText(exec.klist)) : undefined;
    const ticket = klist?.retrieved
      ? (klist.tickets.find((t) => /^krbtgt\//i.test(t.server)) ??
        klist.tickets[0] ?? { index: 0, client: 'the gMSA', server: 'krbtgt' })
      : undefined;
    const hint = hintFor(status, ticket, trustFlagSet(facts, ticket?.client));
    return [
      {
        severity: 'error',
        subject: c.name,
        // With a ticket in hand, the status's usual reading (the flag) is what the hint weighs: it is not repeated.
        message: `Inside ${c.name}, nltest /${ran} answers ${status ? `${status.code} ${status.name}${status.meaning && !(ticket && status.code === 1787) ? `: ${status.meaning.replace(/\.$/, '')}` : ''}` : 'no status'}.${hint}`,
        evidence,
        // No identity at all (1722, 1786) is container/credspec-applied's finding; the channel only echoes it.
        ...(status && NO_IDENTITY.has(status.code) ? { echoes: 'container/credspec-applied' } : {}),
      },
    ];
  },
});
