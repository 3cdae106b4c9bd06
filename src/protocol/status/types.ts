/** One named status value of a table, as the public headers define it. */
export interface StatusEntry {
  /** The value as uint32 (negative 32-bit forms are normalised before lookup). */
  readonly value: number;
  /** The symbolic name, exactly as the header spells it. */
  readonly name: string;
  /** The header's message text ([MS-ERREF], winerror.h / ntstatus.h MessageText; RFC names for Kerberos and LDAP). */
  readonly text: string;
  /** What the code means for a container that uses a gMSA, and where to look; absent when nothing gMSA-specific is known. */
  readonly meaning?: string;
  /** Other names the headers give the same value (NO_ERROR, NERR_Success for 0). */
  readonly aliases?: readonly string[];
}

/** Which code space an interpretation belongs to. */
export type StatusKind =
  | 'NTSTATUS'
  | 'HRESULT_FROM_NT'
  | 'HRESULT_FROM_WIN32'
  | 'HRESULT'
  | 'Win32'
  | 'HCS'
  | 'HCN'
  | 'Kerberos'
  | 'LDAP'
  | 'AD sub-code';

/** Where a caller expects the code to come from; it only reorders the candidates. */
export type StatusHint = 'kerberos' | 'ldap' | 'win32' | 'ntstatus';

/** One interpretation of a pasted code. */
export interface StatusCandidate {
  /** The value read, as uint32. */
  value: number;
  /** e.g. 0xC000005E (8 digits for 32-bit kinds, short for Win32/Kerberos/LDAP codes). */
  hex: string;
  kind: StatusKind;
  /** The facility a 32-bit value names (FACILITY_WIN32, FACILITY_USERMODE_HNS, ...), when it has one. */
  facility?: string;
  /** False when the value has the right shape but is in none of our tables. */
  known: boolean;
  name?: string;
  text?: string;
  meaning?: string;
  /** For wrappers: the code inside (HRESULT_FROM_NT 0xD000005E -> NTSTATUS 0xC000005E; 0x8007xxxx -> Win32 xxxx). */
  inner?: StatusCandidate;
}
