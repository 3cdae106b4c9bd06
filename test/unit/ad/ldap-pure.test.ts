import { InvalidCredentialsError, StrongAuthRequiredError } from 'ldapts';
import { describe, expect, it } from 'vitest';
import {
  escapeFilterValue,
  fileTimeToIso,
  generalizedTimeToIso,
  memberCreationTimes,
} from '../../../src/probes/ldap.js';
import { accountNamesInCredspecs, computerName, domainOfHostName } from '../../../src/plan/ad.js';
import { planProbes } from '../../../src/plan/plan.js';
import { adProbes, credspecProbes } from '../../../src/plan/probes.js';
import type { CheckOptions } from '../../../src/engine/options.js';
import { servicePrincipal } from '../../../src/probes/gss/kerberos-addon.js';
import { decodeBindResponse, decodeRootDseHostName, encodeSaslBind } from '../../../src/probes/ldap-sasl.js';
import { factSchema } from '../../../src/facts/index.js';
import { classifyLdapError } from '../../../src/probes/ldap-session.js';
import { describeUac, encTypeNames, uacFlags, withWorkstationTrust } from '../../../src/protocol/uac.js';

describe('classifying LDAP failures', () => {
  it('recognises strong auth required and the AD sub-code of invalidCredentials', () => {
    expect(classifyLdapError(new StrongAuthRequiredError('BindSimple: Transport encryption required.'))).toMatchObject({
      kind: 'strong-auth-required',
      resultCode: 8,
    });
    const samba = new InvalidCredentialsError(
      '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1',
    );
    expect(classifyLdapError(samba)).toMatchObject({ kind: 'invalid-credentials', resultCode: 49, dataCode: '52e' });
  });

  it('recognises socket, certificate and anonymous-read failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:636'), { code: 'ECONNREFUSED' });
    expect(classifyLdapError(refused).kind).toBe('unreachable');
    const cert = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    expect(classifyLdapError(cert).kind).toBe('tls-certificate');
    const altname = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(classifyLdapError(altname).kind).toBe('tls-certificate');
    expect(classifyLdapError(new Error('no answer within 3000 ms')).kind).toBe('timeout');
    const anonymous = Object.assign(new Error('00002020: Operation unavailable without authentication Code: 0x1'), {
      code: 1,
    });
    expect(classifyLdapError(anonymous).kind).toBe('bind-required');
  });
});

describe('AD value formats', () => {
  it('reads FILETIME and GeneralizedTime', () => {
    expect(fileTimeToIso('134401478889329560')).toBe('2026-11-26T06:24:48.932Z');
    expect(fileTimeToIso('0')).toBeUndefined();
    expect(fileTimeToIso('9223372036854775807')).toBeUndefined();
    expect(generalizedTimeToIso('20261126062448.0Z')).toBe('2026-11-26T06:24:48.000Z');
    expect(generalizedTimeToIso('garbage')).toBeUndefined();
  });

  it('reads when each member was added from msDS-ReplValueMetaData, skipping deleted values', () => {
    const value = (dn: string, created: string, deleted = '1601-01-01T00:00:00Z', attr = 'member'): string =>
      `<DS_REPL_VALUE_META_DATA>\n\t<pszAttributeName>${attr}</pszAttributeName>\n\t<pszObjectDn>${dn}</pszObjectDn>\n\t<cbData>0</cbData>\n\t<pbData></pbData>\n\t<ftimeDeleted>${deleted}</ftimeDeleted>\n\t<ftimeCreated>${created}</ftimeCreated>\n\t<dwVersion>1</dwVersion>\n</DS_REPL_VALUE_META_DATA>\n`;
    expect(
      memberCreationTimes([
        value('CN=containerhost04,OU=GmsaLab,DC=contoso,DC=com', '2026-11-26T06:24:49Z'),
        value('CN=old,DC=contoso,DC=com', '2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'),
        value('CN=x,DC=contoso,DC=com', '2020-01-01T00:00:00Z', '1601-01-01T00:00:00Z', 'msDS-Other'),
      ]),
    ).toEqual({ 'cn=containerhost04,ou=gmsalab,dc=contoso,dc=com': '2026-11-26T06:24:49.000Z' });
  });

  it('escapes filter values', () => {
    expect(escapeFilterValue('a*b(c)\\')).toBe('a\\2ab\\28c\\29\\5c');
  });
});

describe('SASL bind messages', () => {
  it('writes binary credentials as they are', () => {
    const creds = Uint8Array.of(0x60, 0x82, 0xff, 0x00, 0xc3);
    const bytes = encodeSaslBind(2, 'GSSAPI', creds);
    expect(Buffer.from(bytes).toString('hex')).toBe('301b02010260160201030400a30f0406475353415049' + '04056082ff00c3');
  });

  it('reads serverSaslCreds of a saslBindInProgress response', () => {
    // LDAPMessage { id 2, BindResponse { resultCode 14, matchedDN "", diagnostic "", serverSaslCreds [7] 0a0b } }
    const reply = Buffer.from('3010020102610b0a010e04000400' + '87020a0b', 'hex');
    expect(decodeBindResponse(reply)).toEqual({
      resultCode: 14,
      diagnosticMessage: '',
      serverSaslCreds: Uint8Array.of(0x0a, 0x0b),
    });
  });

  it('reads dnsHostName from a rootDSE search entry', () => {
    const hex = (text: string): string => Buffer.from(text).toString('hex');
    const entry = Buffer.from(
      `302b020101642604003022302004` + `0b${hex('dnsHostName')}` + `3111040f${hex('dc1.contoso.com')}`,
      'hex',
    );
    expect(decodeRootDseHostName([entry])).toBe('dc1.contoso.com');
  });
});

