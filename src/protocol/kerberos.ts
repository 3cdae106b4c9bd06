/**
 * Kerberos AS-REQ (without pre-authentication) and KRB-ERROR, RFC 4120 section 5. Enough to ask a KDC
 * "do you know name$@REALM?": it answers KRB-ERROR 25 (pre-authentication required, with the account's
 * enctypes and salt in ETYPE-INFO2) for a known account, 6 for an unknown one, 18 for a disabled one, and its
 * clock (stime/susec) in every case.
 */
import {
  application,
  BerDecodeError,
  bitString32,
  children,
  contextFields,
  explicit,
  generalizedTime,
  generalString,
  integer,
  readInteger,
  readString,
  readTlv,
  sequence,
  TagClass,
  UniversalTag,
} from './ber.js';
import type { Tlv } from './ber.js';
import type { EtypeInfo2Entry, KrbError } from '../facts/network.js';
import { KERBEROS_TABLE } from './status/tables/kerberos.js';

const PVNO = 5;
const AS_REQ = 10;
const AS_REP = 11;
const KRB_ERROR = 30;
const NT_PRINCIPAL = 1;
const NT_SRV_INST = 2;
const PA_ETYPE_INFO2 = 19;
/** forwardable | renewable | canonicalize, as kinit asks. */
const KDC_OPTIONS = 0x40000000 | 0x00800000 | 0x00010000;

export const ENCTYPES: Record<number, string> = {
  1: 'des-cbc-crc',
  3: 'des-cbc-md5',
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'rc4-hmac',
  24: 'rc4-hmac-exp',
};

/** The enctypes we offer, strongest first: the KDC lists the account's keys among these. */
export const OFFERED_ENCTYPES = [18, 17, 20, 19, 23];

/** KRB-ERROR error-code names (RFC 4120 7.5.9), from the status tables. */
export const KRB_ERROR_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  KERBEROS_TABLE.map((e) => [e.value, e.name]),
);

export interface AsRequest {
  /** Client principal name without realm, e.g. `webapp01$`. */
  client: string;
  realm: string;
  nonce: number;
  /** The request's `till`; a KDC ignores it for an error answer. */
  till?: Date;
}

function principalName(type: number, parts: readonly string[]): Uint8Array {
  return sequence(explicit(0, integer(type)), explicit(1, sequence(...parts.map(generalString))));
}

export function encodeAsReq(request: AsRequest): Uint8Array {
  const realm = request.realm.toUpperCase();
  const body = sequence(
    explicit(0, bitString32(KDC_OPTIONS)),
    explicit(1, principalName(NT_PRINCIPAL, [request.client])),
    explicit(2, generalString(realm)),
    explicit(3, principalName(NT_SRV_INST, ['krbtgt', realm])),
    explicit(5, generalizedTime(request.till ?? new Date(Date.UTC(2037, 8, 13, 2, 48, 5)))),
    explicit(7, integer(request.nonce >>> 0)),
    explicit(8, sequence(...OFFERED_ENCTYPES.map(integer))),
  );
  return application(AS_REQ, sequence(explicit(1, integer(PVNO)), explicit(2, integer(AS_REQ)), explicit(4, body)));
}

/** TCP framing (RFC 4120 7.2.2): a 4-byte big-endian length before the message. */
export function frameForTcp(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 4);
  new DataView(out.buffer).setUint32(0, message.length);
  out.set(message, 4);
  return out;
}

/** The KDC issued a ticket: only when the account does not require pre-authentication. */
export interface AsReply {
  kind: 'as-rep';
}

export type KdcReply = KrbError | AsReply;

function field(fields: Map<number, Tlv>, n: number, what: string): Tlv {
  const value = fields.get(n);
  if (!value) throw new BerDecodeError(`${what}: missing`);
  return value;
}

function readPrincipal(element: Tlv): string {
  const fields = contextFields(element, 'PrincipalName');
  return children(field(fields, 1, 'PrincipalName name-string'))
    .map(readString)
    .join('/');
}

