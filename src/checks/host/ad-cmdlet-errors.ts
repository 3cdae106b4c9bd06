import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { PastedObservationOf } from '../../facts/pasted.js';
import { aboutObservation, observed } from '../_paste.js';

type CmdletError = PastedObservationOf<'ad-cmdlet-error'>;

function finding(o: CmdletError, gmsa: string): FindingDraft {
  const cmdlet = o.cmdlet;
  switch (o.problem) {
    case 'access-denied':
      return aboutObservation(o, {
        severity: 'error',
        fault: 'password-access-denied',
        subject: cmdlet,
        message: `${cmdlet} was refused with access denied: the computer it ran on may not retrieve the gMSA's password (it is not in PrincipalsAllowedToRetrieveManagedPassword, or joined the group after its last reboot).`,
        remediation: {
          text: "Add the host (or a group it is in) to the gMSA's PrincipalsAllowedToRetrieveManagedPassword — Set-ADServiceAccount replaces the list, so give every principal — then reboot the host or purge its tickets.",
          commands: [
            `Get-ADServiceAccount ${gmsa} -Properties PrincipalsAllowedToRetrieveManagedPassword`,
            `gmsa-doctor check --gmsa ${gmsa} --host <container-host>`,
            'klist -li 0x3e7 purge',
          ],
        },
      });
    case 'server-down':
      return aboutObservation(o, {
        severity: 'error',
        link: 'dc',
        fault: 'dc-unreachable',
        subject: cmdlet,
        message: `${cmdlet} could not reach a domain controller running Active Directory Web Services (ADServerDownException): no DC answered on TCP 9389, or none was found.`,
        remediation: {
          text: 'Check that the host finds a DC and reaches it (ADWS on TCP 9389, LDAP, Kerberos).',
          commands: ['nltest /dsgetdc:<domain>', 'gmsa-doctor dc --domain <domain>'],
        },
      });
    case 'not-found':
      return aboutObservation(o, {
        severity: 'error',
        link: 'account',
        fault: 'account-missing',
        subject: cmdlet,
        message: `${cmdlet} found no such object: ${o.message}`,
        remediation: {
          text: 'Check the gMSA name (without $) and the domain it was created in.',
          commands: [`Get-ADServiceAccount -Filter "Name -like '${gmsa}*'"`],
        },
      });
    default:
      return aboutObservation(o, {
        severity: 'warning',
        subject: cmdlet,
        message: `${cmdlet} failed${o.message ? `: ${o.message}` : ' (the paste shows no message, only the record’s details)'}`,
      });
  }
}

export default defineCheck({
  meta: {
    id: 'host/ad-cmdlet-errors',
    title: 'The AD PowerShell cmdlets run on the host without error',
    section: 'host-domain-joined',
    link: 'host',
    fault: 'host-test-failed',
    looksAt:
      'Pasted error records of the ActiveDirectory module (Install-ADServiceAccount, Test-ADServiceAccount, Get-ADServiceAccount): {Access Denied}, ADServerDownException, ADIdentityNotFoundException.',
    why: 'These are the guide’s first steps on the host; their errors say which link fails: the host’s permission to retrieve the password, the way to a DC, or the account itself.',
    remediation: 'Fix what the error names; `gmsa-doctor check --gmsa NAME --host HOST` checks the same from anywhere.',
  },
  needs: ['paste.observations'],
  run(facts) {
    const gmsa =
      observed(facts, 'ad-object')
        .find((o) => o.objectType === 'service-account')
        ?.name?.replace(/\$$/, '') ?? '<gmsa>';
    return observed(facts, 'ad-cmdlet-error').map((o) => finding(o, gmsa));
  },
});
