import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../tool-info.js';
import { printableText } from '../engine/printable.js';
import { redactText } from '../engine/redact.js';
import { EXIT_USAGE } from '../report/model.js';
import { withExamples } from './help.js';
type Register = (program: Command, argv: readonly string[]) => unknown;

/**
 * Each command lives in its own file and is loaded only when it runs: a command's probes (LDAP, Kerberos, EVTX)
 * cost start-up time that the other commands should not pay. Help and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  check: async () => (await import('./check.js')).registerCheck,
  credspec: async () => (await import('./credspec.js')).registerCredspec,
  dc: async () => (await import('./dc.js')).registerDc,
  events: async () => (await import('./events.js')).registerEvents,
  collect: async () => (await import('./collect.js')).registerCollect,
  analyze: async () => (await import('./analyze.js')).registerAnalyze,
  checks: async () => (await import('./checks.js')).registerChecks,
  explain: async () => (await import('./explain.js')).registerExplain,
  k8s: async () => (await import('./k8s.js')).registerK8s,
};

/** kubectl runs `kubectl gmsa-doctor ...` as the program `kubectl-gmsa_doctor` (a copy, link or bin entry of ours). */
export function isKubectlPlugin(argv: readonly string[]): boolean {
  return argv.slice(0, 2).some((arg) => path.basename(arg).toLowerCase().startsWith('kubectl-'));
}

/** As the kubectl plugin the program is `kubectl`, whose one command `gmsa-doctor` is our `k8s` command. */
async function buildPluginProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('kubectl').showHelpAfterError();
  const { registerK8s } = await import('./k8s.js');
  registerK8s(program, argv, 'gmsa-doctor').version(TOOL_VERSION);
  exitOverrideAll(program);
  return program;
}

function exitOverrideAll(command: Command): void {
  command.exitOverride();
  command.commands.forEach(exitOverrideAll);
}

/** The program with the command named in argv registered (all of them when argv names none of them). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('gmsa-doctor')
    .description('Finds out why a Windows container cannot use its gMSA, and says how to fix it.')
    .version(TOOL_VERSION)
    .showHelpAfterError();
  withExamples(program, [
    { does: 'on a Windows container host: everything that applies there', run: 'gmsa-doctor check' },
    { does: 'credential specs, offline', run: 'gmsa-doctor credspec lint C:\\ProgramData\\docker\\CredentialSpecs' },
    { does: "a command's own options and examples", run: 'gmsa-doctor check --help' },
  ]);
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const versionOnly = !named && argv.some((arg) => arg === '-V' || arg === '--version');
  const wanted = named && named in COMMANDS ? [named] : versionOnly ? [] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) await register(program, argv);
  exitOverrideAll(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    if (isKubectlPlugin(argv)) {
      const asCommand = [argv[0] ?? 'node', argv[1] ?? 'kubectl-gmsa_doctor', 'gmsa-doctor', ...argv.slice(2)];
      await (await buildPluginProgram(asCommand)).parseAsync(asCommand);
    } else await (await buildProgram(argv)).parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gmsa-doctor: ${printableText(redactText(message))}\n`);
    return EXIT_USAGE;
  }
}

/** A reader that stops early (`gmsa-doctor events --dump log.evtx | head`) closes the pipe: end quietly, like cat. */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

/** The process's entry point (bin/, the bundle, the exe): main, on this process's own streams. */
export async function runCli(argv: readonly string[]): Promise<number> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  return main(argv);
}
