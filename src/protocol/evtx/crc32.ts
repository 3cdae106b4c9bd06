/** CRC-32 (IEEE 802.3, the one EVTX uses for file and chunk checksums), through zlib's native implementation. */
import { crc32 as zlibCrc32 } from 'node:zlib';

/** CRC-32 of bytes[start, end), continuing from a previous value when given. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  if (end <= start) return previous >>> 0;
  return zlibCrc32(bytes.subarray(start, end), previous) >>> 0;
}
