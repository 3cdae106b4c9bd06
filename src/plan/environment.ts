import type { CommandRunner } from '../probes/commands.js';
import { ProcessRunner } from '../probes/commands.js';

/** Where the tool runs: what it can ask by itself. */
export interface HostEnvironment {
  /** Windows host: run Windows commands and discover. Default: process.platform === 'win32'. */
  windows: boolean;
  /** A Docker daemon to ask (on Windows, or wherever DOCKER_HOST is set). */
  docker: boolean;
  runner: CommandRunner;
}

export function currentEnvironment(): HostEnvironment {
  const windows = process.platform === 'win32';
  return { windows, docker: windows || Boolean(process.env.DOCKER_HOST), runner: new ProcessRunner() };
}
