import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { accountLabel } from './_account.js';

export default defineCheck({
  meta: {
    id: 'account/duplicate-name',
    title: 'Only one account is named like the gMSA',
    section: 'account',
    link: 'account',
    looksAt:
      "Objects whose sAMAccountName starts with the gMSA name (the guide's Get-ADObject -Filter 'sAMAccountName -like \"NAME*\"').",
    why: 'A user "webapp01" beside the gMSA "webapp01$" makes name lookups by the DC or the application find the wrong account.',
    remediation: 'Rename or remove the other account, or choose a gMSA name no other account starts with.',
  },
  subject: 'gmsa',
  needs: ['ad.gmsa', 'ad.similarNames'],
  run(facts) {
    const { name, account } = facts.get('ad.gmsa');
    const others = facts.get('ad.similarNames').filter((o) => o.dn.toLowerCase() !== account?.dn.toLowerCase());
    const clashing = others.filter((o) => o.sAMAccountName?.toLowerCase() === name.toLowerCase());
    const evidence = {
      search: `(sAMAccountName=${name}*)`,
      found: others.map((o) => ({ dn: o.dn, sAMAccountName: o.sAMAccountName, objectClass: o.objectClass.at(-1) })),
    };
    // A warning, not an error: the guide says the clash *can* break lookups by name; CCG itself resolves NAME$.
    const findings: FindingDraft[] = clashing.map((o) => ({
      severity: 'warning',
      subject: o.dn,
      evidence,
      message: `${o.objectClass.at(-1) ?? 'object'} ${o.sAMAccountName} (${o.dn}) has the gMSA's name without the $: lookups of "${name}" can find it instead of ${name}$`,
      remediation: {
        text: 'Rename the other account (or remove it if unused).',
        commands: [
          `Get-ADObject -Filter 'sAMAccountName -like "${name}*"'`,
          `Rename-ADObject -Identity '${o.dn}' -NewName '${name}-old'`,
          `Set-ADObject -Identity '${o.dn}' -Replace @{ sAMAccountName = '${name}-old' }`,
        ],
      },
    }));
    if (findings.length) return findings;
    if (others.length) {
      return [
        {
          severity: 'info',
          subject: `${name}$`,
          evidence,
          message: `Other accounts start with "${name}" but none is named "${name}" exactly: ${others.map(accountLabel).join(', ')}`,
        },
      ];
    }
    return [{ severity: 'pass', subject: `${name}$`, evidence, message: `No other account is named like ${name}$` }];
  },
});
