import { candidatesInText } from './find.js';
import { decodeAdSubcode, decodeName, decodeNumber } from './interpret.js';
import type { StatusCandidate, StatusHint } from './types.js';

/** The longest input read as one code; longer text is searched with findStatusCodes instead. */
const MAX_TOKEN = 200;

const HEX = /^(?:0x)?([0-9a-f]{1,8})h?$/i;
const DECIMAL = /^#?(-?\d{1,10})$/;
const DATA = /^data\s+([0-9a-f]{1,8})$/i;
const NAME = /^(?:[A-Z][A-Z0-9]{0,15}_[A-Z0-9_]{1,80}|WSA[A-Z]{4,20})$/i;
const WRAPPING = /^[\s"'`([{<]+|[\s"'`)\]}>.,;:]+$/g;

function decodeToken(token: string, hint: StatusHint | undefined): StatusCandidate[] | undefined {
  const data = DATA.exec(token);
  if (data?.[1]) return decodeAdSubcode(parseInt(data[1], 16));
  const decimal = DECIMAL.exec(token);
  if (decimal?.[1]) {
    const asDecimal = decodeNumber(Number(decimal[1]), hint);
    // Eight digits without 0x are mostly an HRESULT copied without its prefix (80070005), rarely a decimal.
    if (decimal[1].length !== 8) return asDecimal;
    const asHex = decodeNumber(parseInt(decimal[1], 16), hint);
    return [...asHex.filter((c) => c.known), ...asDecimal.filter((c) => c.known), ...asHex.filter((c) => !c.known)];
  }
  const hex = HEX.exec(token);
  if (hex?.[1] && (/^0x/i.test(token) || /[a-f]/i.test(hex[1]))) return decodeNumber(parseInt(hex[1], 16), hint);
  if (NAME.test(token)) return decodeName(token);
  return undefined;
}

/**
 * Decodes a status code in any form users paste: a number (decimal, hex with or without 0x, negative 32-bit, after
 * "#"), a symbolic name, "data 52e", or a text that contains codes ("winapi error #3489661022", an AD bind message).
 * Returns the interpretations, most likely first; none when nothing in the input reads as a status code.
 */
export function decodeStatus(input: string | number, hint?: StatusHint): StatusCandidate[] {
  if (typeof input === 'number') return decodeNumber(input, hint);
  const token = input.length <= MAX_TOKEN ? input.replace(WRAPPING, '') : '';
  const direct = token ? decodeToken(token, hint) : undefined;
  if (direct) return direct;
  return candidatesInText(input, hint);
}
