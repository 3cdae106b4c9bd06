import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invalidCredentialsAdvice } from '../../../src/checks/account/ldap-connection.js';
import { membershipTime } from '../../../src/checks/host/_password-access.js';
import type { Check } from '../../../src/engine/check.js';
import type { FactResults as FactSnapshot } from '../../../src/engine/facts.js';
import type { Finding } from '../../../src/engine/finding.js';
import { mostLikelyCause } from '../../../src/report/likely-cause.js';
import { check, findingsOf, flatStore } from '../../helpers/checks.js';
import type { AdAccount, AdConnection, AdDomain, AdGroup, AdHost } from '../../../src/facts/ad.js';
import type { CredSpecDocument } from '../../../src/facts/credspec.js';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/ad/vectors.json', import.meta.url), 'utf8')) as {
  domainSid: string;
  descriptors: { name: string; hex: string }[];
};
const sdHex = (name: string): string => vectors.descriptors.find((d) => d.name === name)!.hex;
const D = vectors.domainSid;
const GROUP_SID = `${D}-1105`;
const HOST_SID = `${D}-1106`;

const domain: AdDomain = {
  dnsName: 'contoso.com',
  netbiosName: 'CONTOSO',
  forestDnsName: 'contoso.com',
  sid: D,
  guid: '56d9b66c-d746-4f87-bd26-26760cfdca2e',
  baseDn: 'DC=contoso,DC=com',
};
const GMSA_CLASSES = ['top', 'person', 'organizationalPerson', 'user', 'computer', 'msDS-GroupManagedServiceAccount'];
const gmsa = (over: Partial<AdAccount> = {}): AdAccount => ({
  dn: 'CN=webapp01,CN=Managed Service Accounts,DC=contoso,DC=com',
  sAMAccountName: 'webapp01$',
  objectClass: GMSA_CLASSES,
  objectSid: `${D}-1110`,
  userAccountControl: 0x1000,
  servicePrincipalNames: ['HTTP/webapp01.contoso.com', 'HTTP/webapp01'],
  dnsHostName: 'webapp01.contoso.com',
  supportedEncryptionTypes: 24,
  membershipDescriptorHex: sdHex('set-adserviceaccount: allow one group full control'),
  ...over,
});
const GROUP_DN = 'CN=WebApp01Hosts,OU=GmsaLab,DC=contoso,DC=com';
const host = (over: Partial<AdHost> = {}): AdHost => ({
  dn: 'CN=containerhost01,OU=GmsaLab,DC=contoso,DC=com',
  sAMAccountName: 'containerhost01$',
  objectClass: ['top', 'computer'],
  objectSid: HOST_SID,
  tokenGroups: [GROUP_SID, `${D}-515`],
  memberOf: [GROUP_DN],
  lastLogonTimestamp: '2026-11-26T06:00:00.000Z',
  ...over,
});
const group = (over: Partial<AdGroup> = {}): AdGroup => ({
  dn: GROUP_DN,
  sid: GROUP_SID,
  sAMAccountName: 'WebApp01Hosts',
  whenChanged: '2026-11-26T05:00:00.000Z',
  memberOf: [],
  ...over,
});

function judge(checked: Check, facts: FactSnapshot): Finding[] {
  return findingsOf([checked], flatStore(facts));
}
const ldapConnectionCheck = check('account/ldap-connection');
const accountExistsCheck = check('account/exists');
const sameDomainCheck = check('account/same-domain');
const duplicateNameCheck = check('account/duplicate-name');
const workstationTrustCheck = check('account/workstation-trust-flag');
const spnCheck = check('account/spns');
const encryptionTypesCheck = check('account/encryption-types');
const canRetrievePasswordCheck = check('host/can-retrieve-password');
const groupChangeNeedsRebootCheck = check('host/group-change-needs-reboot');
const credspecMatchesDomainCheck = check('credspec/matches-domain');
const ok = <T>(value: T): { status: 'ok'; value: T } => ({ status: 'ok', value });
const base = (over: FactSnapshot = {}): FactSnapshot => ({
  'ad.domain': ok(domain),
  'ad.gmsa': ok({ name: 'webapp01', account: gmsa() }),
  'ad.host': ok({ name: 'containerhost01', host: host() }),
  'ad.hostGroups': ok([group()]),
  'ad.sidNames': ok({ [GROUP_SID]: 'WebApp01Hosts', [HOST_SID]: 'containerhost01$' }),
  'ad.similarNames': ok([{ dn: gmsa().dn, sAMAccountName: 'webapp01$', objectClass: GMSA_CLASSES }]),
  'ad.spns': ok({ clientNames: [], holders: { 'http/webapp01.contoso.com': [gmsa()], 'http/webapp01': [gmsa()] } }),
  ...over,
});

