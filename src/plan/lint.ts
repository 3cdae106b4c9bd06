/** `gmsa-doctor credspec lint`: the credential spec checks the given files and options can judge. */
import { CREDSPEC_DOCUMENT_CHECKS, CREDSPEC_LINT_CHECKS } from '../checks/index.js';
import { parseCredSpecBytes } from '../credspec/parse.js';
import { parseCredentialSpecOption } from '../credspec/security-opt.js';
import { FactStore } from '../engine/facts.js';
import type { FactKey } from '../engine/facts.js';
import type { Finding } from '../engine/finding.js';
import type { Probe } from '../engine/probe.js';
import { runCheck } from '../engine/runner.js';
import { credspecFilesProbe, dockerRootOptionProbe, securityOptsProbe } from '../probes/credspec-files.js';
import { HOW } from './hints.js';
import type { Needs } from './hints.js';
import { planChecks } from './plan.js';
import type { CheckPlan } from './plan.js';

export interface LintRequest {
  paths: readonly string[];
  dockerRoot?: string;
  securityOpt: readonly string[];
}

const LINT_HOW: Partial<Record<FactKey, Needs>> = {
  'credspec.documents': ['a credential spec PATH'],
  'credspec.readErrors': ['a credential spec PATH'],
  'docker.rootDir': ['--docker-root DIR'],
  'credspec.securityOpts': ['--security-opt credentialspec=...'],
};

export function planLint(
  request: LintRequest,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): CheckPlan & { probes: Probe[] } {
  const probes: Probe[] = [];
  // On a Windows host, Docker's default root is where a file:// option is looked up when --docker-root is not given.
  const windowsDefault = platform === 'win32' && env.ProgramData ? `${env.ProgramData}\\Docker` : undefined;
  // A file:// option whose root is known names a spec to lint, as Docker would read it.
  const namesFile =
    (request.dockerRoot !== undefined || windowsDefault !== undefined) &&
    request.securityOpt.some((option) => {
      const verdict = parseCredentialSpecOption(option);
      return verdict.ok && verdict.scheme === 'file';
    });
  if (request.paths.length > 0 || namesFile) probes.push(credspecFilesProbe(request.paths, { named: namesFile }));
  if (request.dockerRoot) probes.push(dockerRootOptionProbe(request.dockerRoot));
  if (request.securityOpt.length > 0) probes.push(securityOptsProbe(request.securityOpt, windowsDefault));
  const canHave = (key: FactKey): boolean => probes.some((p) => p.provides.includes(key));
  return { ...planChecks(CREDSPEC_LINT_CHECKS, canHave, (key) => LINT_HOW[key] ?? HOW[key]), probes };
}

/** Lints one credential spec held in memory (no I/O): every document rule, as `credspec lint` runs them. */
export function lintCredSpecBytes(bytes: Uint8Array, file: string): Finding[] {
  const parsed = parseCredSpecBytes(bytes, file);
  const facts = new FactStore();
  facts.set('credspec.documents', parsed.documents);
  facts.set('credspec.readErrors', parsed.errors);
  return CREDSPEC_DOCUMENT_CHECKS.flatMap((check) => runCheck(check, facts));
}

export function lintCredSpecText(text: string, file: string): Finding[] {
  return lintCredSpecBytes(Buffer.from(text, 'utf8'), file);
}
