import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDockerInfo, fromDockerInfoJson } from '../../../src/protocol/parsers/docker-info.js';
import { parseKlist } from '../../../src/protocol/parsers/klist.js';
import { parseNltest } from '../../../src/protocol/parsers/nltest.js';
import { parseGetAdDomain, parseTestAdServiceAccount } from '../../../src/protocol/parsers/powershell.js';
import { parseRegQuery } from '../../../src/protocol/parsers/reg.js';
import { outputOf, splitTranscript } from '../../../src/protocol/parsers/transcript.js';
import { decodeStatus, findWinapiErrors } from '../../../src/protocol/parsers/win-errors.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/host/${name}`, import.meta.url), 'utf8');

describe('nltest', () => {
  it('reads a successful /sc_verify from its status lines', () => {
    const r = parseNltest(
      outputOf(fixture('xiaoping8385-TKGi-GMSA__nltest-sc_verify-success.txt'), /sc_verify/i) ?? '',
    );
    expect(r.ok).toBe(true);
    expect(r.trustedDcName).toBe('WIN-5DF7THCD7UL.gmsaping.com');
    expect(r.flags).toEqual({ value: 'b0', names: ['HAS_IP', 'HAS_TIMESERV'] });
    expect(r.connectionStatus?.name).toBe('NERR_Success');
    expect(r.trustVerificationStatus?.code).toBe(0);
  });

  it('fails /sc_verify on ERROR_NO_LOGON_SERVERS although nltest says the command completed successfully', () => {
    const text = fixture('microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt');
    const output = outputOf(text, /^nltest \/sc_verify/i) ?? '';
    expect(output).toContain('The command completed successfully');
    const r = parseNltest(output);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 1311, hex: '0x51f', name: 'ERROR_NO_LOGON_SERVERS' });
    expect(r.error?.meaning).toMatch(/DNS/);
    expect(r.trustedDcName).toBe('');
  });

  it('reads I_NetLogonControl and parent-domain failures (RPC_S_SERVER_UNAVAILABLE)', () => {
    const query = parseNltest(fixture('kubernetes-website__configure-gmsa__nltest-query-RPC_S_SERVER_UNAVAILABLE.txt'));
    expect(query.failure).toMatchObject({
      operation: 'I_NetLogonControl',
      status: { code: 1722, name: 'RPC_S_SERVER_UNAVAILABLE' },
    });
    const parent = parseNltest(
      outputOf(
        fixture('kubernetes-website__configure-gmsa__nltest-parentdomain-RPC_S_SERVER_UNAVAILABLE.txt'),
        /parentdomain/,
      ) ?? '',
    );
    expect(parent.failure?.operation).toBe('Getting parent domain');
    expect(parent.error?.code).toBe(1722);
  });

  it('reads /query: ERROR_NO_TRUST_LSA_SECRET and NERR_Success', () => {
    const transcript = fixture('xiaoping8385-TKGi-GMSA__nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt');
    const entries = splitTranscript(transcript);
    expect(entries.map((e) => e.command)).toEqual(['whoami', 'nltest.exe /query', 'nltest /sc_reset:gmsaping.com']);
    expect(entries[0]?.output.trim()).toBe('user manager\\containeradministrator');
    expect(parseNltest(entries[1]?.output ?? '').connectionStatus).toMatchObject({
      code: 1786,
      name: 'ERROR_NO_TRUST_LSA_SECRET',
    });
    expect(parseNltest(fixture('xiaoping8385-TKGi-GMSA__nltest-query-success.txt')).ok).toBe(true);
  });

  it('reads /dsgetdc fields and /sc_reset', () => {
    const r = parseNltest(fixture('MicrosoftDocs-windows-itpro-docs__windows-10-poc__nltest-dsgetdc.txt'));
    expect(r.dsgetdc).toMatchObject({
      DC: '\\\\DC1',
      Address: '\\\\192.168.0.1',
      'Dom Name': 'CONTOSO',
      'Forest Name': 'contoso.com',
    });
    expect(r.dsgetdc?.Flags).toMatch(/^PDC GC DS LDAP KDC/);
    expect(r.ok).toBe(true);
    const reset = parseNltest(fixture('kubernetes-website__configure-gmsa__nltest-sc_reset-success.txt'));
    expect(reset).toMatchObject({ ok: true, trustedDcName: 'dc10.domain.example' });
  });
});

