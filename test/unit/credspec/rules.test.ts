import { describe, expect, it } from 'vitest';
import { lintCredSpecText } from '../../../src/plan/lint.js';
import { lintObject, problems, validSpec } from './helpers.js';

type Spec = Record<string, any>;

function withChange(change: (spec: Spec) => void): Spec {
  const spec = validSpec();
  change(spec);
  return spec;
}

/** The problems one rule reports on a spec. */
function reported(ruleId: string, spec: unknown) {
  return problems(lintObject(spec)).filter((f) => f.id === ruleId);
}

const NDJ_HOST = {
  PortableCcgVersion: '1',
  PluginGUID: '{01BF101D-BFB6-433F-B416-02885CDC5AD3}',
  PluginInput: 'C:\\ccg\\ccgvault.yml|static_kv2',
};

describe('the guide example passes every rule', () => {
  it('has no problem at all', () => {
    expect(problems(lintObject(validSpec()))).toEqual([]);
  });
  it('still passes with a valid HostAccountConfig', () => {
    expect(problems(lintObject(withChange((s) => (s.ActiveDirectoryConfig.HostAccountConfig = NDJ_HOST))))).toEqual([]);
  });
});

describe('credspec/cms-plugins', () => {
  it('fails without ActiveDirectory', () => {
    expect(
      reported(
        'credspec/cms-plugins',
        withChange((s) => (s.CmsPlugins = ['Other'])),
      )[0]?.severity,
    ).toBe('error');
  });
  it('fails when missing', () => {
    expect(
      reported(
        'credspec/cms-plugins',
        withChange((s) => delete s.CmsPlugins),
      )[0]?.message,
    ).toMatch(/missing/);
  });
  it('warns on wrong case', () => {
    expect(
      reported(
        'credspec/cms-plugins',
        withChange((s) => (s.CmsPlugins = ['activedirectory'])),
      )[0]?.severity,
    ).toBe('warning');
  });
});

describe('credspec/domain-sid', () => {
  it('says an account SID was pasted, and gives the domain part', () => {
    const [f] = reported(
      'credspec/domain-sid',
      withChange((s) => (s.DomainJoinConfig.Sid = 'S-1-5-21-702590844-1001920913-2680819671-1105')),
    );
    expect(f?.severity).toBe('error');
    expect(f?.message).toMatch(/account SID \(relative ID 1105\)/);
    expect(f?.remediation?.text).toContain('S-1-5-21-702590844-1001920913-2680819671');
  });
  it.each(['S-1-5-32-544', 'S-1-5-21-1-2', 'not-a-sid', 'S-1-5-21-1-2-99999999999'])('rejects %s', (sid) => {
    expect(
      reported(
        'credspec/domain-sid',
        withChange((s) => (s.DomainJoinConfig.Sid = sid)),
      )[0]?.severity,
    ).toBe('error');
  });
  it('fails when the field is missing', () => {
    expect(
      reported(
        'credspec/domain-sid',
        withChange((s) => delete s.DomainJoinConfig.Sid),
      ),
    ).toHaveLength(1);
  });
});

describe('credspec/machine-account-name', () => {
  it.each([
    ['webapp01$', /contains \$/],
    ['CONTOSO\\webapp01', /domain part/],
    ['webapp01@contoso.com', /domain part/],
    ['webapp01.contoso.com', /domain part/],
    ['averyveryverylongname', /at most 15/],
    ['web app', /not allowed/],
  ])('rejects %s', (name, message) => {
    const found = reported(
      'credspec/machine-account-name',
      withChange((s) => (s.DomainJoinConfig.MachineAccountName = name)),
    );
    expect(found.map((f) => f.message).join('\n')).toMatch(message);
  });
  it('accepts a 15-character name', () => {
    const spec = withChange((s) => {
      s.DomainJoinConfig.MachineAccountName = 'abcdefghijklmno';
      for (const e of s.ActiveDirectoryConfig.GroupManagedServiceAccounts) e.Name = 'abcdefghijklmno';
    });
    expect(problems(lintObject(spec))).toEqual([]);
  });
});

