import { defineCheck } from '../../engine/check.js';

export default defineCheck({
  meta: {
    id: 'host/credential-specs-folder',
    title: 'Credential specs are present in <DockerRootDir>\\CredentialSpecs',
    section: 'credspec',
    link: 'credspec',
    looksAt:
      'The files in the CredentialSpecs folder of the Docker root directory (docker info DockerRootDir), and the file each gMSA container names.',
    why: 'Docker resolves credentialspec=file://NAME.json only in that folder; Get-CredentialSpec lists the same files.',
    remediation:
      "Create the spec there with New-CredentialSpec (or `gmsa-doctor credspec new`), named as the container's security option says.",
  },
  needs: ['host.credentialSpecs'],
  run(facts) {
    const { dir, files } = facts.get('host.credentialSpecs');
    const specs = files.filter((f) => /\.json$/i.test(f));
    if (specs.length === 0) {
      return [
        {
          severity: 'warning',
          subject: dir,
          message: `${dir} holds no credential spec (.json) file.`,
          remediation: {
            text: 'Create one with New-CredentialSpec.',
            commands: ['New-CredentialSpec -AccountName <gMSA>'],
          },
        },
      ];
    }
    return [
      {
        severity: 'pass',
        subject: dir,
        message: `${dir} holds ${specs.length} credential spec file(s): ${specs.join(', ')}.`,
      },
    ];
  },
});
