/**
 * Windows status codes that gMSA troubleshooting meets: Win32 errors (what nltest prints), NTSTATUS values
 * (what klist and the HCS print, the latter as "winapi error #<decimal>") and HRESULTs wrapping either.
 */
export interface StatusName {
  name: string;
  /** What it means for a container that uses a gMSA. */
  meaning: string;
}

export const WIN32_ERRORS: Readonly<Record<number, StatusName>> = {
  0: { name: 'NERR_Success', meaning: 'success' },
  5: { name: 'ERROR_ACCESS_DENIED', meaning: 'access denied' },
  53: { name: 'ERROR_BAD_NETPATH', meaning: 'the network path was not found' },
  1212: { name: 'ERROR_INVALID_DOMAINNAME', meaning: 'the domain name is not valid' },
  1311: {
    name: 'ERROR_NO_LOGON_SERVERS',
    meaning: 'no domain controller could be found or reached (usually DNS: the domain does not resolve)',
  },
  1326: { name: 'ERROR_LOGON_FAILURE', meaning: 'unknown user name or bad password' },
  1355: { name: 'ERROR_NO_SUCH_DOMAIN', meaning: 'the domain could not be contacted or does not exist (DNS)' },
  1398: { name: 'ERROR_TIME_SKEW', meaning: 'the clocks of this machine and the domain controller differ too much' },
  1722: {
    name: 'RPC_S_SERVER_UNAVAILABLE',
    meaning: 'Netlogon has no domain identity to use: in a container, the credential spec was not applied',
  },
  1786: {
    name: 'ERROR_NO_TRUST_LSA_SECRET',
    meaning: 'there is no machine (gMSA) secret: the container runs without a gMSA identity',
  },
  1787: {
    name: 'ERROR_NO_TRUST_SAM_ACCOUNT',
    meaning:
      'the domain controller has no usable trust account for this identity: for a gMSA, typically userAccountControl lacks WORKSTATION_TRUST_ACCOUNT (0x1000)',
  },
  1788: { name: 'ERROR_TRUSTED_DOMAIN_FAILURE', meaning: 'the trust between the primary domain and the trusted domain failed' },
  1789: {
    name: 'ERROR_TRUSTED_RELATIONSHIP_FAILURE',
    meaning: 'the trust relationship between this workstation and the primary domain failed',
  },
  1790: { name: 'ERROR_TRUST_FAILURE', meaning: 'the network logon failed' },
  1810: { name: 'ERROR_DOMAIN_TRUST_INCONSISTENT', meaning: 'the name or SID of the domain is inconsistent with the trust information' },
};

export const NTSTATUS: Readonly<Record<number, StatusName>> = {
  0x00000000: { name: 'STATUS_SUCCESS', meaning: 'success' },
  0xc0000022: { name: 'STATUS_ACCESS_DENIED', meaning: 'access denied' },
  0xc000005e: { name: 'STATUS_NO_LOGON_SERVERS', meaning: 'no domain controller is available to service the logon request' },
  0xc0000064: { name: 'STATUS_NO_SUCH_USER', meaning: 'the account does not exist' },
  0xc000006d: { name: 'STATUS_LOGON_FAILURE', meaning: 'unknown user name or bad password' },
  0xc0000072: { name: 'STATUS_ACCOUNT_DISABLED', meaning: 'the account is disabled' },
  0xc00000df: { name: 'STATUS_NO_SUCH_DOMAIN', meaning: 'the domain does not exist or could not be contacted' },
  0xc0000133: { name: 'STATUS_TIME_DIFFERENCE_AT_DC', meaning: 'the clock differs too much from the domain controller\'s' },
  0xc000018a: { name: 'STATUS_NO_TRUST_LSA_SECRET', meaning: 'there is no machine (gMSA) secret' },
  0xc000018b: { name: 'STATUS_NO_TRUST_SAM_ACCOUNT', meaning: 'the domain controller has no usable trust account for this identity' },
  0xc000018c: { name: 'STATUS_TRUSTED_DOMAIN_FAILURE', meaning: 'the trust relationship failed' },
  0xc0000192: { name: 'STATUS_NETLOGON_NOT_STARTED', meaning: 'the Netlogon service is not running' },
  0xc0000234: { name: 'STATUS_ACCOUNT_LOCKED_OUT', meaning: 'the account is locked out' },
  0xc0020017: { name: 'RPC_NT_SERVER_UNAVAILABLE', meaning: 'the RPC server is unavailable' },
};

export interface DecodedStatus extends StatusName {
  /** e.g. 0xC0020017 */
  hex: string;
  kind: 'win32' | 'ntstatus' | 'hresult';
}

export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** Decodes a status of any of the three kinds; negative numbers are read as their unsigned 32-bit value. */
export function decodeStatus(value: number): DecodedStatus | undefined {
  const unsigned = value >>> 0;
  if (unsigned < 0x10000) {
    const win32 = WIN32_ERRORS[unsigned];
    return win32 ? { ...win32, hex: `0x${unsigned.toString(16)}`, kind: 'win32' } : undefined;
  }
  const nt = NTSTATUS[unsigned];
  if (nt) return { ...nt, hex: hex32(unsigned), kind: 'ntstatus' };
  // HRESULT_FROM_WIN32: 0x8007xxxx wraps a Win32 error.
  if (unsigned >>> 16 === 0x8007) {
    const win32 = WIN32_ERRORS[unsigned & 0xffff];
    if (win32) return { ...win32, hex: hex32(unsigned), kind: 'hresult' };
  }
  return undefined;
}

export interface WinapiError extends Partial<DecodedStatus> {
  /** The number as printed, decimal. */
  number: number;
  hex: string;
}

/**
 * Finds the "winapi error #N" numbers that the HCS (hcsshim) puts in container start errors, decoded to their
 * NTSTATUS or Win32 names where known, e.g. #3221356567 -> 0xC0020017 RPC_NT_SERVER_UNAVAILABLE.
 */
export function findWinapiErrors(text: string): WinapiError[] {
  const found: WinapiError[] = [];
  for (const match of text.matchAll(/winapi error #(-?\d+)/gi)) {
    const number = Number(match[1]);
    const decoded = decodeStatus(number);
    found.push({ ...decoded, number, hex: decoded?.hex ?? hex32(number) });
  }
  return found;
}
