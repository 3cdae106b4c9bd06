import { defineCheck } from '../../engine/check.js';
import { UAC, describeUac, uacHex, withWorkstationTrust } from '../../protocol/uac.js';
import { accountLabel, foundGmsa, notFound } from './_account.js';

export default defineCheck({
  meta: {
    id: 'account/workstation-trust-flag',
    title: 'userAccountControl has WORKSTATION_TRUST_ACCOUNT (0x1000)',
    section: 'account',
    link: 'account',
    fault: 'account-flag-missing',
    looksAt: "The gMSA's userAccountControl: WORKSTATION_TRUST_ACCOUNT 0x1000, and TRUSTED_FOR_DELEGATION 0x80000.",
    why: 'NETLOGON in the container needs the flag to talk to the DC (name/SID lookups); turning on unconstrained delegation often drops it.',
    remediation: 'Set userAccountControl to (uac -band 0x7FFFC5FF) -bor 0x1000, as the guide shows.',
  },
  subject: 'gmsa',
  needs: ['ad.gmsa'],
  run(facts) {
    const account = foundGmsa(facts);
    if (!account) return [notFound(facts)];
    const uac = account.userAccountControl;
    const subject = accountLabel(account);
    const delegation = (uac & UAC.TRUSTED_FOR_DELEGATION) !== 0;
    const evidence = { userAccountControl: describeUac(uac), trustedForDelegation: delegation };
    if (uac & UAC.WORKSTATION_TRUST_ACCOUNT) {
      return [
        {
          severity: 'pass',
          subject,
          evidence,
          message: `${subject} has WORKSTATION_TRUST_ACCOUNT (userAccountControl ${describeUac(uac)})`,
        },
      ];
    }
    const fixed = withWorkstationTrust(uac);
    return [
      {
        severity: 'error',
        subject,
        evidence: { ...evidence, fixedValue: uacHex(fixed) },
        message: `${subject} lacks WORKSTATION_TRUST_ACCOUNT (userAccountControl ${describeUac(uac)})${delegation ? '; TRUSTED_FOR_DELEGATION is set, the usual cause' : ''}`,
        remediation: {
          text: `Set userAccountControl to ${fixed} (${uacHex(fixed)}): (${uac} -band 0x7FFFC5FF) -bor 0x1000 keeps the other bits${delegation ? ', delegation included' : ''}.`,
          commands: [`Set-ADObject -Identity '${account.dn}' -Replace @{ userAccountControl = ${fixed} }`],
        },
      },
    ];
  },
});
