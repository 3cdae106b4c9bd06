import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BerDecodeError,
  children,
  contextFields,
  integer,
  readInteger,
  readString,
  readTlv,
} from '../../../src/protocol/ber.js';
import { decodeCldapResponse, encodeNetlogonPing } from '../../../src/protocol/cldap.js';
import { decodeKdcReply, encodeAsReq, frameForTcp } from '../../../src/protocol/kerberos.js';
import { decodeExtendedResponse, encodeStartTls } from '../../../src/protocol/ldap-message.js';
import { decodeNetlogonSamLogonResponseEx, flagNames, readCompressedName } from '../../../src/protocol/netlogon.js';
import type { KrbError } from '../../../src/facts/network.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/network/${name}`, import.meta.url)));
const LAB_DOMAIN_GUID = '7a3f6a41-6f2b-4d3e-9c1a-2b5e8f0c4d11';

function netlogonOf(file: string) {
  const answer = decodeCldapResponse(fixture(file));
  expect(answer.netlogon).toBeDefined();
  return { answer, netlogon: decodeNetlogonSamLogonResponseEx(answer.netlogon!) };
}

function krbError(file: string): KrbError {
  const reply = decodeKdcReply(fixture(file));
  if (reply.kind !== 'krb-error') throw new Error(`${file}: not a KRB-ERROR`);
  return reply;
}

describe('BER', () => {
  it('writes and reads back any safe integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (n) => {
        expect(readInteger(readTlv(integer(n)), 'n')).toBe(n);
      }),
    );
  });

  it('names the offset when an element claims more bytes than there are', () => {
    expect(() => readTlv(Uint8Array.of(0x30, 0x05, 0x01))).toThrow(/offset 0 claims 5 bytes, only 1 remain/);
  });

  it('refuses indefinite lengths', () => {
    expect(() => readTlv(Uint8Array.of(0x30, 0x80, 0x00, 0x00))).toThrow(BerDecodeError);
  });
});

describe('CLDAP ping (lab captures)', () => {
  it('decodes the DC answer: opcode, flags by name, GUID, names and sites', () => {
    const { answer, netlogon } = netlogonOf('cldap-ping-user-webapp01.bin');
    expect(answer.messageId).toBe(7);
    expect(answer.resultCode).toBe(0);
    expect(netlogon).toMatchObject({
      opcode: 23,
      opcodeName: 'LOGON_SAM_LOGON_RESPONSE_EX',
      flags: 0x13fd,
      domainGuid: LAB_DOMAIN_GUID,
      dnsForestName: 'contoso.com',
      dnsDomainName: 'contoso.com',
      dnsHostName: 'dc1.contoso.com',
      netbiosDomainName: 'CONTOSO',
      netbiosComputerName: 'DC1',
      userName: 'webapp01$',
      dcSiteName: 'Default-First-Site-Name',
      clientSiteName: 'Default-First-Site-Name',
    });
    expect(netlogon.flagNames).toEqual([
      'PDC',
      'GC',
      'LDAP',
      'DS',
      'KDC',
      'TIMESERV',
      'CLOSEST',
      'WRITABLE',
      'GOOD_TIMESERV',
      'FULL_SECRET_DOMAIN_6',
    ]);
  });

  it('says LOGON_SAM_USER_UNKNOWN_EX when the DC does not know the account', () => {
    const { netlogon } = netlogonOf('cldap-ping-user-unknown.bin');
    expect(netlogon.opcode).toBe(25);
    expect(netlogon.userName).toBe('nosuch$');
    expect(netlogon.dnsHostName).toBe('dc1.contoso.com');
  });

  it('reads a ping without User= (empty user name)', () => {
    const { netlogon } = netlogonOf('cldap-ping-no-user.bin');
    expect(netlogon.opcode).toBe(23);
    expect(netlogon.userName).toBe('');
  });

  it('encodes the filter the DC answered: DnsDomain, NtVer, User and AAC', () => {
    const request = encodeNetlogonPing({ messageId: 7, dnsDomain: 'contoso.com', user: 'webapp01$' });
    const [id, search] = children(readTlv(request));
    expect(readInteger(id!, 'id')).toBe(7);
    const fields = children(search!);
    expect(readString(fields[0]!)).toBe('');
    const terms = children(fields[6]!).map((term) => children(term).map(readString));
    expect(terms.map(([name]) => name)).toEqual(['DnsDomain', 'NtVer', 'User', 'AAC']);
    expect(terms[0]![1]).toBe('contoso.com');
    expect([...children(children(fields[6]!)[1]!)[1]!.content]).toEqual([6, 0, 0, 0]);
    expect(children(fields[7]!).map(readString)).toEqual(['Netlogon']);
  });

  it('follows compressed-name pointers and rejects a pointer loop', () => {
    // "a.b" at 0, then a name that is label "c" + pointer to 0.
    const bytes = Uint8Array.of(1, 0x61, 1, 0x62, 0, 1, 0x63, 0xc0, 0x00);
    expect(readCompressedName(bytes, 5)).toEqual({ name: 'c.a.b', next: 9 });
    const loop = Uint8Array.of(1, 0x61, 0xc0, 0x00);
    expect(() => readCompressedName(loop, 0)).toThrow(/does not point backwards/);
  });

  it('names flags from the bit values of [MS-ADTS] 6.3.1.2', () => {
    expect(flagNames(0x20000021)).toEqual(['PDC', 'KDC', 'DNS_CONTROLLER']);
  });
});

