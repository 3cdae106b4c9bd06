import { defineCheck } from '../../engine/check.js';
import path from 'node:path';
import { credentialSpecsDir } from '../../credspec/placement.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { CredSpecDocument } from '../../facts/credspec.js';

/** Windows paths compare without case; either separator. */
function samePath(a: string, b: string): boolean {
  const norm = (p: string) =>
    p
      .replace(/[\\/]+/g, '/')
      .replace(/\/$/, '')
      .toLowerCase();
  return norm(a) === norm(b);
}

function dirnameAny(file: string): string {
  return file.replace(/[\\/][^\\/]*$/, '');
}

function checkLocation(documents: readonly CredSpecDocument[], dockerRoot: string): FindingDraft[] {
  const expected = credentialSpecsDir(dockerRoot);
  const files = [...new Set(documents.filter((d) => d.format === 'json').map((d) => d.file))];
  const misplaced = files.filter(
    (file) =>
      !samePath(dirnameAny(path.resolve(file)), path.resolve(expected)) && !samePath(dirnameAny(file), expected),
  );
  if (misplaced.length === 0)
    return [{ severity: 'pass', message: `${files.length} credential spec file(s) lie directly in ${expected}.` }];
  return misplaced.map((file) => ({
    severity: 'error',
    message: `${file} is not directly in ${expected}: Docker's file:// lookup will not find it`,
    subject: file,
    location: { file },
    remediation: {
      text: `Move it into ${expected} and use --security-opt "credentialspec=file://${path.basename(file)}".`,
      commands: [`Move-Item '${file}' '${expected}\\'`],
    },
  }));
}

export default defineCheck({
  meta: {
    id: 'credspec/location',
    title: 'Credential specs lie in <DockerRootDir>\\CredentialSpecs',
    section: 'credspec',
    link: 'credspec',
    fault: 'credspec-not-found',
    looksAt:
      'The folder of each credential spec file against the CredentialSpecs folder of the Docker root directory (--docker-root, or docker info).',
    why: 'Docker resolves credentialspec=file://NAME.json only inside <DockerRootDir>\\CredentialSpecs; a spec anywhere else is never found.',
    remediation: 'Move the file into <DockerRootDir>\\CredentialSpecs and refer to it by its bare file name.',
  },
  needs: ['credspec.documents', 'docker.rootDir'],
  run: (facts) => checkLocation(facts.get('credspec.documents'), facts.get('docker.rootDir')),
});
