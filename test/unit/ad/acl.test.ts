import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  effectiveMask,
  evaluatePasswordRead,
  grantsPasswordRead,
  principalsWithPasswordRead,
} from '../../../src/protocol/acl.js';
import { parseSecurityDescriptor } from '../../../src/protocol/security-descriptor.js';
import type { SecurityDescriptor } from '../../../src/protocol/security-descriptor.js';

interface Vectors {
  domainSid: string;
  descriptors: { name: string; hex: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/ad/vectors.json', import.meta.url), 'utf8')) as Vectors;
const sd = (name: string): SecurityDescriptor => {
  const vector = vectors.descriptors.find((d) => d.name === name);
  if (!vector) throw new Error(`no vector ${name}`);
  return parseSecurityDescriptor(Buffer.from(vector.hex, 'hex'));
};

const GROUP = `${vectors.domainSid}-1105`;
const HOST = `${vectors.domainSid}-1106`;
const OTHER_HOST = `${vectors.domainSid}-1200`;
const WELL_KNOWN = ['S-1-1-0', 'S-1-5-2', 'S-1-5-11', 'S-1-5-15'];
const memberHost = [HOST, GROUP, ...WELL_KNOWN];

describe('password read decision', () => {
  it('allows a host through its group and names the ACE', () => {
    const decision = evaluatePasswordRead(
      sd('set-adserviceaccount: allow one group full control'),
      memberHost,
      new Map([[GROUP, 'CONTOSO\\WebApp01Hosts']]),
    );
    expect(decision.allowed).toBe(true);
    expect(decision.decidedBy).toMatchObject({
      index: 0,
      matchedSid: GROUP,
      sddl: '(A;;0xf01ff;;;CONTOSO\\WebApp01Hosts)',
    });
    expect(decision.reason).toBe(
      `ACE #1 (A;;0xf01ff;;;CONTOSO\\WebApp01Hosts) allows CONTOSO\\WebApp01Hosts (${GROUP}) 0xf01ff (full control)`,
    );
    expect(decision.allowedPrincipals).toEqual([GROUP]);
  });

  it('refuses a host that is in none of the allowed principals', () => {
    const decision = evaluatePasswordRead(sd('set-adserviceaccount: allow one group full control'), [
      OTHER_HOST,
      ...WELL_KNOWN,
    ]);
    expect(decision.allowed).toBe(false);
    expect(decision.decidedBy).toBeUndefined();
    expect(decision.reason).toBe('no ACE grants read-property to the host or to any of its groups');
  });

  it('lets a deny ACE stored first win over the group allow', () => {
    const decision = evaluatePasswordRead(sd('deny the host first, then allow its group'), memberHost);
    expect(decision.allowed).toBe(false);
    expect(decision.decidedBy).toMatchObject({ index: 0, matchedSid: HOST });
    expect(decision.reason).toMatch(
      /^ACE #1 \(D;;0xf01ff;;;S-1-5-21-[\d-]+-1106\) denies .* a deny ACE met first wins$/,
    );
    expect(decision.deniedPrincipals).toEqual([HOST]);
  });

  it('evaluates in stored order: an allow stored before the deny decides (non-canonical DACL)', () => {
    const decision = evaluatePasswordRead(sd('allow first, deny after (non-canonical)'), memberHost);
    expect(decision.allowed).toBe(true);
    expect(decision.decidedBy?.index).toBe(0);
  });

  it('grants on read-property alone, GENERIC_ALL and GENERIC_READ, not on write-property', () => {
    expect(evaluatePasswordRead(sd('read-property only'), memberHost).allowed).toBe(true);
    expect(evaluatePasswordRead(sd('generic all'), memberHost).reason).toMatch(
      /GENERIC_ALL, which includes read-property/,
    );
    expect(evaluatePasswordRead(sd('generic read'), memberHost).reason).toMatch(
      /GENERIC_READ, which includes read-property/,
    );
    expect(evaluatePasswordRead(sd('write-property only (no read)'), memberHost).allowed).toBe(false);
  });

  it('gives nobody the password through an empty DACL', () => {
    expect(evaluatePasswordRead(sd('empty DACL'), memberHost)).toMatchObject({
      allowed: false,
      reason: 'the DACL is empty: nobody may read the password',
    });
  });

  it('ignores inherit-only ACEs and honours inherited ones', () => {
    const decision = evaluatePasswordRead(sd('protected, auto-inherited, inherit flags'), [OTHER_HOST, ...WELL_KNOWN]);
    expect(decision.allowed).toBe(false);
    expect(evaluatePasswordRead(sd('protected, auto-inherited, inherit flags'), memberHost).allowed).toBe(true);
  });

  it('counts an object ACE only when it names the password attribute', () => {
    expect(evaluatePasswordRead(sd('object ACE on the password attribute'), memberHost).allowed).toBe(true);
    expect(evaluatePasswordRead(sd('object ACE on another property'), memberHost).allowed).toBe(false);
  });

  it('lets Everyone and Authenticated Users through the well-known SIDs of a computer token', () => {
    const decision = evaluatePasswordRead(sd('everyone and authenticated users'), [OTHER_HOST, ...WELL_KNOWN]);
    expect(decision.allowed).toBe(true);
    expect(decision.decidedBy?.matchedSid).toBe('S-1-1-0');
    expect(decision.reason).toContain('Everyone (S-1-1-0)');
    expect(principalsWithPasswordRead(sd('everyone and authenticated users')).allowed).toEqual(['S-1-1-0', 'S-1-5-11']);
  });

  it('treats a NULL DACL and a missing DACL as open to everyone, saying so', () => {
    const nullDacl: SecurityDescriptor = { revision: 1, control: 0x8004, dacl: null };
    expect(evaluatePasswordRead(nullDacl, [OTHER_HOST])).toMatchObject({
      allowed: true,
      reason: expect.stringContaining('NULL DACL') as string,
    });
    const noDacl: SecurityDescriptor = { revision: 1, control: 0x8000, dacl: undefined };
    expect(evaluatePasswordRead(noDacl, [OTHER_HOST]).reason).toContain('no DACL');
  });
});

describe('access masks', () => {
  it('maps generic rights with the directory service mapping', () => {
    expect(effectiveMask(0x10000000)).toBe(0xf01ff);
    expect(effectiveMask(0x80000000)).toBe(0x20094);
    expect(grantsPasswordRead(0x20028)).toBe(false);
    expect(grantsPasswordRead(0xf01ff)).toBe(true);
    expect(grantsPasswordRead(0x10)).toBe(true);
  });
});
