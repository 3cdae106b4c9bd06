import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeStatus, findStatusCodes } from '../../../src/protocol/status/index.js';
import type { FoundStatusCode } from '../../../src/protocol/status/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

interface PastedLine {
  source: string;
  line: string;
  expect: { form: string; value: string; kind: string; name: string; inner?: string };
}
const PASTED: PastedLine[] = JSON.parse(readFileSync(join(FIXTURES, 'status/pasted-lines.json'), 'utf8'));

const brief = (f: FoundStatusCode) => ({
  form: f.form,
  match: f.match,
  kind: f.candidates[0]?.kind,
  name: f.candidates[0]?.name,
});

describe('findStatusCodes finds the codes in a line, with their offsets', () => {
  it.each([
    ['winapi error #3489661022', 'winapi', 'winapi error #3489661022', 'HRESULT_FROM_NT', 'STATUS_NO_LOGON_SERVERS'],
    [
      'failure in a Windows system call: Access is denied. (0x80070005)',
      'parenthesized',
      '(0x80070005)',
      'HRESULT_FROM_WIN32',
      'E_ACCESSDENIED',
    ],
    [
      'Trusted DC Connection Status Status = 1311 0x51f ERROR_NO_LOGON_SERVERS',
      'nltest',
      'Status = 1311 0x51f ERROR_NO_LOGON_SERVERS',
      'Win32',
      'ERROR_NO_LOGON_SERVERS',
    ],
    [
      'I_NetLogonControl failed: Status = 1722 0x6ba RPC_S_SERVER_UNAVAILABLE',
      'nltest',
      'Status = 1722 0x6ba RPC_S_SERVER_UNAVAILABLE',
      'Win32',
      'RPC_S_SERVER_UNAVAILABLE',
    ],
    [
      'the call failed: error 0x800706ba',
      'labelled',
      'error 0x800706ba',
      'HRESULT_FROM_WIN32',
      'RPC_S_SERVER_UNAVAILABLE',
    ],
    [
      'comment: AcceptSecurityContext error, data 52e, v4563',
      'ad-subcode',
      'data 52e',
      'AD sub-code',
      'ERROR_LOGON_FAILURE',
    ],
    [
      'NlSetStatusClientSession: NT status 0xc000005e',
      'labelled',
      'NT status 0xc000005e',
      'NTSTATUS',
      'STATUS_NO_LOGON_SERVERS',
    ],
    [
      'CoCreateInstance returned HRESULT 0x80040154',
      'labelled',
      'HRESULT 0x80040154',
      'HRESULT',
      'REGDB_E_CLASSNOTREG',
    ],
    ['Failure Code: 0x18', 'labelled', 'Failure Code: 0x18', 'Kerberos', 'KDC_ERR_PREAUTH_FAILED'],
    [
      'the KDC said KDC_ERR_C_PRINCIPAL_UNKNOWN',
      'name',
      'KDC_ERR_C_PRINCIPAL_UNKNOWN',
      'Kerberos',
      'KDC_ERR_C_PRINCIPAL_UNKNOWN',
    ],
    ['ticket rejected: KRB_AP_ERR_SKEW', 'name', 'KRB_AP_ERR_SKEW', 'Kerberos', 'KRB_AP_ERR_SKEW'],
    ['Get-ADServiceAccount : STATUS_ACCESS_DENIED', 'name', 'STATUS_ACCESS_DENIED', 'NTSTATUS', 'STATUS_ACCESS_DENIED'],
    ['process exited with code -1073741515', 'labelled', 'code -1073741515', 'NTSTATUS', 'STATUS_DLL_NOT_FOUND'],
    ['the container exited -1073741510 after stop', 'negative', '-1073741510', 'NTSTATUS', 'STATUS_CONTROL_C_EXIT'],
    ['exited with 3221225781', 'decimal', '3221225781', 'NTSTATUS', 'STATUS_DLL_NOT_FOUND'],
    ['last error 0xc0000022 seen', 'labelled', 'error 0xc0000022', 'NTSTATUS', 'STATUS_ACCESS_DENIED'],
    ['status was 0xc0000022', 'hex', '0xc0000022', 'NTSTATUS', 'STATUS_ACCESS_DENIED'],
    ['connect() failed: WSAETIMEDOUT', 'name', 'WSAETIMEDOUT', 'Win32', 'WSAETIMEDOUT'],
    [
      'kinit: KRB5KDC_ERR_PREAUTH_FAILED while getting initial credentials',
      'name',
      'KRB5KDC_ERR_PREAUTH_FAILED',
      'Kerberos',
      'KDC_ERR_PREAUTH_FAILED',
    ],
  ])('%s', (line, form, match, kind, name) => {
    const [found, ...more] = findStatusCodes(line);
    expect(more).toEqual([]);
    expect(brief(found!)).toEqual({ form, match, kind, name });
    expect(line.slice(found!.start, found!.end)).toBe(match);
  });

  it('joins the spellings of one value into one finding', () => {
    expect(findStatusCodes('klist failed with 0xc000018b/-1073741429: The SAM database').map(brief)).toEqual([
      { form: 'hex', match: '0xc000018b/-1073741429', kind: 'NTSTATUS', name: 'STATUS_NO_TRUST_SAM_ACCOUNT' },
    ]);
    expect(findStatusCodes('returned 0xC000005E STATUS_NO_LOGON_SERVERS today').map((f) => f.match)).toEqual([
      '0xC000005E STATUS_NO_LOGON_SERVERS',
    ]);
    expect(findStatusCodes('HCN error 2151350293 (0x803b0015)').map((f) => f.match)).toEqual([
      'error 2151350293 (0x803b0015)',
    ]);
    expect(findStatusCodes('(0x80070005) (0x80070005)').map((f) => f.match)).toEqual(['(0x80070005)', '(0x80070005)']);
  });

  it('keeps different codes apart, in text order', () => {
    const line =
      '[LDAP: error code 49 - 80090308: LdapErr: DSID-0C090439, comment: AcceptSecurityContext error, data 52e, v4563]';
    expect(findStatusCodes(line).map(brief)).toEqual([
      { form: 'labelled', match: 'error code 49', kind: 'LDAP', name: 'LDAP_INVALID_CREDENTIALS' },
      { form: 'ldap-diagnostic', match: '80090308: LdapErr', kind: 'HRESULT', name: 'SEC_E_INVALID_TOKEN' },
      { form: 'ad-subcode', match: 'data 52e', kind: 'AD sub-code', name: 'ERROR_LOGON_FAILURE' },
    ]);
  });

  it('reads a small number as Kerberos when the line is about Kerberos, and as LDAP when it is about LDAP', () => {
    expect(findStatusCodes('kinit: KDC reply error code 6')[0]?.candidates[0]).toMatchObject({
      kind: 'Kerberos',
      name: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
    });
    expect(findStatusCodes('LDAP bind failed: error code 8')[0]?.candidates[0]).toMatchObject({
      kind: 'LDAP',
      name: 'LDAP_STRONG_AUTH_REQUIRED',
    });
    expect(findStatusCodes('System error 5 has occurred.')[0]?.candidates[0]).toMatchObject({
      kind: 'Win32',
      name: 'ERROR_ACCESS_DENIED',
    });
    expect(findStatusCodes('error code 6', 'kerberos')[0]?.candidates[0]?.kind).toBe('Kerberos');
  });

  it('stays quiet on numbers that are not status codes', () => {
    for (const line of [
      'Current LogonId is 0:0x2587c9',
      'Logon ID: 0x3E7  Flags: 0x40e10000 -> forwardable renewable',
      'Ticket Flags 0x40e10000 -> forwardable',
      'exit code 1',
      'Sub Status:\t\t0x0',
      'Status = 0 0x0',
      'listening on port 389 with pid 1234 at 2024-04-12T19:57:41.663276900Z',
      'docker exited with code 4294967295',
      'container 1be9 started',
      'my_variable = some_other_name',
      'winapi error #489792023',
    ]) {
      expect(findStatusCodes(line).map(brief), line).toEqual(
        line.startsWith('Status = 0')
          ? [{ form: 'nltest', match: 'Status = 0 0x0', kind: 'Win32', name: 'ERROR_SUCCESS' }]
          : [],
      );
    }
  });

  it('reads a whole nltest + klist transcript (microsoft/SDN#339)', () => {
    const text = readFileSync(
      join(FIXTURES, 'host/microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt'),
      'utf8',
    );
    expect(findStatusCodes(text).map((f) => `${f.form} ${f.candidates[0]?.name}`)).toEqual([
      'nltest ERROR_NO_LOGON_SERVERS',
      'nltest ERROR_NO_LOGON_SERVERS',
      'hex STATUS_ACCESS_DENIED',
    ]);
  });
});

describe('real lines from public threads decode to the code the thread is about', () => {
  it.each(PASTED.map((p) => [p.source, p] as const))('%s', (_, pasted) => {
    const found = findStatusCodes(pasted.line);
    const want = pasted.expect;
    const hit = found.find((f) => f.form === want.form && f.value === parseInt(want.value, 16));
    expect(hit, JSON.stringify(found.map(brief))).toBeDefined();
    expect(hit!.candidates[0]).toMatchObject({ kind: want.kind, name: want.name, known: true });
    if (want.inner) expect(hit!.candidates[0]?.inner?.value).toBe(parseInt(want.inner, 16));
    expect(pasted.line.slice(hit!.start, hit!.end)).toBe(hit!.match);
    // decodeStatus on the whole line puts the same reading first.
    expect(decodeStatus(pasted.line)[0]).toMatchObject({ kind: want.kind, name: want.name });
  });
});