describe('account/ldap-connection', () => {
  const connection = (problem: AdConnection['problem']): FactSnapshot => ({
    'ad.connection': ok({
      dc: 'dc1.contoso.com',
      address: '10.0.0.1',
      port: 389,
      transport: 'ldap',
      bind: 'simple',
      identity: 'Administrator@contoso.com',
      ok: false,
      problem,
    }),
  });

  it('turns "strong auth required" into LDAPS/StartTLS advice', () => {
    const [f] = judge(
      ldapConnectionCheck,
      connection({ kind: 'strong-auth-required', resultCode: 8, detail: 'BindSimple: Transport encryption required.' }),
    );
    expect(f).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('requires strong authentication (LDAP result 8)') as string,
    });
    expect(f!.remediation?.text).toMatch(/Use LDAPS .* or StartTLS .*--ca FILE/);
  });

  it.each([
    ['52e', /Wrong password/],
    ['532', /has expired .* change it/],
    ['773', /must change its password/],
    ['775', /locked out/],
  ])('explains AD sub-code %s', (code, pattern) => {
    const [f] = judge(
      ldapConnectionCheck,
      connection({
        kind: 'invalid-credentials',
        resultCode: 49,
        dataCode: code,
        detail: `80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data ${code}, v3839`,
      }),
    );
    expect(f!.message).toContain(`AD sub-code ${code}`);
    expect(f!.remediation?.text).toMatch(pattern);
  });

  it('points to --ca for certificate problems and names the port for an unreachable DC', () => {
    expect(
      judge(ldapConnectionCheck, connection({ kind: 'tls-certificate', detail: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }))[0]!
        .remediation?.text,
    ).toContain('--ca FILE');
    const [f] = judge(ldapConnectionCheck, connection({ kind: 'unreachable', detail: 'ECONNREFUSED' }));
    expect(f!.message).toBe('DC dc1.contoso.com:389 is unreachable: ECONNREFUSED');
    expect(f!.remediation?.commands).toEqual(['Test-NetConnection dc1.contoso.com -Port 389']);
  });

  it('says who it bound as when it worked', () => {
    const [f] = judge(ldapConnectionCheck, {
      'ad.connection': ok({
        dc: 'dc1.contoso.com',
        port: 636,
        transport: 'ldaps',
        bind: 'gssapi',
        identity: 'alice@CONTOSO.COM',
        ok: true,
      }),
    });
    expect(f).toMatchObject({
      severity: 'pass',
      message: 'Read AD from dc1.contoso.com over LDAPS with a gssapi bind as alice@CONTOSO.COM',
    });
  });

  it('has advice for an unknown sub-code too', () => {
    expect(invalidCredentialsAdvice(undefined, 'bob')).toMatch(/rejected the credentials of bob/);
  });
});

