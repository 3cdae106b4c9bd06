import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, findingsOf, flatStore } from '../../helpers/checks.js';
import { KRB_ERROR_NAMES } from '../../../src/protocol/kerberos.js';
import { parseDockerInspect } from '../../../src/protocol/parsers/docker-inspect.js';
import { parseKlist } from '../../../src/protocol/parsers/klist.js';
import { parseNltest } from '../../../src/protocol/parsers/nltest.js';
import { decodeStatus, findWinapiErrors, WIN32_ERRORS } from '../../../src/protocol/parsers/win-errors.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const PASTED: { source: string; line: string }[] = JSON.parse(
  readFileSync(join(FIXTURES, 'status/pasted-lines.json'), 'utf8'),
);
const line = (source: string, containing: string) =>
  PASTED.find((p) => p.source === source && p.line.includes(containing))!.line;

/** The real inspect document of tfenster/td19-workshop, as a gMSA container that failed to start with `error`. */
function failedContainer(error: string) {
  const [inspect] = JSON.parse(
    readFileSync(join(FIXTURES, 'host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'), 'utf8'),
  ) as Record<string, Record<string, unknown>>[];
  inspect!.State = { ...inspect!.State, Running: false, Status: 'created', Error: error };
  inspect!.HostConfig = { ...inspect!.HostConfig, SecurityOpt: ['credentialspec=file://webapp01.json'] };
  return parseDockerInspect(JSON.stringify([inspect]), 'inspect.json').containers;
}

function startError(error: string) {
  const [inspect] = failedContainer(error);
  return findingsOf(
    [check('container/start-error')],
    flatStore({ 'container.inspect': { status: 'ok', value: inspect } }),
  ).find((f) => f.id === 'container/start-error');
}

describe('win-errors keeps its API and decodes through the status tables', () => {
  it('decodes HCS "winapi error #N" when N is HRESULT_FROM_NT (the real numbers)', () => {
    expect(findWinapiErrors('hcs::CreateComputeSystem 1be9: winapi error #3489661022')).toEqual([
      expect.objectContaining({
        number: 3489661022,
        hex: '0xD000005E',
        name: 'STATUS_NO_LOGON_SERVERS',
        kind: 'hresult',
        meaning: expect.stringMatching(/domain controller/) as unknown,
      }),
    ]);
    expect(findWinapiErrors(line('microsoft/Windows-Containers#221', 'winapi'))).toEqual([
      expect.objectContaining({ number: 3489792023, name: 'RPC_NT_SERVER_UNAVAILABLE' }),
    ]);
  });

  it("decodes (0x...) codes too, as docker inspect's State.Error carries them", () => {
    expect(findWinapiErrors(line('microsoft/hcsshim#598', '0xc0370106'))).toEqual([
      expect.objectContaining({ hex: '0xC0370106', name: 'ERROR_VMCOMPUTE_UNEXPECTED_EXIT', kind: 'ntstatus' }),
    ]);
    expect(findWinapiErrors(line('docker/docs#9870', '0x52e'))).toEqual([
      expect.objectContaining({ number: 0x52e, name: 'ERROR_LOGON_FAILURE', kind: 'win32' }),
    ]);
    expect(findWinapiErrors('failure in a Windows system call: Access is denied. (0x80070005)')).toEqual([
      expect.objectContaining({ hex: '0x80070005', name: 'E_ACCESSDENIED', kind: 'hresult' }),
    ]);
  });

  it('container/start-error names the decoded status of a real State.Error', () => {
    const rpc = startError(line('microsoft/Windows-Containers#221', 'winapi'));
    expect(rpc?.severity).toBe('error');
    expect(rpc?.message).toContain('0xD0020017 RPC_NT_SERVER_UNAVAILABLE');
    expect(startError(line('microsoft/hcsshim#917', '0xc0370106'))?.message).toContain(
      '0xC0370106 ERROR_VMCOMPUTE_UNEXPECTED_EXIT (Not a gMSA failure',
    );
    expect(
      startError('hcsshim::CreateComputeSystem web: The RPC server is unavailable. (0xc0020017)')?.message,
    ).toContain('RPC_NT_SERVER_UNAVAILABLE');
  });

  it('decodeStatus(number) reads every Windows kind', () => {
    expect(decodeStatus(0xd000005e)).toMatchObject({
      name: 'STATUS_NO_LOGON_SERVERS',
      kind: 'hresult',
      hex: '0xD000005E',
    });
    expect(decodeStatus(1787)).toMatchObject({ name: 'ERROR_NO_TRUST_SAM_ACCOUNT', kind: 'win32', hex: '0x6fb' });
    expect(decodeStatus(-1073741790)).toMatchObject({ name: 'STATUS_ACCESS_DENIED', kind: 'ntstatus' });
    expect(decodeStatus(0x800706ba)).toMatchObject({ name: 'RPC_S_SERVER_UNAVAILABLE', kind: 'hresult' });
    expect(decodeStatus(0x803b002e)).toMatchObject({ name: 'HCN_E_NAMESPACE_ATTACH_FAILED', kind: 'hresult' });
    expect(decodeStatus(0x12345678)).toBeUndefined();
  });

  it("the parsers that import it get the table's names and meanings", () => {
    expect(WIN32_ERRORS[1311]?.name).toBe('ERROR_NO_LOGON_SERVERS');
    const nltest = parseNltest('Trusted DC Connection Status Status = 1311 0x51f ERROR_NO_LOGON_SERVERS');
    expect(nltest.error?.meaning).toMatch(/No domain controller answered/);
    const klist = parseKlist(
      'klist failed with 0xc000018b/-1073741429: The SAM database on the Windows Server does not have a computer account',
    );
    expect(klist.error).toMatchObject({ code: '0xc000018b', name: 'STATUS_NO_TRUST_SAM_ACCOUNT' });
    expect(KRB_ERROR_NAMES[25]).toBe('KDC_ERR_PREAUTH_REQUIRED');
    expect(KRB_ERROR_NAMES[44]).toBe('KRB_AP_ERR_BADKEYVER');
  });
});
