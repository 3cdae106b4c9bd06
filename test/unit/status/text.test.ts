import { describe, expect, it } from 'vitest';
import { findStatusByText } from '../../../src/protocol/status/index.js';

describe('findStatusByText: a status named by the message text a program printed without its code', () => {
  it.each([
    // Use-ServiceAccount (beatcracker/Powershell-Misc#3), Install-ADServiceAccount (rapid7/metasploit-framework#20401)
    [
      '{Access Denied} A process has requested access to an object, but has not been granted those access rights.',
      'STATUS_ACCESS_DENIED',
    ],
    // A CCG event 8's error reason (Azure/AKS#3849)
    [
      'Error reason: The attempted logon is invalid. This is either due to a bad username or authentication information.',
      'STATUS_LOGON_FAILURE',
    ],
    // hcs::CreateComputeSystem (antrea-io/antrea#2774)
    ['hcs::CreateComputeSystem ping-test2: The directory name is invalid.: unknown', 'ERROR_DIRECTORY'],
    // credential spec read error (microsoft/nav-docker#103)
    [
      'open C:\\ProgramData\\docker\\CredentialSpecs\\navwithsqlserver.json: The system cannot find the file specified.',
      'ERROR_FILE_NOT_FOUND',
    ],
  ])('%s', (message, name) => {
    expect(findStatusByText(message)?.entry.name).toBe(name);
  });

  it('prefers the kind the caller expects where tables share a text', () => {
    expect(findStatusByText('The RPC server is unavailable.')?.kind).toBe('Win32');
    expect(findStatusByText('The RPC server is unavailable.', 'NTSTATUS')?.entry.name).toBe(
      'RPC_NT_SERVER_UNAVAILABLE',
    );
  });

  it('names nothing for text no table holds, nor for short or success texts', () => {
    expect(
      findStatusByText('Successfully assigned kube-system/antrea-agent-windows-qltmw to win-qro2gob0p8t'),
    ).toBeUndefined();
    expect(findStatusByText('The operation completed successfully.')).toBeUndefined();
    expect(findStatusByText('Failed.')).toBeUndefined();
  });
});
