import { cases } from '../_harness.js';
import { pastedObservations } from '../_paste.js';

/**
 * Failures that only look like gMSA failures, from the threads they were pasted in (test/fixtures/evidence/). The
 * check reports only the look-alikes a paste holds: it has no finding of its own for a paste that holds none.
 */
export default cases({
  success: [
    {
      name: 'a gMSA failure with no look-alike in the paste (kubectl: no GMSACredentialSpec kind, windows-gmsa#79)',
      facts: {
        'paste.observations': pastedObservations(
          'kubernetes-sigs-windows-gmsa-79__no-matches-for-kind-GMSACredentialSpec-v1.txt',
        ),
      },
      expect: [],
    },
  ],
  failure: [
    {
      name: 'attach namespace failed on AKS: the image does not suit the node (Azure/AKS#3627), or HNS',
      facts: {
        'paste.observations': pastedObservations('Azure-AKS-3627__containerd-task-attach-namespace-failed.txt'),
      },
      expect: [
        {
          severity: 'error',
          subject: 'image-host-mismatch',
          message:
            /^Not a gMSA failure: The container image's Windows version does not suit the host .* It can also be: hcn networking\.$/,
        },
      ],
    },
    {
      name: 'hcsshim PrepareLayer 0xc0370112: an ltsc2025 image on a Windows 11 host (microsoft/hcsshim#2566)',
      facts: {
        'paste.observations': pastedObservations(
          'microsoft-hcsshim-2566__preparelayer-0xc0370112-ltsc2025-on-win11-25h2.txt',
        ),
      },
      expect: [
        {
          severity: 'error',
          subject: 'image-host-mismatch',
          message: /^Not a gMSA failure: The container image's Windows version does not suit the host [^]*version\.$/,
        },
      ],
    },
    {
      name: 'Install-ADServiceAccount in a remote session: ADServerDownException is the second hop, maybe (windows-powershell-docs#2427)',
      facts: {
        'paste.observations': pastedObservations(
          'MicrosoftDocs-windows-powershell-docs-2427__Install-ADServiceAccount-remote-ADServerDownException.txt',
        ),
      },
      expect: [
        {
          severity: 'warning',
          subject: 'remoting-second-hop',
          message:
            /^Not a gMSA failure, most likely: An AD cmdlet run in a PowerShell remote session cannot authenticate onward to the DC/,
        },
      ],
    },
    {
      name: 'ssh-agent: LookupAccountNameW fails with 1789, four times: the host’s own trust (PowerShell/Win32-OpenSSH#953)',
      facts: {
        'paste.observations': pastedObservations(
          'PowerShell-Win32-OpenSSH-953__ssh-agent-LookupAccountNameW-1789-quoted.txt',
        ),
      },
      expect: [
        {
          severity: 'warning',
          subject: 'host-domain-trust',
          message:
            /^Not a gMSA failure, most likely \(4 times in the paste\): This machine's own domain membership failed/,
        },
      ],
    },
  ],
});