/** KerberosTime "YYYYMMDDHHMMSSZ" and microseconds to milliseconds since the epoch. */
export function parseKerberosTime(text: string, microseconds = 0): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new BerDecodeError(`KerberosTime "${text}" is not YYYYMMDDHHMMSSZ`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) + Math.floor(microseconds / 1000);
}

function readEtypeInfo2(value: Uint8Array): EtypeInfo2Entry[] {
  return children(readTlv(value)).map((entry) => {
    const fields = contextFields(entry, 'ETYPE-INFO2-ENTRY');
    const etype = readInteger(field(fields, 0, 'ETYPE-INFO2-ENTRY etype'), 'etype');
    const salt = fields.get(1);
    return { etype, name: ENCTYPES[etype] ?? `etype ${etype}`, ...(salt ? { salt: readString(salt) } : {}) };
  });
}

/** e-data of error 25 is METHOD-DATA (SEQUENCE OF PA-DATA); other errors may carry other things: ignored. */
function readMethodData(eData: Uint8Array): EtypeInfo2Entry[] {
  const outer = readTlv(eData);
  if (outer.identifier !== UniversalTag.sequence) return [];
  for (const paData of children(outer)) {
    const fields = contextFields(paData, 'PA-DATA');
    const type = readInteger(field(fields, 1, 'PA-DATA padata-type'), 'padata-type');
    if (type === PA_ETYPE_INFO2) return readEtypeInfo2(field(fields, 2, 'PA-DATA padata-value').content);
  }
  return [];
}

function decodeKrbError(body: Tlv): KrbError {
  const fields = contextFields(body, 'KRB-ERROR');
  const msgType = readInteger(field(fields, 1, 'KRB-ERROR msg-type'), 'msg-type');
  if (msgType !== KRB_ERROR) throw new BerDecodeError(`KRB-ERROR msg-type is ${msgType}, not 30`);
  const stime = readString(field(fields, 4, 'KRB-ERROR stime'));
  const susec = readInteger(field(fields, 5, 'KRB-ERROR susec'), 'susec');
  const code = readInteger(field(fields, 6, 'KRB-ERROR error-code'), 'error-code');
  const serverTimeMs = parseKerberosTime(stime, susec);
  const error: KrbError = {
    kind: 'krb-error',
    code,
    name: KRB_ERROR_NAMES[code] ?? `error ${code}`,
    serverTime: new Date(serverTimeMs).toISOString(),
    serverTimeMs,
    realm: readString(field(fields, 9, 'KRB-ERROR realm')),
    serverPrincipal: readPrincipal(field(fields, 10, 'KRB-ERROR sname')),
    etypeInfo2: [],
  };
  const crealm = fields.get(7);
  if (crealm) error.clientRealm = readString(crealm);
  const cname = fields.get(8);
  if (cname) error.clientPrincipal = readPrincipal(cname);
  const eText = fields.get(11);
  if (eText) error.eText = readString(eText);
  const eData = fields.get(12);
  if (eData && eData.identifier === UniversalTag.octetString) {
    // A KDC's e-data for other errors may be anything (Windows sends KERB-ERROR-DATA): keep the error, drop the list.
    try {
      error.etypeInfo2 = readMethodData(eData.content);
    } catch (e) {
      if (!(e instanceof BerDecodeError) || code === 25) throw e;
    }
  }
  return error;
}

/** Decodes a KDC's answer (without TCP framing). Throws only BerDecodeError. */
export function decodeKdcReply(message: Uint8Array): KdcReply {
  const outer = readTlv(message);
  if (outer.tagClass !== TagClass.application)
    throw new BerDecodeError(`KDC answer starts with 0x${outer.identifier.toString(16)}, not an APPLICATION tag`);
  if (outer.tagNumber === AS_REP) return { kind: 'as-rep' };
  if (outer.tagNumber !== KRB_ERROR)
    throw new BerDecodeError(`KDC answer is APPLICATION ${outer.tagNumber}, neither AS-REP (11) nor KRB-ERROR (30)`);
  const [body] = children(outer);
  if (!body || body.identifier !== UniversalTag.sequence) throw new BerDecodeError('KRB-ERROR: body is not a SEQUENCE');
  return decodeKrbError(body);
}
