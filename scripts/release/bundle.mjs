#!/usr/bin/env node
// Bundles the CLI into one CommonJS script (build/bundle/gmsa-doctor.cjs, and the k8s commands' packages beside it in
// gmsa-doctor-k8s.cjs): what a Node single executable application runs, and a faster-loading CLI for
// `node build/bundle/gmsa-doctor.cjs`.
// Usage: node scripts/release/bundle.mjs [--out FILE]
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * Packages only the `k8s` commands use, which would more than double the bundle (the Kubernetes client and the
 * schemas of kubernetes-models): every start, `--version` included, would read and scan them. They go into a second
 * CommonJS file beside the bundle (K8S_CHUNK; an asset inside the single executable), compiled the first time a
 * `k8s` command imports them.
 */
const LAZY = /^(@kubernetes\/client-node|kubernetes-models\/.+)$/;
export const K8S_CHUNK = 'gmsa-doctor-k8s.cjs';

/**
 * The specifiers matching LAZY that the CLI imports (a first pass over the sources, output discarded), each with
 * the names its importers take from it by a static `import { A, B } from` (none: the module is taken whole).
 */
async function lazySpecifiers(options) {
  const importers = new Map();
  await build({
    ...options,
    write: false,
    metafile: false,
    plugins: [
      {
        name: 'find-lazy',
        setup(b) {
          b.onResolve({ filter: LAZY }, (args) => {
            importers.set(args.path, new Set([...(importers.get(args.path) ?? []), args.importer]));
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return [...importers]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([specifier, files]) => {
      const names = new Set();
      const pattern = new RegExp(
        `import\\s+\\{([^}]*)\\}\\s+from\\s+['"]${specifier.replace(/[/.]/g, '\\$&')}['"]`,
        'g',
      );
      for (const file of files)
        for (const [, list] of readFileSync(file, 'utf8').matchAll(pattern))
          for (const item of list.split(',').map((i) => i.trim()))
            if (item && !item.startsWith('type ')) names.add(item.split(/\s+as\s+/)[0]);
      return { specifier, names: [...names].sort() };
    });
}

/**
 * The lazy packages as one CommonJS module exporting `{ specifier: () => module }`, as source text. A package whose
 * importers name what they take is reached through an ES module re-exporting only that, so the rest of it (most of
 * the Kubernetes client's generated API) is left out.
 */
async function lazyChunk(specifiers) {
  const entry = (s) => (s.names.length ? `gmsa-doctor-lazy-entry:${s.specifier}` : s.specifier);
  const result = await build({
    stdin: {
      contents: `module.exports = {\n${specifiers.map((s) => `  ${JSON.stringify(s.specifier)}: () => require(${JSON.stringify(entry(s))}),`).join('\n')}\n};\n`,
      resolveDir: ROOT,
      loader: 'js',
      sourcefile: 'gmsa-doctor-k8s-chunk.js',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [
      {
        name: 'lazy-entries',
        setup(b) {
          b.onResolve({ filter: /^gmsa-doctor-lazy-entry:/ }, (args) => ({
            path: args.path.slice('gmsa-doctor-lazy-entry:'.length),
            namespace: 'lazy-entry',
          }));
          b.onLoad({ filter: /.*/, namespace: 'lazy-entry' }, (args) => ({
            contents: `export { ${specifiers.find((s) => s.specifier === args.path).names.join(', ')} } from ${JSON.stringify(args.path)};`,
            loader: 'js',
            resolveDir: ROOT,
          }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

/** Resolves each lazy specifier to a stub that loads the chunk on first use (vm, so stack traces name it). */
function lazyPlugin() {
  return {
    name: 'lazy-k8s',
    setup(b) {
      b.onResolve({ filter: LAZY }, (args) => ({ path: args.path, namespace: 'lazy-k8s' }));
      b.onResolve({ filter: /^gmsa-doctor-lazy-chunk$/ }, () => ({ path: 'chunk', namespace: 'lazy-k8s-chunk' }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-k8s' }, (args) => ({
        contents: `module.exports = require('gmsa-doctor-lazy-chunk')(${JSON.stringify(args.path)});`,
        loader: 'js',
        resolveDir: ROOT,
      }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-k8s-chunk' }, () => ({
        contents: `const CHUNK = ${JSON.stringify(K8S_CHUNK)};
let loaded;
function source() {
  let sea;
  try { sea = process.getBuiltinModule('node:sea'); } catch {}
  if (sea && sea.isSea()) return sea.getAsset(CHUNK, 'utf8');
  return require('node:fs').readFileSync(require('node:path').join(__dirname, CHUNK), 'utf8');
}
// The chunk holds every package it needs: what it requires beyond Node's own modules is an optional package
// (node-fetch's encoding, ws's bufferutil), absent as it is in the exe, whose require() would warn for each.
function chunkRequire(id) {
  if (require('node:module').isBuiltin(id)) return require(id);
  const error = new Error("Cannot find module '" + id + "'");
  error.code = 'MODULE_NOT_FOUND';
  throw error;
}
module.exports = (specifier) => {
  if (!loaded) {
    const module = { exports: {} };
    require('node:vm').runInThisContext('(function (module, exports, require) {' + source() + '\\n})', { filename: CHUNK })(module, module.exports, chunkRequire);
    loaded = module.exports;
  }
  return loaded[specifier]();
};`,
        loader: 'js',
        resolveDir: ROOT,
      }));
    },
  };
}

export async function bundle(outFile = join(ROOT, 'build', 'bundle', 'gmsa-doctor.cjs'), { snapshot = false } = {}) {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  mkdirSync(dirname(outFile), { recursive: true });
  const options = {
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
  };
  const chunkFile = join(dirname(outFile), K8S_CHUNK);
  writeFileSync(chunkFile, await lazyChunk(await lazySpecifiers(options)));
  const result = await build({ ...options, plugins: [lazyPlugin()] });
  return { outFile, chunkFile, inputs: Object.keys(result.metafile.inputs).length };
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
