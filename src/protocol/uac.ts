/** userAccountControl bits ([MS-ADTS] 2.2.16) and msDS-SupportedEncryptionTypes bits ([MS-KILE] 2.2.7). Pure. */
export const UAC = {
  ACCOUNTDISABLE: 0x2,
  LOCKOUT: 0x10,
  PASSWD_NOTREQD: 0x20,
  NORMAL_ACCOUNT: 0x200,
  INTERDOMAIN_TRUST_ACCOUNT: 0x800,
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  DONT_EXPIRE_PASSWORD: 0x10000,
  TRUSTED_FOR_DELEGATION: 0x80000,
  NOT_DELEGATED: 0x100000,
  USE_DES_KEY_ONLY: 0x200000,
  DONT_REQ_PREAUTH: 0x400000,
  TRUSTED_TO_AUTH_FOR_DELEGATION: 0x1000000,
} as const;

export type UacFlag = keyof typeof UAC;

export function uacFlags(value: number): UacFlag[] {
  return (Object.keys(UAC) as UacFlag[]).filter((flag) => (value & UAC[flag]) !== 0);
}

export function uacHex(value: number): string {
  return `0x${value.toString(16).toUpperCase()}`;
}

export function describeUac(value: number): string {
  const flags = uacFlags(value);
  return `${uacHex(value)} (${flags.length ? flags.join(' | ') : 'no flags'})`;
}

/**
 * The guide's fix: `(uac -band 0x7FFFC5FF) -bor 0x1000` clears NORMAL_ACCOUNT, INTERDOMAIN_TRUST_ACCOUNT and
 * SERVER_TRUST_ACCOUNT and sets WORKSTATION_TRUST_ACCOUNT, keeping every other bit (delegation included).
 */
export function withWorkstationTrust(value: number): number {
  return ((value & 0x7fffc5ff) | UAC.WORKSTATION_TRUST_ACCOUNT) >>> 0;
}

export const ENCTYPES = {
  DES_CBC_CRC: 0x1,
  DES_CBC_MD5: 0x2,
  RC4_HMAC: 0x4,
  AES128_CTS_HMAC_SHA1_96: 0x8,
  AES256_CTS_HMAC_SHA1_96: 0x10,
} as const;

export type EncType = keyof typeof ENCTYPES;

export function encTypeNames(value: number): EncType[] {
  return (Object.keys(ENCTYPES) as EncType[]).filter((name) => (value & ENCTYPES[name]) !== 0);
}

export const AES_MASK = ENCTYPES.AES128_CTS_HMAC_SHA1_96 | ENCTYPES.AES256_CTS_HMAC_SHA1_96;