describe('nltest: listings and the misleading success line', () => {
  it('reads /parentdomain, /dclist and /domain_trusts listings', () => {
    expect(parseNltest('domain.local. (1)\nThe command completed successfully')).toMatchObject({
      parentDomain: 'domain.local',
      ok: true,
      completedLine: true,
    });
    const dclist = parseNltest(
      [
        "Get list of DCs in domain 'wheel' from '\\\\TARVALON'.",
        '    tarvalon.wheel.co [PDC]  [DS] Site: Default-First-Site-Name',
        'The command completed successfully',
      ].join('\n'),
    );
    expect(dclist.dcList).toEqual({
      domain: 'wheel',
      from: 'TARVALON',
      dcs: [{ name: 'tarvalon.wheel.co', flags: ['PDC', 'DS'], site: 'Default-First-Site-Name' }],
    });
    const trusts = parseNltest(
      [
        'List of domain trusts:',
        '    0: WHEEL wheel.co (NT 5) (Forest Tree Root) (Primary Domain) (Native)',
        'The command completed successfully',
      ].join('\n'),
    );
    expect(trusts.trusts).toEqual([
      {
        index: 0,
        netbiosName: 'WHEEL',
        dnsName: 'wheel.co',
        attributes: ['NT 5', 'Forest Tree Root', 'Primary Domain', 'Native'],
      },
    ]);
    expect(trusts.ok).toBe(true);
  });

  it('records the success line without letting it hide a failed status', () => {
    const r = parseNltest(
      'Flags: 0\nConnection Status = 1786 0x6fa ERROR_NO_TRUST_LSA_SECRET\nThe command completed successfully',
    );
    expect(r).toMatchObject({ completedLine: true, ok: false, error: { code: 1786 } });
  });

  it("names the failing operation after a PowerShell NativeCommandError's prefix", () => {
    expect(
      parseNltest('powershell.exe : nltest : I_NetLogonControl failed: Status = 1722 0x6ba RPC_S_SERVER_UNAVAILABLE')
        .failure?.operation,
    ).toBe('I_NetLogonControl');
  });
});

describe('klist', () => {
  it('reads a successful `klist get krbtgt`: client, server, KDC and enctypes', () => {
    const r = parseKlist(fixture('xiaoping8385-TKGi-GMSA__klist-get-krbtgt-success.txt'));
    expect(r.retrieved).toBe(true);
    expect(r.cachedTickets).toBe(2);
    expect(r.tickets).toHaveLength(2);
    expect(r.tickets[0]).toMatchObject({
      client: 'WebApp01$@GMSAPING.COM',
      server: 'krbtgt/GMSAPING.COM@GMSAPING.COM',
      encryptionType: 'AES-256-CTS-HMAC-SHA1-96',
      kdcCalled: 'WIN-5DF7THCD7UL.gmsaping.com',
    });
    expect(r.tickets[1]?.ticketFlags).toContain('initial');
  });

  it('reads the 0xc0000022 access-denied failure', () => {
    const output =
      outputOf(
        fixture('microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt'),
        /^klist get/,
      ) ?? '';
    const r = parseKlist(output);
    expect(r.retrieved).toBe(false);
    expect(r.error).toMatchObject({ code: '0xc0000022', name: 'STATUS_ACCESS_DENIED', message: '{Access Denied}' });
    expect(r.error?.api).toMatch(/GetTicket substatus/);
  });
});