describe('account/exists', () => {
  it('passes an enabled gMSA', () => {
    expect(judge(accountExistsCheck, base())[0]!.severity).toBe('pass');
  });
  it('reports a missing account with the similar names', () => {
    const [f] = judge(
      accountExistsCheck,
      base({ 'ad.gmsa': ok({ name: 'webap01', account: null }), 'ad.similarNames': ok([]) }),
    );
    expect(f).toMatchObject({ severity: 'error', message: 'No account with sAMAccountName webap01$ in contoso.com' });
  });
  it('reports a disabled gMSA with the command that enables it', () => {
    const [f] = judge(
      accountExistsCheck,
      base({ 'ad.gmsa': ok({ name: 'webapp01', account: gmsa({ userAccountControl: 0x1002 }) }) }),
    );
    expect(f!.message).toContain(
      'is disabled (userAccountControl 0x1002 (ACCOUNTDISABLE | WORKSTATION_TRUST_ACCOUNT))',
    );
    expect(f!.remediation?.commands).toEqual([`Enable-ADAccount -Identity '${gmsa().dn}'`]);
  });
  it('reports an account that is not a gMSA', () => {
    const [f] = judge(
      accountExistsCheck,
      base({ 'ad.gmsa': ok({ name: 'webapp01', account: gmsa({ objectClass: ['top', 'user', 'computer'] }) }) }),
    );
    expect(f!.message).toContain('is a computer, not a msDS-GroupManagedServiceAccount');
  });
});

describe('host/can-retrieve-password', () => {
  it('passes a host allowed through its group, naming the ACE', () => {
    const [f] = judge(canRetrievePasswordCheck, base());
    expect(f!.severity).toBe('pass');
    expect(f!.message).toContain('ACE #1 (A;;0xf01ff;;;WebApp01Hosts) allows WebApp01Hosts');
  });

  it('tells a host in no allowed group to join it, with the real names', () => {
    const [f] = judge(
      canRetrievePasswordCheck,
      base({
        'ad.host': ok({
          name: 'containerhost02',
          host: host({
            sAMAccountName: 'containerhost02$',
            objectSid: `${D}-1107`,
            tokenGroups: [`${D}-515`],
            memberOf: [],
          }),
        }),
      }),
    );
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('allowed: WebApp01Hosts');
    expect(f!.remediation?.commands).toEqual([
      "Add-ADGroupMember -Identity WebApp01Hosts -Members 'containerhost02$'",
      "Set-ADServiceAccount -Identity webapp01 -PrincipalsAllowedToRetrieveManagedPassword WebApp01Hosts, 'containerhost02$'",
      'klist -li 0x3e7 purge',
    ]);
  });

  it('names the deny ACE that wins over the group allow', () => {
    const facts = base({
      'ad.gmsa': ok({
        name: 'webapp01',
        account: gmsa({ membershipDescriptorHex: sdHex('deny the host first, then allow its group') }),
      }),
    });
    const [f] = judge(canRetrievePasswordCheck, facts);
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('ACE #1 (D;;0xf01ff;;;containerhost01$) denies containerhost01$');
    expect(f!.evidence?.decidingAce).toEqual({
      position: 1,
      ace: '(D;;0xf01ff;;;containerhost01$)',
      matched: 'containerhost01$',
    });
  });

  it('reports a gMSA nobody may use', () => {
    const [f] = judge(
      canRetrievePasswordCheck,
      base({ 'ad.gmsa': ok({ name: 'webapp01', account: gmsa({ membershipDescriptorHex: undefined }) }) }),
    );
    expect(f!.message).toContain('has no msDS-GroupMSAMembership');
    expect(f!.remediation?.commands).toEqual([
      'Set-ADServiceAccount -Identity webapp01 -PrincipalsAllowedToRetrieveManagedPassword containerhost01$',
    ]);
  });

  it('reports a damaged descriptor instead of crashing', () => {
    const [f] = judge(
      canRetrievePasswordCheck,
      base({ 'ad.gmsa': ok({ name: 'webapp01', account: gmsa({ membershipDescriptorHex: '0100' }) }) }),
    );
    expect(f).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('is not a valid security descriptor') as string,
    });
  });
});

