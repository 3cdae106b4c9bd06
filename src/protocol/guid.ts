/**
 * GUIDs as AD stores them (objectGUID, ACE object types): 16 bytes whose first three fields are little-endian
 * ("mixed-endian"), shown as `56d9b66c-d746-4f87-bd26-26760cfdca2e`. Pure, no I/O.
 */
export class GuidError extends Error {}

const GUID_PATTERN = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

export function guidToString(bytes: Uint8Array, offset = 0): string {
  if (bytes.length < offset + 16)
    throw new GuidError(`GUID at byte ${offset}: needs 16 bytes, ${bytes.length - offset} left`);
  const hex = (from: number, to: number, reverse: boolean): string => {
    const slice = Array.from(bytes.subarray(offset + from, offset + to));
    if (reverse) slice.reverse();
    return slice.map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

export function guidToBytes(text: string): Uint8Array {
  const match = GUID_PATTERN.exec(text.trim());
  if (!match) throw new GuidError(`"${text}" is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
  const [, a, b, c, d, e] = match as unknown as [string, string, string, string, string, string];
  const bytesOf = (hex: string): number[] => hex.match(/../g)!.map((pair) => parseInt(pair, 16));
  return Uint8Array.from([
    ...bytesOf(a).reverse(),
    ...bytesOf(b).reverse(),
    ...bytesOf(c).reverse(),
    ...bytesOf(d),
    ...bytesOf(e),
  ]);
}

export function isGuid(text: string): boolean {
  return GUID_PATTERN.test(text.trim());
}

/** Lower-case, no braces: the form New-CredentialSpec writes. */
export function normalizeGuid(text: string): string {
  return guidToString(guidToBytes(text));
}
