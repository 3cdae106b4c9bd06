import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { gmsaSubject } from '../../facts/subjects.js';
import { captureText, toolMissing } from '../../protocol/parsers/capture.js';
import { parseTestAdServiceAccount } from '../../protocol/parsers/powershell.js';

export default defineCheck({
  meta: {
    id: 'host/test-adserviceaccount',
    title: 'Test-ADServiceAccount returns True on the host',
    section: 'host-domain-joined',
    link: 'host',
    fault: 'password-access-denied',
    looksAt:
      'The output of `Test-ADServiceAccount <gMSA>` run on the host, when the ActiveDirectory PowerShell module is installed.',
    why: 'False means this computer may not retrieve the gMSA password (or lacks a supported encryption type): every container using the gMSA fails.',
    remediation:
      'Add the host to a group in PrincipalsAllowedToRetrieveManagedPassword, then restart it (or purge its tickets) so its token carries the new group.',
  },
  needs: ['host.commands'],
  run(facts) {
    const tests = facts.get('host.commands').testAdServiceAccount ?? {};
    const entries = Object.entries(tests);
    if (entries.length === 0)
      return [
        {
          severity: 'skipped',
          message:
            'Skipped: Test-ADServiceAccount was not run (no gMSA named, or not a Windows host); host/can-retrieve-password evaluates the same over LDAP.',
        },
      ];
    return entries.map(([gmsa, capture]): FindingDraft => {
      const answer = parseTestAdServiceAccount(captureText(capture));
      if (answer.moduleMissing || toolMissing(capture)) {
        return {
          severity: 'skipped',
          subject: gmsa,
          about: gmsaSubject(gmsa),
          message: `Skipped: the ActiveDirectory PowerShell module is not installed; host/can-retrieve-password evaluates the same over LDAP.`,
          remediation: {
            text: "Install the module to run the guide's own test.",
            commands: ['Install-WindowsFeature RSAT-AD-PowerShell'],
          },
        };
      }
      if (answer.result === true)
        return {
          severity: 'pass',
          subject: gmsa,
          about: gmsaSubject(gmsa),
          message: `Test-ADServiceAccount ${gmsa} returned True: this host may retrieve the password.`,
        };
      if (answer.result === false) {
        return {
          severity: 'error',
          subject: gmsa,
          about: gmsaSubject(gmsa),
          message: `Test-ADServiceAccount ${gmsa} returned False: this host may not retrieve the gMSA password.${answer.warning ? ` (${answer.warning})` : ''}`,
          remediation: {
            text: 'Check which groups may retrieve the password and whether the host is in one; after adding it, restart the host.',
            commands: [
              'Get-ADComputer $env:computername | Get-ADPrincipalGroupMembership | Select-Object DistinguishedName',
              `(Get-ADServiceAccount ${gmsa} -Properties PrincipalsAllowedToRetrieveManagedPassword).PrincipalsAllowedToRetrieveManagedPassword`,
            ],
          },
        };
      }
      return {
        severity: 'error',
        fault: 'host-test-failed',
        subject: gmsa,
        about: gmsaSubject(gmsa),
        message: `Test-ADServiceAccount ${gmsa} did not answer True or False: ${answer.error ?? (capture.stderr.trim() || capture.stdout.trim().split('\n')[0] || 'no output')}`,
      };
    });
  },
});
