/**
 * The CLDAP "LDAP ping" ([MS-ADTS] 6.3.3): an LDAP SearchRequest (RFC 4511) in one UDP datagram, base "",
 * scope base, filter (&(DnsDomain=D)(NtVer=...)[(User=name$)(AAC=...)]), attribute Netlogon. The DC answers
 * with a SearchResultEntry whose Netlogon value is a NETLOGON_SAM_LOGON_RESPONSE_EX, then SearchResultDone.
 */
import {
  application,
  BerDecodeError,
  boolean,
  children,
  contextConstructed,
  enumerated,
  expectTag,
  integer,
  octetString,
  readInteger,
  readString,
  readTlv,
  sequence,
  UniversalTag,
} from './ber.js';

/** NETLOGON_NT_VERSION_5 | NETLOGON_NT_VERSION_5EX: ask for NETLOGON_SAM_LOGON_RESPONSE_EX without the IP. */
export const NT_VERSION_5EX = 0x00000006;
/** ADS_UF_WORKSTATION_TRUST_ACCOUNT in the AAC filter: "the account in User= is a computer-like account". */
export const AAC_WORKSTATION_TRUST = 0x00000080;

const SEARCH_REQUEST = 3;
const SEARCH_RESULT_ENTRY = 4;
const SEARCH_RESULT_DONE = 5;
const FILTER_AND = 0;
const FILTER_EQUALITY = 3;

export interface NetlogonPingRequest {
  messageId: number;
  /** Without it, the DC answers for its own domain. */
  dnsDomain?: string;
  /** SAM account name (with its $) to ask about: the answer's opcode says whether the DC knows it. */
  user?: string;
  ntVersion?: number;
}

function uint32le(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
}

function equalityMatch(attribute: string, value: Uint8Array | string): Uint8Array {
  return contextConstructed(FILTER_EQUALITY, octetString(attribute), octetString(value));
}

export function encodeNetlogonPing(request: NetlogonPingRequest): Uint8Array {
  const terms = [equalityMatch('NtVer', uint32le(request.ntVersion ?? NT_VERSION_5EX))];
  if (request.dnsDomain) terms.unshift(equalityMatch('DnsDomain', request.dnsDomain));
  if (request.user)
    terms.push(equalityMatch('User', request.user), equalityMatch('AAC', uint32le(AAC_WORKSTATION_TRUST)));
  const search = application(
    SEARCH_REQUEST,
    octetString(''), // baseObject: the rootDSE
    enumerated(0), // scope: baseObject
    enumerated(0), // derefAliases: never
    integer(0), // sizeLimit
    integer(0), // timeLimit
    boolean(false), // typesOnly
    contextConstructed(FILTER_AND, ...terms),
    sequence(octetString('Netlogon')),
  );
  return sequence(integer(request.messageId), search);
}

export interface CldapResponse {
  messageId: number;
  /** The Netlogon attribute's value, when the DC sent a SearchResultEntry. */
  netlogon?: Uint8Array;
  /** LDAP resultCode of SearchResultDone, when it came (0 = success). */
  resultCode?: number;
  diagnosticMessage?: string;
}

function readEntryNetlogon(entry: ReturnType<typeof readTlv>): Uint8Array | undefined {
  const [, attributes] = children(entry);
  const list = expectTag(attributes, UniversalTag.sequence, 'SearchResultEntry attributes');
  for (const attribute of children(list)) {
    const [type, values] = children(expectTag(attribute, UniversalTag.sequence, 'PartialAttribute'));
    const name = readString(expectTag(type, UniversalTag.octetString, 'attribute type'));
    if (name.toLowerCase() !== 'netlogon') continue;
    const [first] = children(expectTag(values, UniversalTag.set, 'attribute values'));
    return first ? expectTag(first, UniversalTag.octetString, 'Netlogon value').content.slice() : undefined;
  }
  return undefined;
}

/** Decodes every LDAPMessage in one datagram (entry and done may share it). Throws only BerDecodeError. */
export function decodeCldapResponse(datagram: Uint8Array): CldapResponse {
  let messageId: number | undefined;
  const response: Partial<CldapResponse> = {};
  for (let offset = 0; offset < datagram.length;) {
    const message = expectTag(readTlv(datagram, offset), UniversalTag.sequence, 'LDAPMessage');
    offset = message.end;
    const [id, op] = children(message);
    messageId = readInteger(expectTag(id, UniversalTag.integer, 'messageID'), 'messageID');
    if (!op) throw new BerDecodeError('LDAPMessage has no protocolOp');
    if (op.identifier === (0x60 | SEARCH_RESULT_ENTRY)) {
      response.netlogon = readEntryNetlogon(op);
    } else if (op.identifier === (0x60 | SEARCH_RESULT_DONE)) {
      const [code, , diagnostic] = children(op);
      response.resultCode = readInteger(expectTag(code, UniversalTag.enumerated, 'resultCode'), 'resultCode');
      if (diagnostic) response.diagnosticMessage = readString(diagnostic);
    } else {
      throw new BerDecodeError(`unexpected LDAP operation 0x${op.identifier.toString(16)} in a CLDAP answer`);
    }
  }
  if (messageId === undefined) throw new BerDecodeError('empty CLDAP datagram');
  return { ...response, messageId };
}
