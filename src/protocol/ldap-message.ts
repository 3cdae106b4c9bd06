/** The two LDAP messages (RFC 4511) the TLS probe needs: the StartTLS ExtendedRequest and its response. */
import {
  application,
  BerDecodeError,
  children,
  expectTag,
  integer,
  octetString,
  readInteger,
  readString,
  readTlv,
  UniversalTag,
  sequence,
} from './ber.js';

export const START_TLS_OID = '1.3.6.1.4.1.1466.20037';
const EXTENDED_REQUEST = 23;
const EXTENDED_RESPONSE = 24;

export function encodeStartTls(messageId: number): Uint8Array {
  // requestName is [0] IMPLICIT LDAPOID: a primitive context tag 0x80.
  return sequence(integer(messageId), application(EXTENDED_REQUEST, octetString(START_TLS_OID, 0x80)));
}

export interface LdapResult {
  messageId: number;
  resultCode: number;
  diagnosticMessage: string;
}

/** Decodes an ExtendedResponse (resultCode 0 = go ahead with the TLS handshake). Throws only BerDecodeError. */
export function decodeExtendedResponse(message: Uint8Array): LdapResult {
  const [id, op] = children(expectTag(readTlv(message), UniversalTag.sequence, 'LDAPMessage'));
  const messageId = readInteger(expectTag(id, UniversalTag.integer, 'messageID'), 'messageID');
  if (!op || op.identifier !== (0x60 | EXTENDED_RESPONSE)) {
    throw new BerDecodeError(`expected an ExtendedResponse, found tag 0x${op?.identifier.toString(16) ?? 'none'}`);
  }
  const [code, , diagnostic] = children(op);
  return {
    messageId,
    resultCode: readInteger(expectTag(code, UniversalTag.enumerated, 'resultCode'), 'resultCode'),
    diagnosticMessage: diagnostic ? readString(diagnostic) : '',
  };
}
