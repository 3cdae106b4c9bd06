/**
 * Credential specs written by PowerShell's Out-File are UTF-16 LE with a BOM; Set-Content and editors write
 * UTF-8, with or without a BOM. Pure: bytes in, text out.
 */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

export class DecodeError extends Error {}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

/** UTF-16 LE without a BOM: ASCII text has a zero in every second byte. */
function looksLikeUtf16Le(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return false;
  const sample = Math.min(bytes.length, 64);
  for (let i = 1; i < sample; i += 2) if (bytes[i] !== 0 || bytes[i - 1] === 0) return false;
  return true;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: utf8(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16le').decode(swapBytePairs(bytes.subarray(2))), encoding: 'utf-16be' };
  }
  if (looksLikeUtf16Le(bytes)) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  return { text: utf8(bytes), encoding: 'utf-8' };
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DecodeError('not text: neither UTF-8 nor UTF-16 (a credential spec is JSON or YAML text)');
  }
}