describe('credspec/domain-guid', () => {
  it('rejects a malformed GUID', () => {
    expect(
      reported(
        'credspec/domain-guid',
        withChange((s) => (s.DomainJoinConfig.Guid = '56d9b66c-d746-4f87-bd26')),
      )[0]?.severity,
    ).toBe('error');
  });
  it('warns on braces', () => {
    expect(
      reported(
        'credspec/domain-guid',
        withChange((s) => (s.DomainJoinConfig.Guid = '{56d9b66c-d746-4f87-bd26-26760cfdca2e}')),
      )[0]?.severity,
    ).toBe('warning');
  });
});

describe('credspec/dns-names', () => {
  it('rejects a single-label DnsName', () => {
    expect(
      reported(
        'credspec/dns-names',
        withChange((s) => (s.DomainJoinConfig.DnsName = 'CONTOSO')),
      )[0]?.message,
    ).toMatch(/not a fully qualified/);
  });
  it('rejects a DnsName outside the forest', () => {
    expect(
      reported(
        'credspec/dns-names',
        withChange((s) => (s.DomainJoinConfig.DnsName = 'fabrikam.com')),
      )[0]?.message,
    ).toMatch(/not in the forest/);
  });
  it('accepts a child domain of the forest', () => {
    const spec = withChange((s) => {
      s.DomainJoinConfig.DnsName = 'emea.contoso.com';
      s.ActiveDirectoryConfig.GroupManagedServiceAccounts[0].Scope = 'emea.contoso.com';
    });
    expect(reported('credspec/dns-names', spec)).toEqual([]);
  });
});

describe('credspec/netbios-name', () => {
  it.each([
    ['CONTOSO.COM', /looks like a DNS name/],
    ['SIXTEENCHARSLONG', /at most 15/],
  ])('rejects %s', (nb, message) => {
    expect(
      reported(
        'credspec/netbios-name',
        withChange((s) => (s.DomainJoinConfig.NetBiosName = nb)),
      )[0]?.message,
    ).toMatch(message);
  });
  it('accepts lowercase', () => {
    const spec = withChange((s) => {
      s.DomainJoinConfig.NetBiosName = 'contoso';
    });
    expect(reported('credspec/netbios-name', spec)).toEqual([]);
    expect(reported('credspec/gmsa-entries', spec)).toEqual([]);
  });
});

describe('credspec/gmsa-entries', () => {
  const entries = (spec: Spec) =>
    spec.ActiveDirectoryConfig.GroupManagedServiceAccounts as { Name: string; Scope: string }[];
  it('reports a missing NetBIOS entry by name', () => {
    const [f] = reported(
      'credspec/gmsa-entries',
      withChange((s) => entries(s).pop()),
    );
    expect(f?.message).toBe('webapp01 has no entry with the NetBIOS scope CONTOSO');
    expect(f?.remediation?.text).toBe('Add {"Name": "webapp01", "Scope": "CONTOSO"}.');
  });
  it('reports a foreign scope', () => {
    const found = reported(
      'credspec/gmsa-entries',
      withChange((s) => (entries(s)[1]!.Scope = 'FABRIKAM')),
    );
    expect(found.map((f) => f.message)).toContain(
      'Scope "FABRIKAM" of webapp01 is neither DnsName (contoso.com) nor NetBiosName (CONTOSO)',
    );
  });
  it('reports a Name that differs from MachineAccountName', () => {
    const found = reported(
      'credspec/gmsa-entries',
      withChange((s) => entries(s).forEach((e) => (e.Name = 'webapp02'))),
    );
    expect(found.map((f) => f.message)).toContain(
      'no entry names MachineAccountName webapp01: the entries name webapp02 instead',
    );
  });
  it('accepts an additional account with the scope of its own domain, as New-CredentialSpec -AdditionalAccounts writes it', () => {
    expect(
      reported(
        'credspec/gmsa-entries',
        withChange((s) => entries(s).push({ Name: 'webapp02', Scope: 'fabrikam.com' })),
      ),
    ).toEqual([]);
  });
  it('checks additional account names like the main one', () => {
    const found = reported(
      'credspec/gmsa-entries',
      withChange((s) => entries(s).push({ Name: 'FABRIKAM\\webapp02$', Scope: 'fabrikam.com' })),
    );
    expect(found.map((f) => f.message)).toEqual([
      'Name "FABRIKAM\\webapp02$" must be the bare account name, without $ or domain',
    ]);
  });
  it('accepts scopes in another case', () => {
    expect(
      reported(
        'credspec/gmsa-entries',
        withChange((s) => (entries(s)[1]!.Scope = 'contoso')),
      ),
    ).toEqual([]);
  });
});

