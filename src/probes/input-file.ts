/**
 * The one reader of the files a user hands the tool (credential specs, facts files, docker inspect output, event
 * logs, --ca, --password-file, kubeconfigs). Every read is bounded: only a regular file is read (a named pipe or a
 * device could keep the run waiting forever), and never more bytes than the limit of what it should be.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

export interface FileLimit {
  /** What the file should be, for the message: "a credential spec file". */
  what: string;
  maxBytes: number;
}

/** The size limits of every input, each far above any real file of its kind. */
export const INPUT_LIMITS = {
  /** A spec is about 1 KiB; a `helm template` output of many GMSACredentialSpec resources stays far below. */
  credspec: { what: 'credential spec file', maxBytes: 8 * MIB },
  /** `collect` output, CCG log included. */
  factsFile: { what: 'facts file', maxBytes: 64 * MIB },
  dockerInspect: { what: 'docker inspect or docker info output', maxBytes: 16 * MIB },
  /** wevtutil XML and Get-WinEvent JSON exports are read whole. */
  eventExport: { what: 'event log export (XML or JSON)', maxBytes: 128 * MIB },
  /** Events as text (Event Viewer's "Copy details as text", Format-List, a message): what a paste is read up to. */
  eventText: { what: 'text file of events', maxBytes: 16 * MIB },
  /** `events -`: standard input is read whole, whatever the log's form. */
  eventStdin: { what: 'event log on standard input', maxBytes: 128 * MIB },
  /** Binary logs are streamed; Windows keeps a log's maximum size in a 32-bit value of bytes. */
  evtx: { what: '.evtx event log', maxBytes: 4 * GIB },
  /** A system CA bundle is about 200 KiB. */
  ca: { what: 'CA certificate file', maxBytes: 1 * MIB },
  /** AD passwords are at most 256 characters (the password itself is held to 1 KiB). */
  passwordFile: { what: 'password file', maxBytes: 4 * KIB },
  /** A kubeconfig is a few KiB. */
  kubeconfig: { what: 'kubeconfig', maxBytes: 4 * MIB },
  /** Pasted evidence for `explain`: a console's scrollback, a netlogon.log, an event export as text. */
  paste: { what: 'paste', maxBytes: 16 * MIB },
} as const satisfies Record<string, FileLimit>;

export type InputFileProblem = 'missing' | 'unreadable' | 'not-a-file' | 'limit';

/** A file that cannot be read as input; the message names the file and the reason (or the limit). */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly kind: InputFileProblem,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** 8388608 → "8 MiB", 1026 → "1026 bytes". */
export function sizeText(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', GIB],
    ['MiB', MIB],
    ['KiB', KIB],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

export function overLimit(file: string, size: number, limit: FileLimit): InputFileError {
  return new InputFileError(
    file,
    'limit',
    `${size} bytes, over the ${sizeText(limit.maxBytes)} limit of a ${limit.what}: refused`,
  );
}

function notRegular(file: string, stats: Stats): InputFileError | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return new InputFileError(file, 'not-a-file', 'a folder, not a file');
  const what = stats.isFIFO()
    ? 'a named pipe (FIFO)'
    : stats.isSocket()
      ? 'a socket'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : 'not a regular file';
  return new InputFileError(file, 'not-a-file', `${what}, not a regular file: refused, as reading it may never end`);
}

function fromErrno(file: string, error: unknown): InputFileError {
  if (error instanceof InputFileError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputFileError(file, 'missing', 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return new InputFileError(file, 'unreadable', 'permission denied');
  if (code === 'EISDIR') return new InputFileError(file, 'not-a-file', 'a folder, not a file');
  if (code === 'ELOOP') return new InputFileError(file, 'unreadable', 'a symbolic link loop');
  return new InputFileError(file, 'unreadable', code ?? (error instanceof Error ? error.message : String(error)));
}

/** Opening a FIFO without O_NONBLOCK waits for a writer; with it, the open returns and fstat tells what it is. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function checked(file: string, stats: Stats, limit: FileLimit): void {
  const refused = notRegular(file, stats);
  if (refused) throw refused;
  if (stats.size > limit.maxBytes) throw overLimit(file, stats.size, limit);
}

/**
 * Reads a whole input file, refusing what is not a regular file or is over its limit. Synchronous: local files
 * read faster so than through the thread pool, and nothing here can block (a FIFO is refused before any read). It
 * reads to the end rather than trusting the size (a file may grow while it is read; /proc files say 0), one byte
 * past the limit at most; the first buffer fits the size the file claims, so a small file costs one small read.
 */
export function readInputFile(file: string, limit: FileLimit): Buffer {
  const fd = openInputFile(file, limit);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let next = fstatSync(fd).size + 1;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(next, limit.maxBytes + 1 - total));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit.maxBytes) throw overLimit(file, total, limit);
      chunks.push(chunk.subarray(0, bytesRead));
      next = 1 * MIB;
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw fromErrno(file, error);
  } finally {
    closeSync(fd);
  }
}

/** The text of an input file (UTF-8). */
export function readInputText(file: string, limit: FileLimit): string {
  return readInputFile(file, limit).toString('utf8');
}

/** A file descriptor of a regular input file within its limit, for readers that stream it (.evtx). */
export function openInputFile(file: string, limit: FileLimit): number {
  let fd: number | undefined;
  try {
    fd = openSync(file, OPEN_FLAGS);
    checked(file, fstatSync(fd), limit);
    return fd;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw fromErrno(file, error);
  }
}

/** A stream read whole, up to the limit (standard input): the bytes, or why not (the limit names the bound). */
export async function readBoundedStream(
  stream: NodeJS.ReadableStream,
  limit: FileLimit,
): Promise<{ bytes: Buffer } | { reason: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit.maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return { reason: `more than ${sizeText(limit.maxBytes)} on standard input, over the bound of a ${limit.what}` };
    }
    chunks.push(buffer);
  }
  return { bytes: Buffer.concat(chunks) };
}
