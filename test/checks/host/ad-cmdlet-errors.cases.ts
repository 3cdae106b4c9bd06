import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/** Error records of the AD PowerShell cmdlets, as pasted in public threads (test/fixtures/evidence/). */
export default cases({
  success: [
    {
      name: 'Get-ADServiceAccount listed the gMSA (windows-powershell-docs#2259): no error record',
      facts: {
        'paste.observations': pastedObservations(
          'MicrosoftDocs-windows-powershell-docs-2259__Get-ADServiceAccount-HostComputers.txt',
        ),
      },
      expect: [],
    },
    {
      name: 'ADServerDownException in a remote session (windows-powershell-docs#2427): a look-alike (the second hop), not the DC',
      facts: {
        'paste.observations': pastedObservations(
          'MicrosoftDocs-windows-powershell-docs-2427__Install-ADServiceAccount-remote-ADServerDownException.txt',
        ),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'Install-ADServiceAccount: {Access Denied} (rapid7/metasploit-framework#20401)',
      facts: {
        'paste.observations': pastedObservations(
          'rapid7-metasploit-framework-20401__Install-ADServiceAccount-access-denied.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'Install-ADServiceAccount',
          fault: 'password-access-denied',
          link: 'host',
          message:
            "Install-ADServiceAccount was refused with access denied: the computer it ran on may not retrieve the gMSA's password (it is not in PrincipalsAllowedToRetrieveManagedPassword, or joined the group after its last reboot).",
        },
      ],
    },
    {
      name: 'Use-ServiceAccount (NetAddServiceAccount): {Access Denied} (beatcracker/Powershell-Misc#3)',
      facts: {
        'paste.observations': pastedObservations('beatcracker-Powershell-Misc-3__Use-ServiceAccount-access-denied.txt'),
      },
      expect: [
        {
          severity: 'error',
          subject: 'Use-ServiceAccount',
          fault: 'password-access-denied',
          link: 'host',
          message:
            /^Use-ServiceAccount was refused with access denied: the computer it ran on may not retrieve the gMSA's password/,
        },
      ],
    },
  ],
});
