/**
 * Loads the koffi FFI (prebuilt native module, no compiler needed): from inside the single executable, where it
 * travels as an asset, or from the optional npm dependency. Only the part of its API used here is declared, so
 * that the build never needs the package.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KoffiType = object;
export type KoffiPointer = object;
type KoffiFunction = ((...args: unknown[]) => unknown) & { async?: (...args: unknown[]) => void };

export interface KoffiLibrary {
  func(convention: string, name: string, result: string | KoffiType, args: (string | KoffiType)[]): KoffiFunction;
}

export interface Koffi {
  version: string;
  load(path: string): KoffiLibrary;
  struct(name: string, members: Record<string, string | KoffiType>): KoffiType;
  pointer(type: string | KoffiType): KoffiType;
  out(type: KoffiType): KoffiType;
  inout(type: KoffiType): KoffiType;
  alloc(type: string | KoffiType, length: number): KoffiPointer;
  free(pointer: KoffiPointer): void;
  encode(pointer: KoffiPointer, type: string | KoffiType, value: unknown, length?: number): void;
  decode(pointer: KoffiPointer, type: string | KoffiType, length?: number): unknown;
  view(pointer: KoffiPointer, length: number): ArrayBuffer;
}

/** The name of the SEA asset that holds koffi.node (scripts/release/build-exe.mjs puts it there). */
export const KOFFI_ASSET = 'koffi.node';
const KOFFI_PACKAGE = 'koffi';

let loaded: Promise<Koffi> | undefined;

export function loadKoffi(): Promise<Koffi> {
  loaded ??= loadOnce();
  return loaded;
}

async function loadOnce(): Promise<Koffi> {
  const fromExe = koffiFromSingleExecutable();
  if (fromExe) return fromExe;
  const module = (await import(KOFFI_PACKAGE)) as Koffi & { default?: Koffi };
  return module.default ?? module;
}

interface SeaModule {
  isSea(): boolean;
  getRawAsset(name: string): ArrayBuffer;
}

/** True inside gmsa-doctor.exe (a Node single executable application). */
export function insideSingleExecutable(): boolean {
  return seaModule()?.isSea() ?? false;
}

// Not import(): inside a single executable built with a code cache, import() is not available.
function seaModule(): SeaModule | undefined {
  try {
    return process.getBuiltinModule('node:sea') as SeaModule | undefined;
  } catch {
    return undefined;
  }
}

/** Inside gmsa-doctor.exe: writes the asset once to a folder named by its hash, then loads it from there. */
function koffiFromSingleExecutable(): Koffi | undefined {
  const sea = seaModule();
  if (!sea?.isSea()) return undefined;
  const bytes = Buffer.from(sea.getRawAsset(KOFFI_ASSET));
  const path = extractOnce(bytes);
  const module = { exports: {} as Koffi };
  process.dlopen(module, path);
  return module.exports;
}

function extractOnce(bytes: Buffer): string {
  const digest = createHash('sha256').update(bytes).digest('hex');
  const folder = join(process.env.LOCALAPPDATA ?? tmpdir(), 'gmsa-doctor', `koffi-${digest.slice(0, 16)}`);
  const path = join(folder, KOFFI_ASSET);
  if (existsSync(path) && createHash('sha256').update(readFileSync(path)).digest('hex') === digest) return path;
  mkdirSync(folder, { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
  return path;
}
