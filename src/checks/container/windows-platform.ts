import { usesCredentialSpec } from '../../credspec/container-spec.js';
import { defineCheck } from '../../engine/check.js';
import { none } from './_container.js';

export default defineCheck({
  meta: {
    id: 'container/windows-platform',
    title: 'The gMSA container is a Windows container',
    section: 'container',
    link: 'container',
    fault: 'linux-container',
    looksAt: 'The Platform of each container that names a credential spec.',
    why: 'Only Windows containers get a gMSA identity through CCG; a Linux (LCOW) container ignores the credential spec.',
    remediation: 'Run the workload in a Windows container image, or use Kerberos keytabs in a Linux container.',
  },
  subject: 'container',
  needs: ['container.inspect'],
  run(facts) {
    const c = facts.get('container.inspect');
    if (!usesCredentialSpec(c)) return none(`${c.name} names no credential spec`);
    if (c.platform === 'linux') {
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `Container ${c.name} is a Linux (LCOW) container: it cannot use a gMSA credential spec.`,
          evidence: { platform: c.platform, image: c.image },
        },
      ];
    }
    return [
      { severity: 'pass', subject: c.name, message: `Container ${c.name} is a ${c.platform ?? 'Windows'} container.` },
    ];
  },
});
