import path from 'node:path';
import type { FindingDraft } from '../engine/finding.js';
import { parseCredentialSpecOption } from './security-opt.js';
import type { CredSpecDocument, SecurityOptFact } from '../facts/credspec.js';

/** Windows paths compare without case; either separator. */
function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/[\\/]+/g, '/').replace(/\/$/, '').toLowerCase();
  return norm(a) === norm(b);
}

function dirnameAny(file: string): string {
  return file.replace(/[\\/][^\\/]*$/, '');
}

export function credentialSpecsDir(dockerRoot: string): string {
  const sep = dockerRoot.includes('\\') ? '\\' : path.sep;
  return `${dockerRoot.replace(/[\\/]+$/, '')}${sep}CredentialSpecs`;
}

export function checkLocation(documents: readonly CredSpecDocument[], dockerRoot: string): FindingDraft[] {
  const expected = credentialSpecsDir(dockerRoot);
  const files = [...new Set(documents.filter((d) => d.format === 'json').map((d) => d.file))];
  const misplaced = files.filter((file) => !samePath(dirnameAny(path.resolve(file)), path.resolve(expected)) && !samePath(dirnameAny(file), expected));
  if (misplaced.length === 0) return [{ severity: 'pass', message: `${files.length} credential spec file(s) lie directly in ${expected}.` }];
  return misplaced.map((file) => ({
    severity: 'error',
    message: `${file} is not directly in ${expected}: Docker's file:// lookup will not find it`,
    subject: file,
    location: { file },
    remediation: { text: `Move it into ${expected} and use --security-opt "credentialspec=file://${path.basename(file)}".`, commands: [`Move-Item '${file}' '${expected}\\'`] },
  }));
}

export function checkSecurityOpts(options: readonly SecurityOptFact[]): FindingDraft[] {
  return options.map((fact): FindingDraft => {
    const verdict = parseCredentialSpecOption(fact.option);
    const subject = `--security-opt ${fact.option}`;
    if (!verdict.ok) return { severity: 'error', message: verdict.reason, subject };
    if (verdict.scheme !== 'file') {
      const what = { registry: 'a registry value under HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Virtualization\\Containers\\CredentialSpecs', config: 'a swarm config (docker service only)', raw: 'inline JSON' }[verdict.scheme];
      return { severity: 'info', message: `credentialspec=${verdict.scheme}:// reads the spec from ${what}; it is not checked as a file.`, subject };
    }
    if (fact.exists === false) {
      return { severity: 'error', message: `${verdict.path} does not exist at ${fact.resolvedPath}: Docker refuses to start the container`, subject, evidence: { resolvedPath: fact.resolvedPath } };
    }
    if (fact.exists === undefined) {
      return { severity: 'info', message: `credentialspec=file://${verdict.path} is well-formed; pass --docker-root to check that the file exists.`, subject };
    }
    return { severity: 'pass', message: `credentialspec=file://${verdict.path} resolves to ${fact.resolvedPath}, which exists.`, subject };
  });
}
