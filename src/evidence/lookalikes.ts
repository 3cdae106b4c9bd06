/**
 * Failures users paste into gMSA threads that are not gMSA failures, and what each is instead (the field notes'
 * list and the corpus's not-gmsa cases; tokens as in test/fixtures/evidence/CAUSES.md without the `not-gmsa:`).
 */
import type { LookAlike, LookAlikeId } from './types.js';

const WHAT: Readonly<Record<LookAlikeId, string>> = {
  'image-host-mismatch':
    "The container image's Windows version does not suit the host (image and host OS builds differ): use an image built for this host's Windows version.",
  'hcn-networking': 'Host networking (HNS/HCN, the CNI or network configuration) failed, before any gMSA was involved.',
  'directory-name-invalid':
    'HCS could not start the container process: the executable or working directory is missing from the image, or the host lacks updates.',
  'hcs-container-exited':
    'The container or its utility VM exited unexpectedly (image, isolation mode or resource limits); no gMSA step failed.',
  'hostprocess-token-path':
    'A HostProcess pod on containerd 1.6 reads the service account token from the mount under $CONTAINER_SANDBOX_MOUNT_POINT, not /var/run/secrets/...: a volume path problem, not a gMSA one.',
  'host-domain-trust':
    "This machine's own domain membership failed (its computer account or its channel to a DC), not a gMSA container's identity; it is a gMSA symptom only when printed inside a container that uses one.",
  'host-kerberos-etype':
    "A machine's own Kerberos keys and the DC's encryption-type policy do not meet (a keytab without AES keys after a DC update): not a gMSA.",
  'remoting-second-hop':
    'An AD cmdlet run in a PowerShell remote session cannot authenticate onward to the DC (Kerberos double hop): the DC and ADWS may well be up; run it on the host itself or use CredSSP/delegation.',
  'container-user-unsupported':
    'Windows Server 2016 containers cannot run as NT AUTHORITY\\SYSTEM or NETWORK SERVICE (--user): CreateProcess fails with 0x52e; 1709 and later allow it.',
};

export function lookAlike(id: LookAlikeId, certain: boolean, or?: LookAlikeId[]): LookAlike {
  return { id, what: WHAT[id], certain, ...(or && or.length > 0 ? { or } : {}) };
}
