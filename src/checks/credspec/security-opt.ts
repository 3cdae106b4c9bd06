import { defineCheck } from '../../engine/check.js';
import { parseCredentialSpecOption } from '../../credspec/security-opt.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { SecurityOptFact } from '../../facts/credspec.js';

function checkSecurityOpts(options: readonly SecurityOptFact[]): FindingDraft[] {
  return options.map((fact): FindingDraft => {
    const verdict = parseCredentialSpecOption(fact.option);
    const subject = `--security-opt ${fact.option}`;
    if (!verdict.ok) return { severity: 'error', message: verdict.reason, subject };
    if (verdict.scheme !== 'file') {
      const what = {
        registry:
          'a registry value under HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Virtualization\\Containers\\CredentialSpecs',
        config: 'a swarm config (docker service only)',
        raw: 'inline JSON',
      }[verdict.scheme];
      return {
        severity: 'info',
        message: `credentialspec=${verdict.scheme}:// reads the spec from ${what}; it is not checked as a file.`,
        subject,
      };
    }
    if (fact.exists === false) {
      return {
        severity: 'error',
        fault: 'credspec-not-found',
        message: `${verdict.path} does not exist at ${fact.resolvedPath}: Docker refuses to start the container`,
        subject,
        evidence: { resolvedPath: fact.resolvedPath },
      };
    }
    if (fact.exists === undefined) {
      return {
        severity: 'info',
        message: `credentialspec=file://${verdict.path} is well-formed; pass --docker-root to check that the file exists.`,
        subject,
      };
    }
    return {
      severity: 'pass',
      message: `credentialspec=file://${verdict.path} resolves to ${fact.resolvedPath}, which exists.`,
      subject,
    };
  });
}

export default defineCheck({
  meta: {
    id: 'credspec/security-opt',
    title: 'The --security-opt credentialspec value is one Docker accepts',
    section: 'credspec',
    link: 'credspec',
    fault: 'security-opt-invalid',
    looksAt:
      'The credentialspec= security option as Docker parses it: file:// (relative to CredentialSpecs, never absolute), registry://, config://, raw://.',
    why: 'Docker refuses to create the container when the option is malformed or its file is missing.',
    remediation:
      'Use --security-opt "credentialspec=file://NAME.json" with NAME.json in <DockerRootDir>\\CredentialSpecs.',
  },
  needs: ['credspec.securityOpts'],
  run: (facts) => checkSecurityOpts(facts.get('credspec.securityOpts')),
});
