import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guidToBytes, guidToString, isGuid, normalizeGuid } from '../../../src/protocol/guid.js';
import { parseSecurityDescriptor, SecurityDescriptorError, toSddl } from '../../../src/protocol/security-descriptor.js';
import {
  domainOfSid,
  isDomainSid,
  normalizeSid,
  ridOfSid,
  SidError,
  sidToBytes,
  sidToString,
} from '../../../src/protocol/sid.js';

interface Vectors {
  domainSid: string;
  sids: { text: string; hex: string }[];
  guids: { text: string; hex: string }[];
  descriptors: {
    name: string;
    sddl: string;
    hex: string;
    control: number;
    owner: string | null;
    group: string | null;
    dacl: { revision: number; aces: Record<string, unknown>[] } | null;
    sacl: { revision: number; aces: Record<string, unknown>[] } | null;
  }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/ad/vectors.json', import.meta.url), 'utf8')) as Vectors;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bin = (text: string): Buffer => Buffer.from(text, 'hex');

describe('SID codec against Samba golden vectors', () => {
  it.each(vectors.sids)('$text', ({ text, hex: expected }) => {
    expect(sidToString(bin(expected))).toBe(text);
    expect(hex(sidToBytes(text))).toBe(expected);
  });

  it('round-trips any SID', () => {
    const sid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 15 }),
      )
      .map(([authority, subs]) => ['S-1', authority, ...subs].join('-'));
    fc.assert(fc.property(sid, (text) => sidToString(sidToBytes(text)) === text));
  });

  it('writes authorities of 2^32 and above in hex, as Windows does', () => {
    const bytes = Uint8Array.from([1, 0, 0x01, 0, 0, 0, 0, 0]);
    expect(sidToString(bytes)).toBe('S-1-0x010000000000');
    expect(hex(sidToBytes('S-1-0x010000000000'))).toBe(hex(bytes));
  });

  it('says what is wrong with a bad SID', () => {
    expect(() => sidToBytes('S-1-5-21-abc')).toThrow(SidError);
    expect(() => sidToBytes('S-1-5-21-4294967296')).toThrow(/does not fit in 32 bits/);
    expect(() => sidToString(Uint8Array.from([1, 4, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0]))).toThrow(
      /4 sub-authorities need 24 bytes, 12 left/,
    );
    expect(() => sidToString(Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 5]))).toThrow(/revision 2/);
    expect(() => sidToString(bin(vectors.sids[0]!.hex + '00'))).toThrow(/13 bytes given, the SID uses 12/);
  });

  it('tells a domain SID from an account SID', () => {
    const domain = vectors.domainSid;
    expect(isDomainSid(domain)).toBe(true);
    expect(isDomainSid(`${domain}-1105`)).toBe(false);
    expect(domainOfSid(`${domain}-1105`)).toBe(domain);
    expect(ridOfSid(`${domain}-1105`)).toBe(1105);
    expect(normalizeSid(' s-1-5-21-1-2-3 ')).toBe('S-1-5-21-1-2-3');
  });
});

describe('GUID codec against Samba golden vectors', () => {
  it.each(vectors.guids)('$text', ({ text, hex: expected }) => {
    expect(guidToString(bin(expected))).toBe(text);
    expect(hex(guidToBytes(text))).toBe(expected);
  });

  it('round-trips any 16 bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (bytes) => hex(guidToBytes(guidToString(bytes))) === hex(bytes),
      ),
    );
  });

  it('accepts braces and upper case, and rejects what is not a GUID', () => {
    expect(normalizeGuid('{56D9B66C-D746-4F87-BD26-26760CFDCA2E}')).toBe('56d9b66c-d746-4f87-bd26-26760cfdca2e');
    expect(isGuid('{GDMA0342-266A-4D1P-831J-20990E82944F}')).toBe(false);
    expect(() => guidToBytes('56d9b66c-d746-4f87-bd26')).toThrow(/is not a GUID/);
    expect(() => guidToString(new Uint8Array(15))).toThrow(/needs 16 bytes, 15 left/);
  });
});

describe('security descriptor parser against Samba golden vectors', () => {
  it.each(vectors.descriptors)('$name', (vector) => {
    const sd = parseSecurityDescriptor(bin(vector.hex));
    expect(sd.control).toBe(vector.control);
    expect(sd.owner).toBe(vector.owner ?? undefined);
    expect(sd.group).toBe(vector.group ?? undefined);
    const aces = (sd.dacl ?? { aces: [] }).aces.map(({ type, flags, mask, sid, objectType, inheritedObjectType }) => ({
      type,
      flags,
      mask,
      sid,
      ...(objectType ? { objectType } : {}),
      ...(inheritedObjectType ? { inheritedObjectType } : {}),
    }));
    expect(aces).toEqual(vector.dacl?.aces ?? []);
    expect(sd.sacl?.aces.length ?? 0).toBe(vector.sacl?.aces.length ?? 0);
  });

  it('renders what Set-ADServiceAccount writes as SDDL with the full-control mask in hex', () => {
    const sd = parseSecurityDescriptor(bin(vectors.descriptors[0]!.hex));
    expect(toSddl(sd)).toBe(`O:BAD:(A;;0xf01ff;;;${vectors.domainSid}-1105)`);
    expect(toSddl(sd, new Map([[`${vectors.domainSid}-1105`, 'CONTOSO\\WebApp01Hosts']]))).toBe(
      'O:BAD:(A;;0xf01ff;;;CONTOSO\\WebApp01Hosts)',
    );
  });

  it('renders flags, aliases, object types and the SACL', () => {
    const byName = (name: string): Uint8Array => bin(vectors.descriptors.find((d) => d.name === name)!.hex);
    expect(toSddl(parseSecurityDescriptor(byName('protected, auto-inherited, inherit flags')))).toBe(
      `O:BAG:SYD:PAI(A;CIID;0xf01ff;;;${vectors.domainSid}-1105)(A;OICIIO;0x10;;;AU)`,
    );
    expect(toSddl(parseSecurityDescriptor(byName('object ACE with inherited object type')))).toBe(
      `O:BAD:(OD;;0x10;e362ed86-b728-0842-b27d-2dea7a9df218;bf967a86-0de6-11d0-a285-00aa003049e2;${vectors.domainSid}-1106)`,
    );
    expect(toSddl(parseSecurityDescriptor(byName('with a SACL')))).toBe(
      `O:BAG:BAD:(A;;0xf01ff;;;${vectors.domainSid}-1105)S:(AU;SA;0x20;;;WD)`,
    );
    expect(toSddl(parseSecurityDescriptor(byName('empty DACL')))).toBe('O:BAD:');
  });

  it('names the byte at fault in a damaged descriptor, for every truncation', () => {
    const whole = bin(vectors.descriptors[2]!.hex);
    for (let length = 0; length < whole.length; length++) {
      expect(() => parseSecurityDescriptor(whole.subarray(0, length))).toThrow(SecurityDescriptorError);
    }
  });

  it('never throws anything but SecurityDescriptorError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseSecurityDescriptor(bytes);
        } catch (error) {
          return error instanceof SecurityDescriptorError;
        }
        return true;
      }),
    );
  });

  it('refuses a descriptor that is not self-relative', () => {
    const bytes = bin(vectors.descriptors[0]!.hex);
    bytes[3] = 0;
    expect(() => parseSecurityDescriptor(bytes)).toThrow(/not self-relative/);
  });
});