describe('host/group-change-needs-reboot', () => {
  it('the host last logged on before the group changed: an error, and the most likely cause (the guide, step 4)', () => {
    const facts = base({ 'ad.hostGroups': ok([group({ whenChanged: '2026-11-26T07:00:00.000Z' })]) });
    const findings = judge(groupChangeNeedsRebootCheck, facts);
    expect(findings[0]).toMatchObject({ severity: 'error', fault: 'host-ticket-stale', link: 'host' });
    expect(findings[0]!.message).toContain('cannot retrieve the password of webapp01$ until its tickets are renewed');
    expect(findings[0]!.remediation?.commands).toContain('klist -li 0x3e7 purge');
    expect(mostLikelyCause(findings)).toMatchObject({
      findingId: 'host/group-change-needs-reboot',
      kind: 'host-ticket-stale',
      summary: expect.stringMatching(
        /^Host ticket predates its group membership: containerhost01\$ last logged on/,
      ) as string,
    });
  });

  it('this DC recorded a logon after the change: only a warning (the replicated lastLogonTimestamp lags)', () => {
    const facts = base({
      'ad.host': ok({ name: 'containerhost01', host: host({ lastLogon: '2026-11-26T08:00:00.000Z' }) }),
      'ad.hostGroups': ok([group({ whenChanged: '2026-11-26T07:00:00.000Z' })]),
    });
    const findings = judge(groupChangeNeedsRebootCheck, facts);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.message).toContain('this DC recorded a later logon at 2026-11-26T08:00:00.000Z');
    expect(mostLikelyCause(findings)).toBeUndefined();
  });

  it('prefers the member value metadata over whenChanged', () => {
    const facts = base({
      'ad.hostGroups': ok([
        group({
          whenChanged: '2026-11-26T07:00:00.000Z',
          memberAddedAt: { [host().dn.toLowerCase()]: '2026-11-26T05:00:00.000Z' },
        }),
      ]),
    });
    const [f] = judge(groupChangeNeedsRebootCheck, facts);
    expect(f!.severity).toBe('pass');
    expect(f!.evidence).toMatchObject({ joinedAt: '2026-11-26T05:00:00.000Z', joinedExactly: true });
  });

  it('follows a nested group: the later of the two memberships counts', () => {
    const NESTED = 'CN=NestedHosts,OU=GmsaLab,DC=contoso,DC=com';
    const h = host({ memberOf: [NESTED], tokenGroups: [`${D}-1120`, GROUP_SID] });
    const groups = [
      group({ whenChanged: '2026-11-26T05:00:00.000Z' }),
      { dn: NESTED, sid: `${D}-1120`, whenChanged: '2026-11-26T06:30:00.000Z', memberOf: [GROUP_DN] },
    ];
    expect(membershipTime(h, groups, GROUP_SID)).toEqual({
      at: '2026-11-26T06:30:00.000Z',
      path: [NESTED, GROUP_DN],
      exact: false,
    });
    const [f] = judge(
      groupChangeNeedsRebootCheck,
      base({ 'ad.host': ok({ name: 'containerhost03', host: h }), 'ad.hostGroups': ok(groups) }),
    );
    expect(f!.severity).toBe('error');
  });

  it('needs no reboot when the primary group (Domain Computers) is allowed', () => {
    const facts = base({
      'ad.gmsa': ok({ name: 'webapp01', account: gmsa({ membershipDescriptorHex: sdHex('domain computers alias') }) }),
      'ad.host': ok({ name: 'h', host: host({ primaryGroupId: 515 }) }),
    });
    expect(judge(groupChangeNeedsRebootCheck, facts)[0]).toMatchObject({
      severity: 'pass',
      message: expect.stringContaining('primary group Domain Computers') as string,
    });
  });

  it('counts the allowed group the host has been in the longest', () => {
    const OTHER_DN = 'CN=OtherHosts,OU=GmsaLab,DC=contoso,DC=com';
    const h = host({ objectSid: `${D}-1200`, tokenGroups: [GROUP_SID, HOST_SID], memberOf: [GROUP_DN, OTHER_DN] });
    const groups = [
      group({ whenChanged: '2026-11-26T07:00:00.000Z' }),
      {
        dn: OTHER_DN,
        sid: HOST_SID,
        sAMAccountName: 'OtherHosts',
        whenChanged: '2026-11-26T05:00:00.000Z',
        memberOf: [],
      },
    ];
    const facts = base({
      'ad.gmsa': ok({ name: 'webapp01', account: gmsa({ membershipDescriptorHex: sdHex('two principals') }) }),
      'ad.host': ok({ name: 'h', host: h }),
      'ad.hostGroups': ok(groups),
    });
    expect(judge(groupChangeNeedsRebootCheck, facts)[0]).toMatchObject({
      severity: 'pass',
      evidence: { joinedAt: '2026-11-26T05:00:00.000Z' },
    });
  });

  it('needs no reboot when the host itself is allowed', () => {
    const facts = base({
      'ad.gmsa': ok({ name: 'webapp01', account: gmsa({ membershipDescriptorHex: sdHex('two principals') }) }),
      'ad.host': ok({ name: 'x', host: host({ tokenGroups: [] }) }),
    });
    expect(judge(groupChangeNeedsRebootCheck, facts)[0]).toMatchObject({
      severity: 'pass',
      message: expect.stringContaining('not through a group') as string,
    });
  });
});

