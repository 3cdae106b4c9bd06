import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

export default defineCheck({
  meta: {
    id: 'credspec/daemon-refused',
    title: 'Docker can read the credential spec the container names',
    section: 'credspec',
    link: 'credspec',
    fault: 'credspec-refused',
    looksAt:
      'Pasted Docker errors about the credentialspec option: `credential spec for container X could not be read from file "...": The system cannot find the file specified.`, registry values that do not exist, invalid --security-opt values.',
    why: 'Docker reads the spec before it creates the container: a file outside <DockerRootDir>\\CredentialSpecs, a missing registry value or a mistyped option stops it there.',
    remediation:
      'Put the spec in <DockerRootDir>\\CredentialSpecs (default C:\\ProgramData\\Docker\\CredentialSpecs) and name it relative to that folder: --security-opt "credentialspec=file://NAME.json".',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'credspec-refused').map((o) => {
      const file = o.file ?? 'the credential spec';
      const unreadable = o.problem === 'file-unreadable' || o.problem.startsWith('registry');
      return aboutObservation(o, {
        severity: 'error',
        fault: unreadable ? 'credspec-not-found' : 'security-opt-invalid',
        subject: o.container ? `container ${o.container}` : file,
        message: unreadable
          ? `Docker could not read ${file}${o.reason ? ` (${o.reason})` : ''}: the spec is not where the option says (file:// names are relative to <DockerRootDir>\\CredentialSpecs).`
          : `Docker refused the credentialspec option (${o.problem}${o.reason ? `: ${o.reason}` : ''}).`,
        remediation: {
          text: unreadable
            ? 'Copy the spec into the CredentialSpecs folder of the Docker root directory and name only the file.'
            : 'Write the option as credentialspec=file://NAME.json (or registry://VALUE, config://NAME).',
          commands: unreadable
            ? [
                'docker info --format "{{.DockerRootDir}}"',
                'dir C:\\ProgramData\\Docker\\CredentialSpecs',
                'gmsa-doctor check --inspect <docker-inspect.json>',
              ]
            : ['gmsa-doctor credspec lint --security-opt "<the option as given>"'],
        },
      });
    });
  },
});
