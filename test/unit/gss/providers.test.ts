import { describe, expect, it } from 'vitest';
import { FactStore } from '../../../src/engine/facts.js';
import { candidates, firstThatLoads, IntegratedAuthUnavailable } from '../../../src/probes/gss/index.js';
import type { SecurityContextProvider } from '../../../src/probes/gss/index.js';
import { describeSspiStatus } from '../../../src/probes/gss/sspi.js';
import { check, findingsOf } from '../../helpers/checks.js';

const notInstalled = (): Promise<SecurityContextProvider> =>
  Promise.reject(Object.assign(new Error("Cannot find package 'kerberos'"), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('choosing how to use integrated authentication', () => {
  it('tries SSPI first on Windows, the kerberos addon elsewhere', () => {
    expect(candidates('win32').map((c) => c.name)).toEqual(['SSPI through koffi', 'the kerberos addon']);
    expect(candidates('linux').map((c) => c.name)).toEqual(['the kerberos addon']);
  });

  it('takes the first provider that loads', async () => {
    const provider = { name: 'second', create: () => Promise.reject(new Error('unused')) };
    await expect(
      firstThatLoads([
        { name: 'first', load: notInstalled },
        { name: 'second', load: () => Promise.resolve(provider) },
      ]),
    ).resolves.toBe(provider);
  });

  it('without any, says what was tried and how to bind instead', async () => {
    const failure = firstThatLoads([
      { name: 'SSPI through koffi', load: () => Promise.reject(new Error('secur32.dll: cannot load')) },
      { name: 'the kerberos addon', load: notInstalled },
    ]);
    await expect(failure).rejects.toBeInstanceOf(IntegratedAuthUnavailable);
    await expect(failure).rejects.toThrow(
      /SSPI through koffi: secur32\.dll: cannot load; the kerberos addon: not installed\): bind with a user instead: --user USER@DOMAIN, the password from GMSA_DOCTOR_PASSWORD, --password-file FILE or the prompt/,
    );
  });
});

describe('account/ldap-connection when integrated authentication is unavailable', () => {
  it('is an error whose fix is a simple bind with the password from the environment, a file or the prompt', () => {
    const facts = new FactStore();
    facts.set('ad.connection', {
      dc: 'dc1.contoso.com',
      port: 636,
      transport: 'ldaps',
      bind: 'gssapi',
      ok: false,
      problem: {
        kind: 'integrated-auth-unavailable',
        detail: 'integrated (Kerberos) authentication is not available on this machine',
      },
    });
    const [finding] = findingsOf([check('account/ldap-connection')], facts);
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toMatch(/No Kerberos bind to dc1\.contoso\.com:636/);
    expect(finding?.remediation?.text).toMatch(
      /--user USER@DOMAIN.*GMSA_DOCTOR_PASSWORD, --password-file FILE or the prompt/,
    );
  });
});

describe('SSPI statuses', () => {
  it('read as the header names them, with what they mean for the bind', () => {
    expect(describeSspiStatus(0x8009030e)).toMatch(/^SEC_E_NO_CREDENTIALS: .+ \(0x8009030e\)$/);
    expect(describeSspiStatus(0x80090311 | 0)).toMatch(/^SEC_E_NO_AUTHENTICATING_AUTHORITY: /);
    expect(describeSspiStatus(0x7fff1234)).toBe('SSPI status 0x7fff1234');
  });
});
