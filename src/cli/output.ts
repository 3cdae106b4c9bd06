import { writeFileSync } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';
import { InputFileError } from '../probes/input-file.js';
import { renderCi } from '../report/ci.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import type { Report } from '../report/model.js';
import { exitCodeOf } from '../report/model.js';
import { renderSarif } from '../report/sarif.js';
import type { SarifRule } from '../report/sarif.js';
import { renderText } from '../report/text.js';

export type Format = 'text' | 'json' | 'sarif' | 'html' | 'ci';

export interface OutputOptions {
  format: Format;
  color: boolean;
  verbose?: boolean;
  output?: string;
}

/** Adds --format, --no-color, --verbose and --output to a command. */
export function withOutputOptions(command: Command, formats: readonly Format[] = ['text', 'json']): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('text'))
    .option('--no-color', 'no colour (also when NO_COLOR is set or the output is not a terminal)')
    .option('-v, --verbose', 'list passing checks one by one')
    .option('-o, --output <file>', 'write the report to a file instead of standard output');
}

export function colorWanted(flag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (!flag) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** The rules SARIF describes: by default the check catalogue, loaded only when asked, to keep every other start fast. */
export type SarifCatalogue = () => Promise<readonly SarifRule[]>;
const checkCatalogue: SarifCatalogue = async () => (await import('../checks/index.js')).ALL_CHECKS;

export async function render(
  report: Report,
  options: OutputOptions,
  catalogue: SarifCatalogue = checkCatalogue,
): Promise<string> {
  switch (options.format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, await catalogue());
    case 'html':
      return renderHtml(report);
    case 'ci':
      return renderCi(report, { verbose: options.verbose ?? false });
    case 'text':
      return renderText(report, {
        color: options.output ? false : colorWanted(options.color),
        verbose: options.verbose ?? false,
      });
  }
}

/** Writes text to the -o/--output file, or to standard output without one. */
export function writeOutput(text: string, file: string | undefined): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`-o ${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Prints (or writes) the report and sets the exit code: 0 clean, 1 error finding, 2 unreadable input. */
export async function emit(report: Report, options: OutputOptions, catalogue?: SarifCatalogue): Promise<void> {
  writeOutput(await render(report, options, catalogue), options.output);
  process.exitCode = exitCodeOf(report);
}

/** A usage or input problem that stops the command: printed on stderr without a stack trace, exit code 2. */
export class UsageError extends Error {}

/**
 * A file named on the command line, read: a file that cannot be read is a usage error of that command line (exit 2),
 * named with the option it was given to (`--ca FILE`), never a crash.
 */
export function readNamedFile<T>(read: () => T, option = ''): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(`${option ? `${option} ` : ''}${error.message}`);
    throw error;
  }
}
