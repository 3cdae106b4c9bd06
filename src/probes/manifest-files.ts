/**
 * The files `k8s lint` reads: files named directly, the YAML and JSON files below named folders (a repository, a
 * chart, saved `helm template` or `kustomize build` output; dot-folders and node_modules skipped), and `-` for
 * standard input (`helm template . | gmsa-doctor k8s lint -`). Bounded: a file over the bound is not read.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { expandPaths } from './credspec-files.js';
import { readBoundedStream } from './input-file.js';

export interface ManifestFile {
  file: string;
  bytes: Uint8Array;
}

export interface ManifestReadError {
  file: string;
  reason: string;
}

const MANIFEST_FILE = /\.(ya?ml|json)(\.tpl)?$/i;
/** As src/k8s loadManifests' bound: kubectl has no use for a larger manifest file either. */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
export const STDIN_NAME = '<stdin>';

export async function readManifestFiles(
  paths: readonly string[],
  stdin: Readable = process.stdin,
  maxBytes = MAX_MANIFEST_BYTES,
): Promise<{ files: ManifestFile[]; errors: ManifestReadError[] }> {
  const named = paths.filter((p) => p !== '-');
  const { files: found, errors: expandErrors } = await expandPaths(named, {
    pattern: MANIFEST_FILE,
    names: '.yaml, .yml or .json files',
  });
  const errors: ManifestReadError[] = expandErrors.map((e) => ({ file: e.file, reason: e.reason }));
  const files: ManifestFile[] = [];
  if (paths.includes('-')) {
    const input = await readBoundedStream(stdin, { what: 'manifest file', maxBytes });
    if ('reason' in input) errors.push({ file: STDIN_NAME, reason: input.reason });
    else files.push({ file: STDIN_NAME, bytes: input.bytes });
  }
  const read = await Promise.all(found.map((file) => readOne(file, maxBytes)));
  for (const result of read) {
    if ('reason' in result) errors.push(result);
    else files.push(result);
  }
  return { files, errors };
}

async function readOne(file: string, maxBytes: number): Promise<ManifestFile | ManifestReadError> {
  try {
    const { size } = await stat(file);
    if (size > maxBytes) return { file, reason: `${size} bytes, over the ${maxBytes}-byte bound of a manifest file` };
    return { file, bytes: await readFile(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { file, reason: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error)) };
  }
}
