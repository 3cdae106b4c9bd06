import type { Command } from 'commander';
import { CREDSPEC_DOCUMENT_CHECKS, credspecLocationCheck, securityOptCheck } from '../checks/credspec.js';
import type { Check } from '../engine/check.js';
import type { Probe } from '../engine/probe.js';
import { run } from '../engine/runner.js';
import type { InputError, Report } from '../report/model.js';
import { credspecFilesProbe, dockerRootOptionProbe, securityOptsProbe } from '../probes/credspec-files.js';
import { emit, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';

interface LintFlags extends OutputOptions {
  dockerRoot?: string;
  securityOpt: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export async function lintReport(paths: readonly string[], flags: Pick<LintFlags, 'dockerRoot' | 'securityOpt'>): Promise<Report> {
  if (paths.length === 0 && flags.securityOpt.length === 0) throw new UsageError('credspec lint needs at least one PATH or --security-opt');
  const probes: Probe[] = [];
  const checks: Check[] = [];
  if (paths.length) {
    probes.push(credspecFilesProbe(paths));
    checks.push(...CREDSPEC_DOCUMENT_CHECKS);
  }
  if (flags.dockerRoot) {
    probes.push(dockerRootOptionProbe(flags.dockerRoot));
    if (paths.length) checks.push(credspecLocationCheck);
  }
  if (flags.securityOpt.length) {
    // On a Windows host, Docker's default root is where a file:// option is looked up when --docker-root is not given.
    const windowsDefault = process.platform === 'win32' && process.env.ProgramData ? `${process.env.ProgramData}\\Docker` : undefined;
    if (!flags.dockerRoot && windowsDefault) probes.push(dockerRootOptionProbe(windowsDefault));
    probes.push(securityOptsProbe(flags.securityOpt));
    checks.push(securityOptCheck);
  }
  const result = await run({ checks, probes });
  const readErrors = result.facts.optional('credspec.readErrors') ?? [];
  const inputErrors: InputError[] = readErrors
    .filter((e) => e.kind === 'missing' || e.kind === 'unreadable')
    .map((e) => ({ file: e.file, reason: e.reason }));
  const unreadable = new Set(inputErrors.map((e) => e.file));
  // An unreadable file is an input error (exit code 2), not a lint finding.
  const findings = result.findings.filter((f) => !(f.id === 'credspec/readable' && f.subject && unreadable.has(f.subject)));
  return { command: 'credspec lint', findings, inputErrors, durationMs: result.durationMs };
}

export function registerCredspecLint(credspec: Command): void {
  const command = credspec
    .command('lint')
    .argument('[paths...]', 'credential spec files or folders (JSON, or GMSACredentialSpec YAML)')
    .description('validate credential specs offline, with every rule of the guide and of Docker, windows-gmsa and CCG')
    .option('--docker-root <dir>', 'Docker root directory: check that each spec lies directly in <dir>/CredentialSpecs')
    .option('--security-opt <value>', 'a `credentialspec=...` security option to check as Docker parses it (repeatable)', collect, []);
  withOutputOptions(command, ['text', 'json', 'sarif']).action(async (paths: string[], flags: LintFlags) => {
    await emit(await lintReport(paths, flags), flags);
  });
}
