import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

export default defineCheck({
  meta: {
    id: 'account/ad-object',
    title: 'The AD objects the paste shows exist and are enabled',
    section: 'account',
    link: 'account',
    fault: 'account-disabled',
    looksAt:
      'Get-ADServiceAccount, Get-ADComputer and Get-ADDomain output pasted as Format-List: Enabled, PrincipalsAllowedToRetrieveManagedPassword, the domain’s names and SID.',
    why: 'A disabled gMSA gets no ticket (KDC_ERR_CLIENT_REVOKED); an empty PrincipalsAllowedToRetrieveManagedPassword lets no host retrieve the password.',
    remediation: 'Enable the account (Enable-ADAccount) and give the hosts’ group the right to retrieve the password.',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'ad-object').map((o) => {
      const name = o.name ?? 'the object';
      const kind = {
        domain: 'domain',
        'service-account': 'gMSA',
        computer: 'computer',
        user: 'user',
        unknown: 'object',
      }[o.objectType];
      if (o.enabled === false)
        return aboutObservation(o, {
          severity: 'error',
          subject: name,
          message: `${name} is disabled (Enabled False): the KDC refuses it every ticket.`,
          remediation: { text: 'Enable the account.', commands: [`Enable-ADAccount -Identity ${name}`] },
        });
      if (o.objectType === 'service-account' && o.principalsAllowedToRetrieveManagedPassword?.length === 0)
        return aboutObservation(o, {
          severity: 'error',
          fault: 'password-access-denied',
          link: 'host',
          subject: name,
          message: `${name} lets no principal retrieve its password (PrincipalsAllowedToRetrieveManagedPassword is empty): no container host can use it.`,
          remediation: {
            text: 'Give the container hosts’ group the right.',
            commands: [`Set-ADServiceAccount ${name} -PrincipalsAllowedToRetrieveManagedPassword <hosts-group>`],
          },
        });
      const allowed = o.principalsAllowedToRetrieveManagedPassword?.length
        ? `; ${o.principalsAllowedToRetrieveManagedPassword.length} principal(s) may retrieve its password`
        : '';
      return aboutObservation(o, {
        severity: 'pass',
        subject: name,
        message: `${o.cmdlet ?? 'AD'} shows ${kind} ${name}${o.enabled ? ', enabled' : ''}${allowed}.`,
      });
    });
  },
});
