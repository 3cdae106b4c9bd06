import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/**
 * AD objects as Get-ADComputer, Get-ADDomain and Get-ADServiceAccount print them, from a gMSA lab's operation log
 * and the cmdlet's documentation thread (test/fixtures/evidence/). No public paste of a disabled gMSA was found: the
 * disabled one is that thread's output with Enabled False (evidence-samples/PROVENANCE.md, composed).
 */
export default cases({
  success: [
    {
      name: 'Get-ADComputer: the container host, enabled (xiaoping8385/TKGi-GMSA)',
      facts: { 'paste.observations': pastedObservations('xiaoping8385-TKGi-GMSA__operation-log__Get-ADComputer.txt') },
      expect: [
        {
          severity: 'pass',
          subject: 'WIN-8E8KH04F8SV',
          link: 'account',
          message: 'Get-ADComputer shows computer WIN-8E8KH04F8SV, enabled.',
        },
      ],
    },
    {
      name: 'Get-ADDomain: gmsaping.com (xiaoping8385/TKGi-GMSA)',
      facts: { 'paste.observations': pastedObservations('xiaoping8385-TKGi-GMSA__operation-log__Get-ADDomain.txt') },
      expect: [{ severity: 'pass', subject: 'gmsaping', message: 'AD shows domain gmsaping.' }],
    },
    {
      name: 'Get-ADServiceAccount -Filter on HostComputers: gmsa-Test01, enabled (windows-powershell-docs#2259)',
      facts: {
        'paste.observations': pastedObservations(
          'MicrosoftDocs-windows-powershell-docs-2259__Get-ADServiceAccount-HostComputers.txt',
        ),
      },
      expect: [{ severity: 'pass', message: /^Get-ADServiceAccount shows .*, enabled\.$/ }],
    },
  ],
  failure: [
    {
      name: 'Get-ADServiceAccount: gmsa-Test01 disabled (composed from windows-powershell-docs#2259)',
      facts: {
        'paste.observations': pastedObservations('evidence-samples/composed__get-adserviceaccount-disabled.txt'),
      },
      expect: [
        {
          severity: 'error',
          subject: 'gmsa-Test01',
          fault: 'account-disabled',
          message: 'gmsa-Test01 is disabled (Enabled False): the KDC refuses it every ticket.',
        },
      ],
    },
  ],
});
