import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseCredSpecBytes } from '../credspec/parse.js';
import { credentialSpecsDir } from '../credspec/placement.js';
import { parseCredentialSpecOption } from '../credspec/security-opt.js';
import { unavailable } from '../engine/probe.js';
import type { Probe, ProbeOutput } from '../engine/probe.js';
import type { CredSpecDocument, CredSpecReadError, SecurityOptFact } from '../facts/credspec.js';
import { INPUT_LIMITS, InputFileError, readInputFile } from './input-file.js';

const SPEC_FILE = /\.(json|ya?ml)$/i;

function errnoReason(error: unknown): { kind: CredSpecReadError['kind']; reason: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { kind: 'missing', reason: 'no such file or folder' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'unreadable', reason: 'permission denied' };
  if (code === 'ELOOP') return { kind: 'unreadable', reason: 'a symbolic link loop' };
  return { kind: 'unreadable', reason: code ?? (error instanceof Error ? error.message : String(error)) };
}

/**
 * Files named directly, and the files `wanted` names (default .json/.yaml/.yml) found below named folders (dot-folders
 * and node_modules skipped). Symbolic links are followed, to files and to folders (each folder walked once, so a link
 * loop ends); a broken link is reported, never skipped.
 */
export async function expandPaths(
  paths: readonly string[],
  wanted: { pattern: RegExp; names: string } = { pattern: SPEC_FILE, names: '.json, .yaml or .yml files' },
): Promise<{ files: string[]; errors: CredSpecReadError[] }> {
  const files: string[] = [];
  const errors: CredSpecReadError[] = [];
  const walked = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      const real = await realpath(dir);
      if (walked.has(real)) return;
      walked.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      errors.push({ file: dir, ...errnoReason(error) }); // a folder that cannot be listed is named, the rest walked
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let kind: 'file' | 'folder' = entry.isDirectory() ? 'folder' : 'file';
      if (entry.isSymbolicLink()) {
        try {
          kind = (await stat(full)).isDirectory() ? 'folder' : 'file';
        } catch (error) {
          const why = errnoReason(error);
          if (why.kind === 'missing') why.reason = 'a symbolic link to nothing (a broken link)';
          if (wanted.pattern.test(entry.name)) errors.push({ file: full, ...why });
          continue;
        }
      }
      if (kind === 'folder') {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(full);
      } else if (wanted.pattern.test(entry.name)) files.push(full); // the reader refuses a pipe or device by name
    }
  };
  for (const p of paths) {
    try {
      if ((await stat(p)).isDirectory()) {
        const before = files.length + errors.length;
        await walk(p);
        if (files.length + errors.length === before)
          errors.push({ file: p, kind: 'empty', reason: `no ${wanted.names} in this folder` });
      } else files.push(p);
    } catch (error) {
      errors.push({ file: p, ...errnoReason(error) });
    }
  }
  return { files, errors };
}

function readError(file: string, error: unknown): CredSpecReadError {
  if (!(error instanceof InputFileError)) return { file, ...errnoReason(error) };
  const kind = error.kind === 'missing' ? 'missing' : error.kind === 'limit' ? 'limit' : 'unreadable';
  return { file, kind, reason: error.reason };
}

export async function readCredSpecFiles(
  paths: readonly string[],
): Promise<{ documents: CredSpecDocument[]; errors: CredSpecReadError[] }> {
  const { files, errors } = await expandPaths(paths);
  const documents: CredSpecDocument[] = [];
  const parsed = files.map((file) => {
    try {
      return parseCredSpecBytes(readInputFile(file, INPUT_LIMITS.credspec), file);
    } catch (error) {
      return { documents: [], errors: [readError(file, error)] };
    }
  });
  for (const p of parsed) {
    documents.push(...p.documents);
    errors.push(...p.errors);
  }
  return { documents, errors };
}

/**
 * Reads the credential specs given, and with `named: true` also the spec each `--security-opt credentialspec=file://`
 * option resolves to (linted as Docker would read it, once even when it is also given as a path).
 */
export function credspecFilesProbe(paths: readonly string[], options: { named?: boolean } = {}): Probe {
  return {
    id: 'credspec-files',
    title: 'reading the credential specs',
    provides: ['credspec.documents', 'credspec.readErrors'],
    ...(options.named ? { needs: ['credspec.securityOpts'] as const, tolerant: true } : {}),
    async run({ facts }) {
      const given = new Set(paths.map((p) => path.resolve(p)));
      const named = options.named
        ? (facts.optional('credspec.securityOpts') ?? []).flatMap((o) =>
            o.exists && o.resolvedPath && !given.has(path.resolve(o.resolvedPath)) ? [o.resolvedPath] : [],
          )
        : [];
      const all = [...paths, ...new Set(named)];
      if (all.length === 0)
        return unavailableSpecs('no credential spec to read: the file the --security-opt names does not exist');
      const { documents, errors } = await readCredSpecFiles(all);
      return { 'credspec.documents': documents, 'credspec.readErrors': errors };
    },
  };
}

function unavailableSpecs(reason: string): ProbeOutput {
  return { 'credspec.documents': unavailable(reason), 'credspec.readErrors': unavailable(reason) };
}

export function dockerRootOptionProbe(dockerRoot: string): Probe {
  return {
    id: 'docker-root-option',
    title: "taking Docker's root directory from --docker-root",
    provides: ['docker.rootDir'],
    run: () => Promise.resolve({ 'docker.rootDir': dockerRoot }),
  };
}

/**
 * Resolves each file:// option under <DockerRootDir>\CredentialSpecs and looks whether the file is there; without
 * docker.rootDir, under `defaultRoot` (Docker's default root on a Windows host) when there is one.
 */
export function securityOptsProbe(options: readonly string[], defaultRoot?: string): Probe {
  return {
    id: 'credspec-security-opts',
    title: 'reading the --security-opt values',
    provides: ['credspec.securityOpts'],
    needs: ['docker.rootDir'],
    tolerant: true,
    async run({ facts }) {
      const root = facts.optional('docker.rootDir') ?? defaultRoot;
      const out: SecurityOptFact[] = [];
      for (const option of options) {
        const verdict = parseCredentialSpecOption(option);
        if (!root || !verdict.ok || verdict.scheme !== 'file') {
          out.push({ option });
          continue;
        }
        const resolvedPath = path.join(credentialSpecsDir(root), verdict.path);
        const exists = await stat(resolvedPath).then(
          (s) => s.isFile(),
          () => false,
        );
        out.push({ option, resolvedPath, exists });
      }
      return { 'credspec.securityOpts': out };
    },
  };
}
