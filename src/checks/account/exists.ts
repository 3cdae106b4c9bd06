import { defineCheck } from '../../engine/check.js';
import { UAC, describeUac } from '../../protocol/uac.js';
import { GMSA_CLASS, accountLabel, gmsaEvidence } from './_account.js';

export default defineCheck({
  meta: {
    id: 'account/exists',
    title: 'The gMSA exists, is a group managed service account and is enabled',
    section: 'account',
    link: 'account',
    fault: 'account-missing',
    looksAt: 'The object whose sAMAccountName is NAME$: its objectClass and userAccountControl (ACCOUNTDISABLE 0x2).',
    why: 'CCG logs the container on as this account: a missing, disabled or wrongly typed account makes every container logon fail.',
    remediation:
      'Create the gMSA (New-ADServiceAccount) or enable it (Enable-ADAccount), and name it in the credential spec without the $.',
  },
  subject: 'gmsa',
  needs: ['ad.gmsa'],
  uses: ['ad.domain', 'ad.similarNames', 'ad.host'],
  run(facts) {
    const { name, account } = facts.get('ad.gmsa');
    const domain = facts.optional('ad.domain')?.dnsName ?? 'the domain';
    if (!account) {
      const similar = (facts.optional('ad.similarNames') ?? []).map(accountLabel);
      return [
        {
          severity: 'error',
          subject: `${name}$`,
          message: `No account with sAMAccountName ${name}$ in ${domain}${similar.length ? `; similar names: ${similar.join(', ')}` : ''}`,
          evidence: { searched: `(sAMAccountName=${name}$)`, similar },
          remediation: {
            text: 'Create the gMSA, or fix the name in the credential spec / --gmsa (the SAM account name without the $).',
            commands: [
              `New-ADServiceAccount -Name ${name} -DnsHostName ${name}.${facts.optional('ad.domain')?.dnsName ?? 'DOMAIN'} -PrincipalsAllowedToRetrieveManagedPassword ${facts.optional('ad.host')?.host?.sAMAccountName ?? '<container hosts group>'}`,
            ],
          },
        },
      ];
    }
    const subject = accountLabel(account);
    const evidence = { ...gmsaEvidence(account), objectClass: account.objectClass };
    if (!account.objectClass.includes(GMSA_CLASS)) {
      const kind = account.objectClass.at(-1) ?? 'unknown';
      return [
        {
          severity: 'error',
          fault: 'account-not-gmsa',
          subject,
          evidence,
          message: `${subject} is a ${kind}, not a ${GMSA_CLASS}: CCG can only use a group managed service account`,
          remediation: { text: 'Create a gMSA with New-ADServiceAccount and point the credential spec at it.' },
        },
      ];
    }
    if (account.userAccountControl & UAC.ACCOUNTDISABLE) {
      return [
        {
          severity: 'error',
          fault: 'account-disabled',
          subject,
          evidence,
          message: `${subject} is disabled (userAccountControl ${describeUac(account.userAccountControl)})`,
          remediation: { text: 'Enable the account.', commands: [`Enable-ADAccount -Identity '${account.dn}'`] },
        },
      ];
    }
    return [
      {
        severity: 'pass',
        subject,
        evidence,
        message: `${subject} exists in ${domain}, is a ${GMSA_CLASS} and is enabled`,
      },
    ];
  },
});
