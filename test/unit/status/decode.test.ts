import { describe, expect, it } from 'vitest';
import { decodeStatus } from '../../../src/protocol/status/index.js';
import type { StatusCandidate } from '../../../src/protocol/status/index.js';

const first = (input: string | number, hint?: Parameters<typeof decodeStatus>[1]): StatusCandidate | undefined =>
  decodeStatus(input, hint)[0];
const summary = (c: StatusCandidate | undefined) => c && { kind: c.kind, hex: c.hex, name: c.name, known: c.known };

describe('decodeStatus reads a code in every form users paste', () => {
  it.each([
    ['decimal HRESULT_FROM_NT', '3489661022'],
    ['after #', '#3489661022'],
    ['hcsshim text', 'winapi error #3489661022'],
    ['hex', '0xD000005E'],
    ['hex without 0x', 'D000005E'],
    ['number', 3489661022],
  ])('%s: HRESULT_FROM_NT 0xD000005E wraps STATUS_NO_LOGON_SERVERS', (_, input) => {
    const c = first(input);
    expect(summary(c)).toEqual({
      kind: 'HRESULT_FROM_NT',
      hex: '0xD000005E',
      name: 'STATUS_NO_LOGON_SERVERS',
      known: true,
    });
    expect(summary(c?.inner)).toEqual({
      kind: 'NTSTATUS',
      hex: '0xC000005E',
      name: 'STATUS_NO_LOGON_SERVERS',
      known: true,
    });
    expect(c?.meaning).toMatch(/domain controller/);
  });

  it.each([
    ['0xC0020017', 'NTSTATUS', 'RPC_NT_SERVER_UNAVAILABLE'],
    ['C0020017', 'NTSTATUS', 'RPC_NT_SERVER_UNAVAILABLE'],
    ['-1073741730', 'NTSTATUS', 'STATUS_NO_LOGON_SERVERS'],
    ['(0xC000015B)', 'NTSTATUS', 'STATUS_LOGON_TYPE_NOT_GRANTED'],
    ['0x6fb', 'Win32', 'ERROR_NO_TRUST_SAM_ACCOUNT'],
    ['1787', 'Win32', 'ERROR_NO_TRUST_SAM_ACCOUNT'],
    ['0xc0370106', 'HCS', 'ERROR_VMCOMPUTE_UNEXPECTED_EXIT'],
    ['0x80370101', 'HCS', 'HCS_E_IMAGE_MISMATCH'],
    ['0x803b0015', 'HCN', 'HCN_E_REQUEST_UNSUPPORTED'],
    ['2151350293', 'HCN', 'HCN_E_REQUEST_UNSUPPORTED'],
    ['0x8009030C', 'HRESULT', 'SEC_E_LOGON_DENIED'],
    ['0x80040154', 'HRESULT', 'REGDB_E_CLASSNOTREG'],
  ])('%s is %s %s', (input, kind, name) => {
    expect(first(input)).toMatchObject({ kind, name, known: true });
  });

  it('reads HRESULT_FROM_WIN32 and decodes the Win32 code inside', () => {
    const c = first('(0x80070005)');
    expect(summary(c)).toEqual({ kind: 'HRESULT_FROM_WIN32', hex: '0x80070005', name: 'E_ACCESSDENIED', known: true });
    expect(summary(c?.inner)).toEqual({ kind: 'Win32', hex: '0x5', name: 'ERROR_ACCESS_DENIED', known: true });
    expect(c?.text).toBe('Access is denied.');
    expect(c?.meaning).toMatch(/PrincipalsAllowedToRetrieveManagedPassword/);
    expect(first('0x8007054B')?.inner?.name).toBe('ERROR_NO_SUCH_DOMAIN');
  });

  it('reads an HRESULT pasted without 0x (eight digits) as hex', () => {
    expect(first('80070005')).toMatchObject({ kind: 'HRESULT_FROM_WIN32', name: 'E_ACCESSDENIED' });
    expect(first('80090346')).toMatchObject({ kind: 'HRESULT', name: 'SEC_E_BAD_BINDINGS' });
  });

  it.each([
    ['ERROR_NO_LOGON_SERVERS', 'Win32', 1311],
    ['STATUS_NO_LOGON_SERVERS', 'NTSTATUS', 0xc000005e],
    ['KDC_ERR_S_PRINCIPAL_UNKNOWN', 'Kerberos', 7],
    ['RPC_S_SERVER_UNAVAILABLE', 'Win32', 1722],
    ['LDAP_INVALID_CREDENTIALS', 'LDAP', 49],
    ['HCN_E_NAMESPACE_ATTACH_FAILED', 'HCN', 0x803b002e],
    ['NERR_Success', 'Win32', 0],
    ['error_no_logon_servers', 'Win32', 1311],
    ['KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN', 'Kerberos', 6],
  ])('by name: %s', (name, kind, value) => {
    expect(decodeStatus(name)).toEqual([expect.objectContaining({ kind, value, known: true })]);
  });

  it('reads AD bind sub-codes, alone or in the whole diagnostic message, the sub-code first', () => {
    expect(first('data 52e')).toMatchObject({
      kind: 'AD sub-code',
      value: 0x52e,
      name: 'ERROR_LOGON_FAILURE',
      inner: { kind: 'Win32', value: 1326 },
    });
    expect(first('data 52e')?.meaning).toMatch(/password is wrong/);
    const all = decodeStatus('80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 52e, v4563');
    expect(all.map((c) => [c.kind, c.name])).toEqual([
      ['AD sub-code', 'ERROR_LOGON_FAILURE'],
      ['HRESULT', 'SEC_E_INVALID_TOKEN'],
    ]);
    for (const [code, name] of [
      ['525', 'ERROR_NO_SUCH_USER'],
      ['530', 'ERROR_INVALID_LOGON_HOURS'],
      ['531', 'ERROR_INVALID_WORKSTATION'],
      ['532', 'ERROR_PASSWORD_EXPIRED'],
      ['533', 'ERROR_ACCOUNT_DISABLED'],
      ['701', 'ERROR_ACCOUNT_EXPIRED'],
      ['773', 'ERROR_PASSWORD_MUST_CHANGE'],
      ['775', 'ERROR_ACCOUNT_LOCKED_OUT'],
      ['80090346', 'SEC_E_BAD_BINDINGS'],
    ]) {
      expect(first(`data ${code}`), code).toMatchObject({ kind: 'AD sub-code', name, known: true });
    }
  });

  it('gives every reading of an ambiguous small number, ordered by the hint', () => {
    const kinds = (hint?: Parameters<typeof decodeStatus>[1]) =>
      decodeStatus('6', hint).map((c) => `${c.kind} ${c.name}`);
    expect(kinds()).toEqual([
      'Win32 ERROR_INVALID_HANDLE',
      'Kerberos KDC_ERR_C_PRINCIPAL_UNKNOWN',
      'LDAP LDAP_COMPARE_TRUE',
    ]);
    expect(kinds('kerberos')[0]).toBe('Kerberos KDC_ERR_C_PRINCIPAL_UNKNOWN');
    expect(kinds('ldap')[0]).toBe('LDAP LDAP_COMPARE_TRUE');
    expect(kinds('win32')[0]).toBe('Win32 ERROR_INVALID_HANDLE');
    expect(first('0x18', 'kerberos')).toMatchObject({ kind: 'Kerberos', name: 'KDC_ERR_PREAUTH_FAILED' });
    expect(first('49', 'ldap')).toMatchObject({ kind: 'LDAP', name: 'LDAP_INVALID_CREDENTIALS' });
    expect(decodeStatus('1787').map((c) => c.kind)).toEqual(['Win32']);
  });

  it('reads MIT krb5 error numbers (kinit on Linux) as the Kerberos protocol code', () => {
    expect(first(-1765328378)).toMatchObject({ kind: 'Kerberos', value: 6, name: 'KDC_ERR_C_PRINCIPAL_UNKNOWN' });
    expect(first('-1765328360')).toMatchObject({ kind: 'Kerberos', value: 24, name: 'KDC_ERR_PREAUTH_FAILED' });
  });

  it('describes a code no table names by its shape, and says it is unknown', () => {
    expect(first('0xC0FF0001')).toMatchObject({ kind: 'NTSTATUS', known: false });
    expect(first('0x803B0099')).toMatchObject({ kind: 'HRESULT', facility: 'FACILITY_USERMODE_HNS', known: false });
    expect(first('0xD0FF0001')).toMatchObject({
      kind: 'HRESULT_FROM_NT',
      known: false,
      inner: { kind: 'NTSTATUS', hex: '0xC0FF0001' },
    });
    expect(first('0x8007FFFF')).toMatchObject({
      kind: 'HRESULT_FROM_WIN32',
      known: false,
      inner: { kind: 'Win32', value: 0xffff },
    });
    expect(first('0xC0370106')?.facility).toBe('FACILITY_USERMODE_VIRTUALIZATION');
    expect(first('0x80070005')?.facility).toBe('FACILITY_WIN32');
  });

  it('returns nothing for what is not a status code, and never throws on odd input', () => {
    for (const input of [
      '',
      'hello',
      'data',
      '0x',
      '0x123456789',
      '99999999999',
      '-2147483649',
      4294967296,
      -2147483649,
      1.5,
      Number.NaN,
      '💥',
      'x'.repeat(100_000),
    ]) {
      expect(() => decodeStatus(input)).not.toThrow();
    }
    expect(decodeStatus('hello')).toEqual([]);
    expect(decodeStatus('0x123456789')).toEqual([]);
    expect(decodeStatus(4294967296)).toEqual([]);
    expect(decodeStatus(-2147483649)).toEqual([]);
    expect(decodeStatus(1.5)).toEqual([]);
    expect(first(-2147483648)).toMatchObject({ hex: '0x80000000' });
    expect(first(4294967295)).toMatchObject({ hex: '0xFFFFFFFF' });
  });
});