describe('credspec/host-account-config and credspec/plugin-guid', () => {
  const ndj = (host: Record<string, unknown>) =>
    withChange((s) => (s.ActiveDirectoryConfig.HostAccountConfig = { ...NDJ_HOST, ...host }));
  it('requires PortableCcgVersion "1"', () => {
    expect(reported('credspec/host-account-config', ndj({ PortableCcgVersion: '2' }))[0]?.severity).toBe('error');
    expect(reported('credspec/host-account-config', ndj({ PortableCcgVersion: 1 }))[0]?.severity).toBe('warning');
  });
  it('requires a PluginInput', () => {
    expect(reported('credspec/host-account-config', ndj({ PluginInput: '' }))[0]?.message).toMatch(/event 6/);
  });
  it('explains an object PluginInput (AWS ECS convention)', () => {
    const [f] = reported(
      'credspec/host-account-config',
      ndj({ PluginInput: { CredentialArn: 'arn:aws:secretsmanager:x' } }),
    );
    expect(f?.severity).toBe('info');
    expect(f?.message).toMatch(/AWS ECS/);
  });
  it.each([
    ['{GDMA0342-266A-4D1P-831J-20990E82944F}', /not hexadecimal/],
    ['01BF101D-BFB6-433F-B416-02885CDC5AD3', /needs braces/],
    ['{01BF101D-BFB6-433F-B416}', /8-4-4-4-12/],
  ])('rejects PluginGUID %s', (guid, message) => {
    expect(reported('credspec/plugin-guid', ndj({ PluginGUID: guid }))[0]?.message).toMatch(message);
  });
  it('accepts a lowercase braced CLSID', () => {
    expect(reported('credspec/plugin-guid', ndj({ PluginGUID: '{f919de1a-0f2f-4fb2-8a0c-7d1d0de1a2b3}' }))).toEqual([]);
  });
});

describe('credspec/placeholders and credspec/plaintext-secret', () => {
  const input = (value: string) =>
    withChange((s) => (s.ActiveDirectoryConfig.HostAccountConfig = { ...NDJ_HOST, PluginInput: value }));
  it.each(['contoso.com:gmsaccg:<password>', 'user=${USER}', '{{ .Values.input }}', '$secretName$'])(
    'flags the placeholder in %s',
    (value) => {
      expect(reported('credspec/placeholders', input(value))).toHaveLength(1);
    },
  );
  it.each(['DOMAINNAME=contoso.com;USERNAME=svc;PASSWORD=Hunter2!', 'contoso.com:gmsaccg:Hunter2!'])(
    'warns on a plaintext password in %s',
    (value) => {
      const [f] = reported('credspec/plaintext-secret', input(value));
      expect(f?.severity).toBe('warning');
      expect(JSON.stringify(f)).not.toContain('Hunter2');
    },
  );
  it.each([
    'ObjectId=abc;SecretUri=https://kv.vault.azure.net/secrets/gmsa',
    'contoso.com:gmsaccg:<password>',
    'C:\\ccg\\ccgvault.yml|static_kv2',
  ])('does not call %s a plaintext password', (value) => {
    expect(reported('credspec/plaintext-secret', input(value))).toEqual([]);
  });
});

