import { usesCredentialSpec } from '../../credspec/container-spec.js';
import { defineCheck } from '../../engine/check.js';
import { isLinuxContainer, none, pastedSkip, containerText } from './_container.js';

export default defineCheck({
  meta: {
    id: 'container/windows-platform',
    title: 'The gMSA container is a Windows container',
    section: 'container',
    link: 'container',
    fault: 'linux-container',
    looksAt: 'The Platform of each container judged (one that names a credential spec, or one pointed at).',
    why: 'Only Windows containers get a gMSA identity through CCG; a Linux (LCOW) container ignores the credential spec, whatever it says.',
    remediation:
      'Run the workload in a Windows container image; a Linux workload gets Kerberos from a keytab, not from a gMSA credential spec.',
  },
  subject: 'container',
  needs: ['container.inspect'],
  run(facts) {
    const c = facts.get('container.inspect');
    const pasted = pastedSkip(c, `whether ${c.name} is a Windows container`);
    if (pasted) return pasted;
    if (isLinuxContainer(c)) {
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `${containerText(c)} is a Linux container (Platform: linux, LCOW): a Linux container can never use a gMSA, so nothing about its credential spec, user or domain matters. Only Windows containers get a gMSA identity.`,
          evidence: {
            platform: c.platform,
            image: c.image,
            ...(c.credentialSpecOption ? { securityOpt: c.credentialSpecOption } : {}),
          },
          remediation: {
            text: 'Run the workload in a Windows container image (Windows Server Core or Nano Server) with the credential spec; a Linux workload authenticates with a Kerberos keytab instead of a gMSA.',
          },
        },
      ];
    }
    if (!usesCredentialSpec(c)) return none(`${c.name} names no credential spec`);
    return [
      { severity: 'pass', subject: c.name, message: `${containerText(c)} is a ${c.platform ?? 'Windows'} container.` },
    ];
  },
});
