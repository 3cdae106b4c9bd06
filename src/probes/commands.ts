import { execFile } from 'node:child_process';
import type { TranscriptEntry } from '../protocol/parsers/transcript.js';
import { splitTranscript } from '../protocol/parsers/transcript.js';
import type { CommandCapture } from '../facts/common.js';

export interface RunCommandOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs Windows commands (PowerShell, nltest, klist, reg, docker exec); tests replay real transcripts instead. */
export interface CommandRunner {
  run(file: string, args: readonly string[], options?: RunCommandOptions): Promise<CommandCapture>;
}

export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a))].join(' ');
}

const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/** The real runner: node:child_process, no shell, output captured, killed at its deadline or on abort. */
export class ProcessRunner implements CommandRunner {
  run(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandCapture> {
    const command = commandLine(file, args);
    return new Promise((resolve) => {
      execFile(
        file,
        [...args],
        {
          timeout: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
          signal: options.signal,
          windowsHide: true,
          maxBuffer: 8 * 1024 * 1024,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
          const notFound = err?.code === 'ENOENT';
          const timedOut = err !== null && (err.killed === true || err.name === 'AbortError');
          const exitCode = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
          resolve({
            command,
            exitCode,
            stdout,
            stderr: notFound ? `${file}: not found` : stderr,
            timedOut: timedOut && !notFound,
            notFound,
          });
        },
      );
    });
  }
}

export interface ReplayEntry extends TranscriptEntry {
  exitCode?: number;
}

/** Spellings that do not change a command: case, `.exe`, quotes, HKLM for HKEY_LOCAL_MACHINE, spacing. */
function normalise(command: string): string {
  return command
    .toLowerCase()
    .replace(/\.exe\b/g, '')
    .replace(/"/g, '')
    .replace(/\bhklm\\/g, 'hkey_local_machine\\')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Answers commands from recorded transcripts (real console sessions). A command that was not recorded answers as
 * a program that does not exist, so a test sees exactly what the tool does when a tool is missing.
 */
export class ReplayRunner implements CommandRunner {
  private readonly entries: ReplayEntry[];
  readonly asked: string[] = [];

  constructor(entries: readonly ReplayEntry[]) {
    this.entries = [...entries];
  }

  /** Every command and output of a transcript, e.g. a PowerShell session pasted into an issue. */
  static fromTranscripts(...transcripts: string[]): ReplayRunner {
    return new ReplayRunner(transcripts.flatMap((t) => splitTranscript(t)));
  }

  /** The recorded entries, to combine several sources into one runner. */
  asEntries(): ReplayEntry[] {
    return [...this.entries];
  }

  /** A session typed inside a container, answered as `docker exec <container> ...` commands. */
  static inContainer(container: string, ...transcripts: string[]): ReplayEntry[] {
    return ReplayRunner.execIn('docker', container, ...transcripts);
  }

  /** The same, as `<tool> exec <container> ...` (`crictl exec` for a container of containerd). */
  static execIn(tool: 'docker' | 'crictl', container: string, ...transcripts: string[]): ReplayEntry[] {
    return transcripts
      .flatMap((t) => splitTranscript(t))
      .map((e) => ({ ...e, command: `${tool} exec ${container} ${e.command}` }));
  }

  run(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandCapture> {
    const command = commandLine(file, args);
    this.asked.push(command);
    if (options.signal?.aborted) {
      return Promise.resolve({ command, exitCode: null, stdout: '', stderr: '', timedOut: true, notFound: false });
    }
    const wanted = normalise(command);
    const entry = this.entries.find((e) => normalise(e.command) === wanted);
    if (!entry) {
      return Promise.resolve({
        command,
        exitCode: null,
        stdout: '',
        stderr: `${file}: not found`,
        timedOut: false,
        notFound: true,
      });
    }
    return Promise.resolve({
      command,
      exitCode: entry.exitCode ?? 0,
      stdout: entry.output,
      stderr: '',
      timedOut: false,
      notFound: false,
    });
  }
}