describe('account checks on the gMSA object', () => {
  it("computes the guide's userAccountControl fix and names delegation", () => {
    const [f] = judge(
      workstationTrustCheck,
      base({ 'ad.gmsa': ok({ name: 'delegapp01', account: gmsa({ userAccountControl: 0x80200 }) }) }),
    );
    expect(f!.message).toContain('TRUSTED_FOR_DELEGATION is set');
    expect(f!.remediation?.commands).toEqual([
      `Set-ADObject -Identity '${gmsa().dn}' -Replace @{ userAccountControl = 528384 }`,
    ]);
  });

  it('reports a duplicate SPN naming both holders', () => {
    const legacy = {
      dn: 'CN=legacyweb01,OU=GmsaLab,DC=contoso,DC=com',
      sAMAccountName: 'legacyweb01$',
      objectClass: ['computer'],
    };
    const facts = base({
      'ad.spns': ok({
        clientNames: [],
        holders: { 'http/webapp01.contoso.com': [gmsa(), legacy], 'http/webapp01': [gmsa()] },
      }),
    });
    const [f] = judge(spnCheck, facts);
    expect(f!.message).toBe(
      `SPN HTTP/webapp01.contoso.com is held by both CONTOSO\\webapp01$ and CONTOSO\\legacyweb01$ (${legacy.dn}): the KDC cannot tell which key to use`,
    );
    expect(f!.remediation?.commands).toContain('setspn -D HTTP/webapp01.contoso.com CONTOSO\\legacyweb01$');
  });

  it('asks for host/ and HTTP/ SPNs of each client name', () => {
    const facts = base({
      'ad.spns': ok({
        clientNames: ['lb.contoso.com'],
        holders: {
          'http/webapp01.contoso.com': [gmsa()],
          'http/webapp01': [gmsa()],
          'host/lb.contoso.com': [],
          'http/lb.contoso.com': [],
        },
      }),
    });
    const findings = judge(spnCheck, facts);
    expect(findings.map((f) => f.remediation?.commands)).toEqual([
      ['setspn -S host/lb.contoso.com CONTOSO\\webapp01$'],
      ['setspn -S HTTP/lb.contoso.com CONTOSO\\webapp01$'],
    ]);
  });

  it('flags RC4-only and a missing encryption types attribute', () => {
    expect(
      judge(
        encryptionTypesCheck,
        base({ 'ad.gmsa': ok({ name: 'rc4app01', account: gmsa({ supportedEncryptionTypes: 4 }) }) }),
      )[0]!.message,
    ).toContain('RC4 only');
    expect(
      judge(
        encryptionTypesCheck,
        base({ 'ad.gmsa': ok({ name: 'w', account: gmsa({ supportedEncryptionTypes: undefined }) }) }),
      )[0]!.severity,
    ).toBe('warning');
    expect(judge(encryptionTypesCheck, base())[0]!.severity).toBe('pass');
  });

  it('warns about a user named like the gMSA without the $', () => {
    const user = {
      dn: 'CN=webapp01 (user),OU=GmsaLab,DC=contoso,DC=com',
      sAMAccountName: 'webapp01',
      objectClass: ['top', 'user'],
    };
    const [f] = judge(
      duplicateNameCheck,
      base({
        'ad.similarNames': ok([{ dn: gmsa().dn, sAMAccountName: 'webapp01$', objectClass: GMSA_CLASSES }, user]),
      }),
    );
    expect(f).toMatchObject({ severity: 'warning', subject: user.dn });
  });

  it('names both domains when the host was given as a FQDN of another domain', () => {
    const [f] = judge(
      sameDomainCheck,
      base({ 'ad.host': ok({ name: 'containerhost01', domain: 'fabrikam.com', host: null }) }),
    );
    expect(f).toMatchObject({ severity: 'error', subject: 'containerhost01.fabrikam.com' });
    expect(f!.message).toBe(
      "The host containerhost01.fabrikam.com is in fabrikam.com, the gMSA webapp01$ in contoso.com: a domain-joined host cannot retrieve the password of another domain's gMSA",
    );
  });

  it('finds a host of another domain', () => {
    const other = host({ objectSid: 'S-1-5-21-1-2-3-1106' });
    expect(judge(sameDomainCheck, base({ 'ad.host': ok({ name: 'h', host: other }) }))[0]!.severity).toBe('error');
    expect(judge(sameDomainCheck, base({ 'ad.host': ok({ name: 'h', host: null }) }))[0]!.message).toContain(
      'is not in contoso.com',
    );
  });
});