describe('planning helpers', () => {
  it('lists account names of credential specs, without $ and once each', () => {
    const spec = {
      DomainJoinConfig: { MachineAccountName: 'WebApp01$' },
      ActiveDirectoryConfig: {
        GroupManagedServiceAccounts: [
          { Name: 'webapp01', Scope: 'contoso.com' },
          { Name: 'LogApp', Scope: 'CONTOSO' },
          { Name: 42 },
        ],
      },
    };
    expect(accountNamesInCredspecs([spec, 'not an object', null])).toEqual(['WebApp01', 'LogApp']);
  });
  it('takes a computer name (and its domain) from a SAM name or an FQDN', () => {
    expect(computerName('containerhost01.contoso.com')).toBe('containerhost01');
    expect(computerName('containerhost01$')).toBe('containerhost01');
    expect(domainOfHostName('containerhost01.Fabrikam.com')).toBe('fabrikam.com');
    expect(domainOfHostName('containerhost01')).toBeUndefined();
  });
});

describe('userAccountControl and encryption types', () => {
  it("applies the guide's (uac -band 0x7FFFC5FF) -bor 0x1000", () => {
    expect(withWorkstationTrust(0x80200)).toBe(0x81000);
    expect(withWorkstationTrust(0x1002)).toBe(0x1002);
    expect(withWorkstationTrust(0x2000 | 0x80000)).toBe(0x81000);
    expect(uacFlags(0x80200)).toEqual(['NORMAL_ACCOUNT', 'TRUSTED_FOR_DELEGATION']);
    expect(describeUac(0x1002)).toBe('0x1002 (ACCOUNTDISABLE | WORKSTATION_TRUST_ACCOUNT)');
    expect(encTypeNames(28)).toEqual(['RC4_HMAC', 'AES128_CTS_HMAC_SHA1_96', 'AES256_CTS_HMAC_SHA1_96']);
  });
});

describe('planning the AD checks', () => {
  const base: CheckOptions = {
    gmsas: [],
    credspec: [],
    clientNames: [],
    inspect: [],
    events: [],
    containers: [],
    timeoutMs: 3000,
    ldap: { transport: 'ldaps', insecureTls: false, kerberos: false },
  };
  const plan = (options: CheckOptions) => planProbes([...adProbes(options), ...credspecProbes(options)], options);
  const ids = (planned: ReturnType<typeof plan>): string[] => planned.checks.map((c) => c.meta.id);

  it('reads no AD for a run that names no gMSA, host or credential spec with a domain', () => {
    expect(adProbes({ ...base, domain: 'contoso.com' })).toEqual([]);
    expect(adProbes({ ...base, credspec: ['a.json'] })).toEqual([]);
    expect(ids(plan({ ...base, domain: 'contoso.com' })).filter((id) => id.startsWith('account/'))).toEqual([]);
  });

  it('judges the host only when one is named, and the credential spec only when one is given', () => {
    expect(ids(plan({ ...base, gmsas: ['webapp01'] }))).not.toContain('host/can-retrieve-password');
    expect(ids(plan({ ...base, gmsas: ['webapp01'] }))).not.toContain('account/same-domain');
    expect(plan({ ...base, gmsas: ['webapp01'] }).notChecked.find((n) => n.id === 'account/same-domain')?.how).toBe(
      '--host COMPUTER, with --domain D or --dc HOST',
    );
    const all = plan({ ...base, gmsas: ['webapp01'], host: 'containerhost01', credspec: ['a.json'], dc: 'dc1' });
    expect(ids(all)).toEqual(
      expect.arrayContaining([
        'host/can-retrieve-password',
        'host/group-change-needs-reboot',
        'account/same-domain',
        'credspec/matches-domain',
      ]),
    );
    expect(all.probes.map((p) => p.id)).toEqual(['dc.discovery', 'ldap.ad', 'credspec-files']);
    expect(all.probes[1]!.needs).toEqual(['dc.candidates', 'credspec.documents']);
    expect(all.subjects).toEqual([{ kind: 'gmsa', id: 'webapp01' }]);
  });
});

describe('saved AD facts', () => {
  it('rejects a hand-edited fact, naming the field', () => {
    const result = factSchema('ad.domain').safeParse({
      dnsName: 'contoso.com',
      sid: 'S-1-5-21-x',
      guid: '56d9b66c-d746-4f87-bd26-26760cfdca2e',
      baseDn: 'DC=contoso,DC=com',
    });
    expect(result.error?.issues[0]).toMatchObject({ path: ['sid'], message: 'not a SID (S-1-...)' });
    const hex = factSchema('ad.gmsa').safeParse({
      name: 'w',
      account: {
        dn: 'CN=w',
        objectClass: [],
        objectSid: 'S-1-5-21-1-2-3-4',
        userAccountControl: 4096,
        servicePrincipalNames: [],
        membershipDescriptorHex: 'xyz',
      },
    });
    expect(hex.error?.issues[0]?.path).toEqual(['account', 'membershipDescriptorHex']);
  });
});

describe('Kerberos service name', () => {
  it('is ldap@host for GSS-API and the SPN ldap/host for SSPI on Windows', () => {
    expect(servicePrincipal('dc1.contoso.com', 'linux')).toBe('ldap@dc1.contoso.com');
    expect(servicePrincipal('dc1.contoso.com', 'win32')).toBe('ldap/dc1.contoso.com');
  });
});
