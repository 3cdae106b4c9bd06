/**
 * EVTX files ([MS-EVEN6] and Joachim Metz's "Windows XML Event Log (EVTX) format"): a 4 KiB file header,
 * then 64 KiB chunks, each holding records whose event is BinXML. Pure: bytes in, records out. Reading is
 * streamed chunk by chunk through a ByteSource so memory stays flat on logs of any size.
 */
import { BinXmlError, ChunkBinXml } from './binxml.js';
import type { XmlElement } from './binxml.js';
import { crc32 } from './crc32.js';
import { toEventRecord, toXml } from './record.js';
import { fileTimeText, ValueError } from './values.js';
import type { EventRecord } from '../../facts/events.js';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
const CHUNK_HEADER_SIZE = 512;
const RECORD_HEADER_SIZE = 24;
const FILE_SIGNATURE = 'ElfFile\0';
const CHUNK_SIGNATURE = 'ElfChnk\0';
const RECORD_SIGNATURE = 0x00002a2a;

export interface FileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  majorVersion: number;
  minorVersion: number;
  chunkCount: number;
  /** Bit 0: dirty (not closed cleanly), bit 1: full. */
  flags: number;
  checksumOk: boolean;
}

export interface ChunkHeader {
  firstRecordId: number;
  lastRecordId: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  headerChecksumOk: boolean;
  recordsChecksumOk: boolean;
}

/** Something that went wrong, with where: the file reader names the chunk and the record. */
export interface EvtxWarning {
  chunk?: number;
  recordId?: number;
  /** File offset of the problem. */
  offset?: number;
  message: string;
}

export class EvtxFormatError extends Error {}

export interface ReadOptions {
  /** Also render each record as XML text (for `--dump --format xml` and the record's `xml` field). */
  xml?: boolean;
}

/** Random access to the bytes of a log: a file handle in probes, a Buffer in tests. */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export function bufferSource(bytes: Buffer): ByteSource {
  return { size: bytes.length, read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)) };
}

const u64 = (bytes: Buffer, at: number): number => Number(bytes.readBigUInt64LE(at));

export function parseFileHeader(bytes: Buffer): FileHeader {
  if (bytes.length < 128) throw new EvtxFormatError(`file header: ${bytes.length} bytes, needs 128`);
  if (bytes.toString('latin1', 0, 8) !== FILE_SIGNATURE)
    throw new EvtxFormatError('file header: no "ElfFile" signature, not an EVTX file');
  return {
    firstChunk: u64(bytes, 8),
    lastChunk: u64(bytes, 16),
    nextRecordId: u64(bytes, 24),
    minorVersion: bytes.readUInt16LE(36),
    majorVersion: bytes.readUInt16LE(38),
    chunkCount: bytes.readUInt16LE(42),
    flags: bytes.readUInt32LE(120),
    checksumOk: crc32(bytes, 0, 120) === bytes.readUInt32LE(124),
  };
}

export function isChunk(bytes: Buffer): boolean {
  return bytes.length >= CHUNK_HEADER_SIZE && bytes.toString('latin1', 0, 8) === CHUNK_SIGNATURE;
}

export function parseChunkHeader(chunk: Buffer): ChunkHeader {
  const freeSpaceOffset = chunk.readUInt32LE(48);
  const headerCrc = crc32(chunk, 128, CHUNK_HEADER_SIZE, crc32(chunk, 0, 120));
  const recordsEnd = Math.min(Math.max(freeSpaceOffset, CHUNK_HEADER_SIZE), chunk.length);
  return {
    firstRecordId: u64(chunk, 24),
    lastRecordId: u64(chunk, 32),
    lastRecordOffset: chunk.readUInt32LE(44),
    freeSpaceOffset,
    headerChecksumOk: headerCrc === chunk.readUInt32LE(124),
    recordsChecksumOk: crc32(chunk, CHUNK_HEADER_SIZE, recordsEnd) === chunk.readUInt32LE(52),
  };
}

export interface ChunkResult {
  index: number;
  records: EventRecord[];
  warnings: EvtxWarning[];
}