describe('reg query', () => {
  it('reads CCG COMClasses and the CLSID InprocServer32 of a registered plugin', () => {
    const r = parseRegQuery(fixture('macsux-kerberos-buildpack__NOTES-reg-query-CCG-COMClasses-AKV-plugin.txt'));
    expect(r.keys.map((k) => k.path)).toEqual([
      'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{CCC2A336-D7F3-4818-A213-272B7924213E}',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{CCC2A336-D7F3-4818-A213-272B7924213E}',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{CCC2A336-D7F3-4818-A213-272B7924213E}\\InprocServer32',
    ]);
    expect(r.keys[0]?.values).toEqual([{ name: '(Default)', type: 'REG_SZ', data: '' }]);
    expect(r.keys[2]?.values[0]).toEqual({
      name: '(Default)',
      type: 'REG_SZ',
      data: 'C:\\Windows\\System32\\CCGAKVPlugin.dll',
    });
  });
});

describe('docker info', () => {
  it('reads the text output: root dir, isolation, OS build', () => {
    const info = parseDockerInfo(fixture('moby-moby-40545__docker-info-windows10-1909.txt'));
    expect(info).toMatchObject({
      serverVersion: '19.03.5',
      osType: 'windows',
      dockerRootDir: 'C:\\ProgramData\\Docker',
      defaultIsolation: 'hyperv',
      storageDriver: 'windowsfilter',
      containers: 0,
      containersRunning: 0,
      build: 18363,
      ubr: 693,
    });
  });

  it('reads the API /info JSON with the same values', () => {
    const json = JSON.parse(fixture('docker-api-info-windows10-1909.json')) as unknown;
    expect(fromDockerInfoJson(json)).toEqual(
      parseDockerInfo(fixture('moby-moby-40545__docker-info-windows10-1909.txt')),
    );
  });
});

describe('PowerShell', () => {
  it('reads Get-ADDomain list output', () => {
    const d = parseGetAdDomain(fixture('xiaoping8385-TKGi-GMSA__Get-ADDomain-gmsaping.txt'));
    expect(d).toMatchObject({
      dnsRoot: 'gmsaping.com',
      netbiosName: 'GMSAPING',
      domainSid: 'S-1-5-21-922537405-2102905723-2121843970',
      objectGuid: 'bae5a583-612f-4e8a-9b69-9df1c5c9b81a',
    });
  });

  it('reads Test-ADServiceAccount answers and a missing AD module', () => {
    expect(parseTestAdServiceAccount('True\r\n').result).toBe(true);
    expect(parseTestAdServiceAccount('False\n').result).toBe(false);
    const missing = parseTestAdServiceAccount(
      "Test-ADServiceAccount : The term 'Test-ADServiceAccount' is not recognized as the name of a cmdlet, function, script file, or operable program.",
    );
    expect(missing).toMatchObject({ moduleMissing: true });
    expect(missing.result).toBeUndefined();
  });
});

describe('status codes', () => {
  it('decodes hcs "winapi error #N" to NTSTATUS names', () => {
    const [e] = findWinapiErrors(
      'container 1be9 encountered an error during hcsshim::System::Start: failure in a Windows system call: winapi error #3221356567',
    );
    expect(e).toMatchObject({
      number: 3221356567,
      hex: '0xC0020017',
      name: 'RPC_NT_SERVER_UNAVAILABLE',
      kind: 'ntstatus',
    });
  });

  it('decodes Win32 errors, NTSTATUS and HRESULT_FROM_WIN32', () => {
    expect(decodeStatus(1787)?.name).toBe('ERROR_NO_TRUST_SAM_ACCOUNT');
    expect(decodeStatus(-1073741790)?.name).toBe('STATUS_ACCESS_DENIED');
    expect(decodeStatus(0x800706ba)?.name).toBe('RPC_S_SERVER_UNAVAILABLE');
    expect(decodeStatus(0x12345678)).toBeUndefined();
  });
});