describe('credspec/unknown-keys and credspec/duplicate-keys', () => {
  it('suggests the right spelling of a misspelled or wrongly cased key', () => {
    const spec = withChange((s) => {
      s.DomainJoinConfig.MachineAcountName = s.DomainJoinConfig.MachineAccountName;
      delete s.DomainJoinConfig.MachineAccountName;
      s.DomainJoinConfig.sid = s.DomainJoinConfig.Sid;
      delete s.DomainJoinConfig.Sid;
    });
    const messages = reported('credspec/unknown-keys', spec).map((f) => f.message);
    expect(messages).toContain('unknown key MachineAcountName: did you mean MachineAccountName?');
    expect(messages).toContain('unknown key sid: did you mean Sid?');
    // The wrongly cased Sid is still read, so its value is judged: no "missing" error on top.
    expect(reported('credspec/domain-sid', spec)).toEqual([]);
  });
  it('warns on a key written twice, at the second one', () => {
    const text = '{"CmsPlugins":["ActiveDirectory"],\n"CmsPlugins":["ActiveDirectory"]}';
    const [f] = lintCredSpecText(text, 'dup.json').filter((x) => x.id === 'credspec/duplicate-keys');
    expect(f?.location).toMatchObject({ line: 2, column: 1 });
  });
});

describe('credspec/k8s-resource', () => {
  const resource = (head: string) =>
    `${head}\ncredspec:\n${JSON.stringify(validSpec(), null, 2).replace(/^/gm, '  ')}\n`;
  it('accepts a v1 resource with a lowercase name', () => {
    expect(
      problems(
        lintCredSpecText(
          resource('apiVersion: windows.k8s.io/v1\nkind: GMSACredentialSpec\nmetadata:\n  name: gmsa-webapp01'),
          'r.yaml',
        ),
      ),
    ).toEqual([]);
  });
  it('rejects an uppercase name and a wrong kind', () => {
    const found = problems(
      lintCredSpecText(
        resource('apiVersion: windows.k8s.io/v1\nkind: GmsaCredentialSpec\nmetadata:\n  name: gmsa-WebApp01'),
        'r.yaml',
      ),
    );
    expect(found.map((f) => f.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/uppercase/), expect.stringMatching(/must be GMSACredentialSpec/)]),
    );
  });
  it('requires the credspec key', () => {
    const found = problems(
      lintCredSpecText('apiVersion: windows.k8s.io/v1\nkind: GMSACredentialSpec\nmetadata:\n  name: x\n', 'r.yaml'),
    );
    expect(found.some((f) => f.id === 'credspec/k8s-resource' && /no credspec key/.test(f.message))).toBe(true);
  });
  it('rejects a resource over 64 KiB', () => {
    const big = resource(
      `apiVersion: windows.k8s.io/v1\nkind: GMSACredentialSpec\nmetadata:\n  name: big\n  annotations:\n    padding: "${'x'.repeat(70_000)}"`,
    );
    expect(problems(lintCredSpecText(big, 'r.yaml')).some((f) => /under 64 KiB/.test(f.message))).toBe(true);
  });
  it('lints each document of a multi-document file', () => {
    const two = `${resource('apiVersion: windows.k8s.io/v1\nkind: GMSACredentialSpec\nmetadata:\n  name: a')}---\n${resource('apiVersion: windows.k8s.io/v1\nkind: GMSACredentialSpec\nmetadata:\n  name: B')}`;
    const found = problems(lintCredSpecText(two, 'two.yaml'));
    expect(found).toHaveLength(1);
    expect(found[0]?.subject).toBe('two.yaml#1 (B)');
  });
});
