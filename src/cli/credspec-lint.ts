import type { Command } from 'commander';
import { run } from '../engine/runner.js';
import { fileInputErrors } from './input-errors.js';
import { planLint } from '../plan/lint.js';
import type { Report } from '../report/model.js';
import { emit, UsageError, withOutputOptions } from './output.js';
import type { OutputOptions } from './output.js';

interface LintFlags extends OutputOptions {
  dockerRoot?: string;
  securityOpt: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export async function lintReport(
  paths: readonly string[],
  flags: Pick<LintFlags, 'dockerRoot' | 'securityOpt'>,
): Promise<Report> {
  if (paths.length === 0 && flags.securityOpt.length === 0)
    throw new UsageError('credspec lint needs at least one PATH or --security-opt');
  const plan = planLint({
    paths,
    securityOpt: flags.securityOpt,
    ...(flags.dockerRoot ? { dockerRoot: flags.dockerRoot } : {}),
  });
  const result = await run(plan);
  return {
    command: 'credspec lint',
    findings: result.findings,
    inputErrors: fileInputErrors(result.facts),
    durationMs: result.durationMs,
    notChecked: plan.notChecked,
  };
}

export function registerCredspecLint(credspec: Command): void {
  const command = credspec
    .command('lint')
    .argument('[paths...]', 'credential spec files or folders (JSON, or GMSACredentialSpec YAML)')
    .description('validate credential specs offline, with every rule of the guide and of Docker, windows-gmsa and CCG')
    .option('--docker-root <dir>', 'Docker root directory: check that each spec lies directly in <dir>/CredentialSpecs')
    .option(
      '--security-opt <value>',
      'a `credentialspec=...` security option to check as Docker parses it (repeatable)',
      collect,
      [],
    );
  withOutputOptions(command, ['text', 'json', 'sarif']).action(async (paths: string[], flags: LintFlags) => {
    await emit(await lintReport(paths, flags), flags);
  });
}