describe('Kerberos (lab captures)', () => {
  it('reads KRB-ERROR 25 with ETYPE-INFO2 (keys and salt) and the KDC clock', () => {
    const error = krbError('krb-error-25-containerhost01-etype-info2.bin');
    expect(error.code).toBe(25);
    expect(error.name).toBe('KDC_ERR_PREAUTH_REQUIRED');
    expect(error.realm).toBe('CONTOSO.COM');
    expect(error.serverPrincipal).toBe('krbtgt/CONTOSO.COM');
    expect(error.clientPrincipal).toBe('containerhost01$');
    expect(error.etypeInfo2).toEqual([
      { etype: 18, name: 'aes256-cts-hmac-sha1-96', salt: 'CONTOSO.COMhostcontainerhost01.contoso.com' },
    ]);
    expect(error.serverTime.startsWith('2026-11-26T06:24')).toBe(true);
  });

  it('reads the gMSA answer: 25 with a METHOD-DATA that has no ETYPE-INFO2 (Samba computes no gMSA keys)', () => {
    const error = krbError('krb-error-25-webapp01-gmsa.bin');
    expect(error.code).toBe(25);
    expect(error.eText).toBe('Need to use PA-ENC-TIMESTAMP/PA-PK-AS-REQ');
    expect(error.etypeInfo2).toEqual([]);
  });

  it('reads KRB-ERROR 6 for an unknown principal', () => {
    const error = krbError('krb-error-6-unknown.bin');
    expect(error.code).toBe(6);
    expect(error.name).toBe('KDC_ERR_C_PRINCIPAL_UNKNOWN');
    expect(error.clientPrincipal).toBe('nosuch$');
  });

  it('records that Samba answers 25, not 18, for the disabled disabledapp01$', () => {
    expect(krbError('krb-error-25-disabledapp01.bin').code).toBe(25);
  });

  it('encodes an AS-REQ for name$@REALM to krbtgt/REALM, without padata, offering AES and RC4', () => {
    const request = readTlv(encodeAsReq({ client: 'webapp01$', realm: 'contoso.com', nonce: 42 }));
    expect(request.identifier).toBe(0x6a);
    const kdcReq = contextFields(children(request)[0]!, 'KDC-REQ');
    expect(readInteger(kdcReq.get(1)!, 'pvno')).toBe(5);
    expect(readInteger(kdcReq.get(2)!, 'msg-type')).toBe(10);
    expect(kdcReq.has(3)).toBe(false);
    const body = contextFields(kdcReq.get(4)!, 'KDC-REQ-BODY');
    expect(children(contextFields(body.get(1)!, 'cname').get(1)!).map(readString)).toEqual(['webapp01$']);
    expect(readString(body.get(2)!)).toBe('CONTOSO.COM');
    expect(children(contextFields(body.get(3)!, 'sname').get(1)!).map(readString)).toEqual(['krbtgt', 'CONTOSO.COM']);
    expect(readInteger(body.get(7)!, 'nonce')).toBe(42);
    expect(children(body.get(8)!).map((e) => readInteger(e, 'etype'))).toEqual([18, 17, 20, 19, 23]);
  });

  it('frames a TCP message with a 4-byte big-endian length', () => {
    expect([...frameForTcp(Uint8Array.of(9, 9, 9))]).toEqual([0, 0, 0, 3, 9, 9, 9]);
  });
});

describe('StartTLS', () => {
  it('encodes the ExtendedRequest with the StartTLS OID and reads a response', () => {
    const request = readTlv(encodeStartTls(1));
    const [, op] = children(request);
    expect(op!.identifier).toBe(0x77);
    expect(readString(children(op!)[0]!)).toBe('1.3.6.1.4.1.1466.20037');
    // ExtendedResponse: messageID 1, resultCode 2 (protocolError), matchedDN "", diagnostic "no".
    const response = Uint8Array.of(
      0x30,
      0x0e,
      0x02,
      0x01,
      0x01,
      0x78,
      0x09,
      0x0a,
      0x01,
      0x02,
      0x04,
      0x00,
      0x04,
      0x02,
      0x6e,
      0x6f,
    );
    expect(decodeExtendedResponse(response)).toEqual({ messageId: 1, resultCode: 2, diagnosticMessage: 'no' });
  });
});

/** The decoders' contract: any input ends in a value or a BerDecodeError, nothing else, and quickly. */
function neverThrowsOtherwise(decode: (bytes: Uint8Array) => unknown, seeds: Uint8Array[]) {
  const mutated = fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.nat(),
    )
    .map(([seed, edits, cut]) => {
      const copy = seed.slice(0, seed.length - (cut % 4 === 0 ? cut % seed.length : 0));
      for (const [at, value] of edits) if (copy.length > 0) copy[at % copy.length] = value;
      return copy;
    });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (bytes) => {
      try {
        decode(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(BerDecodeError);
      }
    }),
    { numRuns: 3000 },
  );
}

describe('decoders under fuzzing', () => {
  const pings = ['cldap-ping-user-webapp01.bin', 'cldap-ping-user-unknown.bin', 'cldap-ping-no-user.bin'].map(fixture);
  const kdc = [
    'krb-error-25-containerhost01-etype-info2.bin',
    'krb-error-25-webapp01-gmsa.bin',
    'krb-error-6-unknown.bin',
  ].map(fixture);

  it('CLDAP answer + netlogon structure', () => {
    neverThrowsOtherwise((bytes) => {
      const answer = decodeCldapResponse(bytes);
      if (answer.netlogon) decodeNetlogonSamLogonResponseEx(answer.netlogon);
    }, pings);
  });

  it('netlogon structure alone', () => {
    neverThrowsOtherwise(
      decodeNetlogonSamLogonResponseEx,
      pings.map((p) => decodeCldapResponse(p).netlogon!),
    );
  });

  it('KDC reply', () => {
    neverThrowsOtherwise(decodeKdcReply, kdc);
  });
});
