/**
 * The CLI built from this source tree into one script (scripts/release/bundle.mjs, as a release builds it), for
 * tests that need a real process: a real terminal, a pipe closed early, a README command run as printed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BUNDLER = '../../scripts/release/bundle.mjs';

export async function buildCli(): Promise<string> {
  const { bundle } = (await import(BUNDLER)) as { bundle: (outFile: string) => Promise<{ outFile: string }> };
  return (await bundle(path.join(mkdtempSync(path.join(tmpdir(), 'gmsa-cli-')), 'gmsa-doctor.cjs'))).outFile;
}