/** Parses every record of one chunk; a broken record becomes a warning and the next one is read. */
export function parseChunk(chunk: Buffer, index: number, fileOffset: number, options: ReadOptions = {}): ChunkResult {
  const warnings: EvtxWarning[] = [];
  const warn = (message: string, at?: number, recordId?: number): void => {
    warnings.push({ chunk: index, recordId, offset: at === undefined ? undefined : fileOffset + at, message });
  };
  const header = parseChunkHeader(chunk);
  if (!header.headerChecksumOk) warn('chunk header CRC32 does not match (the log may be damaged; records read anyway)');
  if (!header.recordsChecksumOk)
    warn('event records CRC32 does not match (the log may be damaged; records read anyway)');
  const binxml = new ChunkBinXml(chunk);
  const records: EventRecord[] = [];
  const end = Math.min(header.freeSpaceOffset, chunk.length);
  let at = CHUNK_HEADER_SIZE;
  while (at + RECORD_HEADER_SIZE <= end) {
    if (chunk.readUInt32LE(at) !== RECORD_SIGNATURE) {
      warn(`no record signature at chunk offset 0x${at.toString(16)}; rest of the chunk skipped`, at);
      break;
    }
    const size = chunk.readUInt32LE(at + 4);
    const recordId = u64(chunk, at + 8);
    if (size < RECORD_HEADER_SIZE + 4 || at + size > chunk.length) {
      warn(`record size ${size} is impossible; rest of the chunk skipped`, at, recordId);
      break;
    }
    if (chunk.readUInt32LE(at + size - 4) !== size) {
      // A torn record (Windows was writing it when the log was copied): its content cannot be trusted.
      warn('record skipped: the copy of its size at its end does not match (torn record)', at, recordId);
      at += size;
      continue;
    }
    try {
      records.push(parseRecord(binxml, chunk, at, size, recordId, options));
    } catch (error) {
      if (!(error instanceof BinXmlError || error instanceof ValueError || error instanceof RangeError)) throw error;
      warn(`record skipped: ${error.message}`, at, recordId);
    }
    at += size;
  }
  return { index, records, warnings };
}

function parseRecord(
  binxml: ChunkBinXml,
  chunk: Buffer,
  at: number,
  size: number,
  recordId: number,
  options: ReadOptions,
): EventRecord {
  const written = fileTimeText(chunk.readUInt32LE(at + 16), chunk.readUInt32LE(at + 20));
  const nodes = binxml.compileFragment(at + RECORD_HEADER_SIZE, at + size - 4);
  const event = binxml.render(nodes).find((n): n is XmlElement => typeof n !== 'string');
  if (!event) throw new BinXmlError('record holds no element', at + RECORD_HEADER_SIZE);
  const record = toEventRecord(event, recordId, written);
  if (options.xml) record.xml = toXml(event);
  return record;
}

export type EvtxItem = { kind: 'header'; header: FileHeader } | { kind: 'chunk'; chunk: ChunkResult };

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < 8; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Reads an EVTX file chunk by chunk. Every 64 KiB block after the header is tried, not only the header's
 * chunk count: Windows leaves the count stale in logs that were not closed cleanly. A block that is not a
 * chunk is skipped and named in a warning (blank, never-used blocks silently).
 */
export async function* readEvtx(source: ByteSource, options: ReadOptions = {}): AsyncGenerator<EvtxItem> {
  const headerBytes = await source.read(0, Math.min(FILE_HEADER_SIZE, source.size));
  const header = parseFileHeader(headerBytes);
  yield { kind: 'header', header };
  for (let offset = FILE_HEADER_SIZE, index = 0; offset < source.size; offset += CHUNK_SIZE, index++) {
    const bytes = await source.read(offset, Math.min(CHUNK_SIZE, source.size - offset));
    if (isBlank(bytes)) continue;
    const at = { chunk: index, offset };
    if (!isChunk(bytes)) {
      yield {
        kind: 'chunk',
        chunk: { index, records: [], warnings: [{ ...at, message: 'no "ElfChnk" signature; chunk skipped' }] },
      };
      continue;
    }
    if (bytes.length < CHUNK_SIZE) {
      yield {
        kind: 'chunk',
        chunk: {
          index,
          records: [],
          warnings: [{ ...at, message: `chunk truncated to ${bytes.length} of ${CHUNK_SIZE} bytes; skipped` }],
        },
      };
      continue;
    }
    yield { kind: 'chunk', chunk: parseChunk(bytes, index, offset, options) };
  }
}

export function describeWarning(warning: EvtxWarning): string {
  const where = [
    warning.chunk === undefined ? undefined : `chunk ${warning.chunk}`,
    warning.recordId === undefined ? undefined : `record ${warning.recordId}`,
    warning.offset === undefined ? undefined : `offset 0x${warning.offset.toString(16)}`,
  ].filter(Boolean);
  return where.length > 0 ? `${where.join(', ')}: ${warning.message}` : warning.message;
}
