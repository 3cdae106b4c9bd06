import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AD_BIND_SUBCODES, BY_NAME, decodeStatus, TABLES } from '../../../src/protocol/status/index.js';
import type { StatusEntry, StatusHint } from '../../../src/protocol/status/index.js';

/** name -> value, as the headers define them (see test/fixtures/status/PROVENANCE.md). */
const HEADERS = new Map(
  readFileSync(join(import.meta.dirname, '../../fixtures/status/header-defines.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [name, value] = line.split('\t');
      return [name!, parseInt(value!, 16)] as const;
    }),
);

const HEADER_TABLES = ['Win32', 'NTSTATUS', 'HRESULT', 'HCS', 'HCN', 'LDAP'] as const;
const HINT: Partial<Record<keyof typeof TABLES, StatusHint>> = {
  Kerberos: 'kerberos',
  LDAP: 'ldap',
  NTSTATUS: 'ntstatus',
  Win32: 'win32',
};
const ALL = Object.entries(TABLES) as [keyof typeof TABLES, readonly StatusEntry[]][];

describe('the status tables are well-formed', () => {
  it.each(ALL)('%s: uint32 values, well-formed names and texts, each name and value once', (_, entries) => {
    expect(entries.length).toBeGreaterThan(40);
    for (const e of entries) {
      expect(Number.isInteger(e.value) && e.value >= 0 && e.value <= 0xffffffff, e.name).toBe(true);
      expect(e.name).toMatch(/^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/);
      expect(e.text.trim().length, e.name).toBeGreaterThan(0);
      if (e.meaning !== undefined) expect(e.meaning, e.name).toMatch(/^[A-Z].{20,}[.)]$/s);
    }
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.value)).size).toBe(entries.length);
  });

  it('no name is in two tables', () => {
    const names = ALL.flatMap(([, entries]) => entries.flatMap((e) => [e.name, ...(e.aliases ?? [])]));
    expect(names.length - new Set(names).size).toBe(0);
    expect(BY_NAME.size).toBe(names.length);
  });

  it.each(HEADER_TABLES)(
    '%s: every name has the value its header defines, and the reference lists no other name',
    (kind) => {
      for (const e of TABLES[kind]) {
        for (const name of [e.name, ...(e.aliases ?? [])]) expect(HEADERS.get(name), name).toBe(e.value);
      }
    },
  );

  it("the header reference holds exactly the tables' names", () => {
    const ours = new Set(HEADER_TABLES.flatMap((kind) => TABLES[kind].flatMap((e) => [e.name, ...(e.aliases ?? [])])));
    expect([...HEADERS.keys()].filter((name) => !ours.has(name))).toEqual([]);
  });

  it('Kerberos codes are RFC 4120 / RFC 6113 error codes', () => {
    for (const e of TABLES.Kerberos) {
      expect(e.value).toBeLessThanOrEqual(93);
      expect(e.name).toMatch(/^(KDC_ERR_|KDC_ERROR_|KRB_AP_ERR_|KRB_AP_|KRB_ERR_)/);
    }
  });

  it('every AD bind sub-code is a Win32 error or an SSPI HRESULT of the tables', () => {
    for (const value of AD_BIND_SUBCODES.keys()) {
      const known = TABLES.Win32.some((e) => e.value === value) || TABLES.HRESULT.some((e) => e.value === value);
      expect(known, value.toString(16)).toBe(true);
    }
  });

  it('the codes gMSA failures produce each say what they mean for a gMSA container', () => {
    const wanted: [keyof typeof TABLES, number][] = [
      ['Win32', 5],
      ['Win32', 1311],
      ['Win32', 1317],
      ['Win32', 1326],
      ['Win32', 1331],
      ['Win32', 1355],
      ['Win32', 1385],
      ['Win32', 1398],
      ['Win32', 1722],
      ['Win32', 1786],
      ['Win32', 1787],
      ['Win32', 1789],
      ['Win32', 1909],
      ['Win32', 9003],
      ['Win32', 10060],
      ['NTSTATUS', 0xc000005e],
      ['NTSTATUS', 0xc0000022],
      ['NTSTATUS', 0xc000006d],
      ['NTSTATUS', 0xc000015b],
      ['NTSTATUS', 0xc000018b],
      ['NTSTATUS', 0xc0020017],
      ['NTSTATUS', 0xc0000133],
      ['NTSTATUS', 0xc0000371],
      ['HRESULT', 0x80090346],
      ['HRESULT', 0x8009000d],
      ['HRESULT', 0x80040154],
      ['HRESULT', 0x80080005],
      ['HRESULT', 0x80090325],
      ['HCS', 0xc0370106],
      ['HCS', 0xc0370101],
      ['HCN', 0x803b0015],
      ['HCN', 0x803b002e],
      ['Kerberos', 6],
      ['Kerberos', 7],
      ['Kerberos', 14],
      ['Kerberos', 18],
      ['Kerberos', 24],
      ['Kerberos', 37],
      ['LDAP', 8],
      ['LDAP', 49],
    ];
    for (const [kind, value] of wanted) {
      const entry = TABLES[kind].find((e) => e.value === value);
      expect(entry?.meaning, `${kind} 0x${value.toString(16)}`).toBeTruthy();
    }
  });
});

describe('every name decodes to its value and every value to its name', () => {
  const rows = ALL.flatMap(([kind, entries]) => entries.map((e) => [kind, e] as const));
  it.each(rows.map(([kind, e]) => [`${kind} ${e.name}`, kind, e] as const))('%s', (_, kind, entry) => {
    const byName = decodeStatus(entry.name);
    expect(byName.length, entry.name).toBeGreaterThan(0);
    expect(byName.every((c) => c.value === entry.value || c.inner?.value === entry.value)).toBe(true);
    const byValue = decodeStatus(entry.value, HINT[kind]);
    expect(
      byValue.some((c) => c.name === entry.name && c.known),
      `0x${entry.value.toString(16)}`,
    ).toBe(true);
  });
});