describe('credspec/matches-domain', () => {
  const doc = (spec: unknown): CredSpecDocument => ({
    file: 'webapp01.json',
    format: 'json',
    index: 0,
    spec,
    specPath: '',
    positions: { 'DomainJoinConfig.Sid': { line: 7, column: 20 } },
    notes: [],
  });
  const spec = (dj: Record<string, unknown> = {}): unknown => ({
    CmsPlugins: ['ActiveDirectory'],
    DomainJoinConfig: {
      Sid: D,
      MachineAccountName: 'webapp01',
      Guid: domain.guid,
      DnsTreeName: 'contoso.com',
      DnsName: 'contoso.com',
      NetBiosName: 'CONTOSO',
      ...dj,
    },
    ActiveDirectoryConfig: {
      GroupManagedServiceAccounts: [
        { Name: 'webapp01', Scope: 'contoso.com' },
        { Name: 'webapp01', Scope: 'CONTOSO' },
      ],
    },
  });

  it('passes a spec of the live domain', () => {
    expect(
      judge(credspecMatchesDomainCheck, base({ 'credspec.documents': ok([doc(spec())]) })).map((f) => f.severity),
    ).toEqual(['pass']);
  });

  it('names each mismatch with both values and points at the field', () => {
    const findings = judge(
      credspecMatchesDomainCheck,
      base({
        'credspec.documents': ok([
          doc(spec({ Sid: `${D}-1110`, Guid: 'bae5a583-612f-4e8a-9b69-9df1c5c9b81a', NetBiosName: 'FABRIKAM' })),
        ]),
      }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      `Sid ${D}-1110 is an account SID of contoso.com, not the domain SID ${D} (a gMSA's own SID pasted where the domain's belongs)`,
      `Guid bae5a583-612f-4e8a-9b69-9df1c5c9b81a is not the objectGUID of contoso.com: the domain's is ${domain.guid}`,
      'NetBiosName "FABRIKAM" is not the domain\'s NetBIOS name "CONTOSO"',
    ]);
    expect(findings[0]!.location).toEqual({
      file: 'webapp01.json',
      field: 'DomainJoinConfig.Sid',
      line: 7,
      column: 20,
    });
  });

  it('reports an account name that is not a gMSA in AD', () => {
    const facts = base({
      'credspec.documents': ok([doc(spec({ MachineAccountName: 'webapp09' }))]),
      'ad.accounts': ok({ webapp09: { name: 'webapp09', account: null } }),
    });
    expect(judge(credspecMatchesDomainCheck, facts)[0]!.message).toBe(
      'MachineAccountName "webapp09": no account webapp09$ in contoso.com',
    );
  });
});
