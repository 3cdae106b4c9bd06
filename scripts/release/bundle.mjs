#!/usr/bin/env node
// Bundles the CLI into one CommonJS script (build/bundle/gmsa-doctor.cjs): what a Node single executable
// application runs, and a faster-loading CLI for `node build/bundle/gmsa-doctor.cjs`.
// Usage: node scripts/release/bundle.mjs [--out FILE]
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bundle's entry: the CLI's main without top-level await, which CommonJS cannot have. */
const ENTRY = `import { runCli } from './src/cli/program.ts';
runCli(process.argv).then((code) => { process.exitCode = code; });
`;

/**
 * A startup-snapshot entry (SEA useSnapshot): the program and its argument parser are loaded when the snapshot is
 * built, main runs when the exe starts. Only that much: Node 20's snapshot builder cannot load node:http
 * ("methods.toSorted is not a function"), which the commands need, so they still load at run time.
 */
const SNAPSHOT_ENTRY = `import { startupSnapshot } from 'node:v8';
import { runCli } from './src/cli/program.ts';
startupSnapshot.setDeserializeMainFunction(() => { runCli(process.argv).then((code) => { process.exitCode = code; }); });
`;

export async function bundle(outFile = join(ROOT, 'build', 'bundle', 'gmsa-doctor.cjs'), { snapshot = false } = {}) {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  mkdirSync(dirname(outFile), { recursive: true });
  const result = await build({
    stdin: {
      contents: snapshot ? SNAPSHOT_ENTRY : ENTRY,
      resolveDir: ROOT,
      loader: 'ts',
      sourcefile: 'gmsa-doctor-entry.ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ESM builds first: some packages' UMD builds (jsonc-parser) require their parts by computed names.
    mainFields: ['module', 'main'],
    outfile: outFile,
    define: { GMSA_DOCTOR_PACKAGE: JSON.stringify({ name, version }) },
    // Optional native addons stay outside: they load from beside the code or the exe, or not at all.
    external: ['kerberos', 'koffi'],
    legalComments: 'none',
    logLevel: 'warning',
    // tool-info.ts reads package.json through import.meta.url only when GMSA_DOCTOR_PACKAGE is not defined.
    logOverride: { 'empty-import-meta': 'silent' },
    metafile: true,
  });
  return { outFile, inputs: Object.keys(result.metafile.inputs).length };
}

/**
 * The CLI as ES modules split by command (esbuild code splitting): each command's code in its own chunk, shared
 * code in common chunks, so that a command loads only what it runs, in a few files instead of hundreds.
 */
export async function bundleSplit(outDir = join(ROOT, 'build', 'bundle-split')) {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  await build({
    entryPoints: { 'gmsa-doctor': join(ROOT, 'src', 'cli', 'index.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outdir: outDir,
    mainFields: ['module', 'main'],
    define: { GMSA_DOCTOR_PACKAGE: JSON.stringify({ name, version }) },
    external: ['kerberos', 'koffi'],
    // Some dependencies are CommonJS and call require(): give the ES modules one.
    banner: {
      js: "import { createRequire as __gmsaDoctorRequire } from 'node:module'; const require = __gmsaDoctorRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  return join(outDir, 'gmsa-doctor.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const { outFile, inputs } = await bundle(values.out);
  console.log(`${outFile}: ${inputs} modules`);
}
