import { vi } from 'vitest';
import { main } from '../../src/cli/program.js';

/** Runs the gmsa-doctor CLI in-process and returns its exit code and what it printed. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'gmsa-doctor', ...args]), out, err };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}
