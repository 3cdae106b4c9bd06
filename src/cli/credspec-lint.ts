import type { Command } from 'commander';
import { run } from '../engine/runner.js';
import { planLint } from '../plan/lint.js';
import type { InputError, Report } from '../report/model.js';
import { withExamples } from './help.js';
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
  const readErrors = result.facts.optional('credspec.readErrors') ?? [];
  const inputErrors: InputError[] = readErrors
    .filter((e) => e.kind === 'missing' || e.kind === 'unreadable')
    .map((e) => ({ file: e.file, reason: e.reason }));
  const unreadable = new Set(inputErrors.map((e) => e.file));
  // An unreadable file is an input error (exit code 2), not a lint finding.
  const findings = result.findings.filter(
    (f) => !(f.id === 'credspec/readable' && f.subject && unreadable.has(f.subject)),
  );
  return {
    command: 'credspec lint',
    findings,
    inputErrors,
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
  withOutputOptions(command, ['text', 'json', 'sarif']);
  withExamples(command, [
    { does: 'files and folders, JSON or GMSACredentialSpec YAML', run: 'gmsa-doctor credspec lint webapp01.json k8s/' },
    {
      does: "a container's option, and the spec it names, as Docker reads them",
      run: 'gmsa-doctor credspec lint --security-opt "credentialspec=file://webapp01.json" --docker-root C:\\ProgramData\\docker',
    },
    { does: 'SARIF for code scanning', run: 'gmsa-doctor credspec lint specs/ --format sarif -o credspec.sarif' },
  ]).action(async (paths: string[], flags: LintFlags) => {
    await emit(await lintReport(paths, flags), flags);
  });
}
