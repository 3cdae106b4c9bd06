/**
 * The AD checks against the lab's Samba DC: every fixture gives its finding, over LDAPS with strict certificate
 * checks (--ca), with a simple bind and with a Kerberos (GSSAPI) bind after kinit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeFacts, loadFactsFile } from '../../src/cli/analyze.js';
import { credspecNew } from '../../src/cli/credspec-new.js';
import { declaredFacts } from '../../src/engine/check.js';
import type { CheckOptions } from '../../src/engine/options.js';
import type { Finding } from '../../src/engine/finding.js';
import { factsFile } from '../../src/facts/file.js';
import { lintCredSpecText } from '../../src/plan/lint.js';
import { planProbes } from '../../src/plan/plan.js';
import { adProbes, credspecProbes } from '../../src/plan/probes.js';
import { FACT_KEYS, factSchema } from '../../src/facts/index.js';
import { gather, run } from '../../src/engine/runner.js';
import type { RunResult } from '../../src/engine/runner.js';
import { kinit, lab, withFault, withStrongAuth } from '../helpers/lab.js';
import type { Lab } from '../helpers/lab.js';

let L: Lab;
beforeAll(() => {
  L = lab();
});

type Overrides = Omit<Partial<CheckOptions>, 'ldap'> & { gmsa?: string; ldap?: Partial<CheckOptions['ldap']> };

function options(over: Overrides = {}): CheckOptions {
  const { ldap, gmsa, ...rest } = over;
  return {
    dc: L.ip,
    gmsas: gmsa ? [gmsa] : [],
    credspec: [],
    clientNames: [],
    inspect: [],
    events: [],
    containers: [],
    timeoutMs: 3000,
    ...rest,
    ldap: {
      transport: 'ldaps',
      caFile: L.caFile,
      insecureTls: false,
      user: L.adminUser,
      password: L.adminPassword,
      kerberos: false,
      ...ldap,
    },
  };
}

/** The AD (and credential spec) families alone, planned and run as `check` plans and runs them. */
async function runAd(over: Overrides): Promise<RunResult> {
  const o = options(over);
  const plan = planProbes([...adProbes(o), ...credspecProbes(o)], o);
  return run({ ...plan, timeoutMs: o.timeoutMs });
}
async function findings(over: Overrides): Promise<Finding[]> {
  return (await runAd(over)).findings;
}
const one = (all: Finding[], id: string): Finding => {
  const matching = all.filter((f) => f.id === id);
  expect(matching, `${id} in ${all.map((f) => f.id).join(', ')}`).toHaveLength(1);
  return matching[0]!;
};

describe('the lab fixtures', () => {
  it('healthy webapp01$ with containerhost01$: no error', async () => {
    const all = await findings({ gmsa: 'webapp01', host: 'containerhost01' });
    expect(all.filter((f) => f.severity === 'error').map((f) => `${f.id}: ${f.message}`)).toEqual([]);
    expect(one(all, 'account/ldap-connection').message).toBe(
      `Read AD from ${L.ip} over LDAPS with a simple bind as ${L.adminUser}`,
    );
    expect(one(all, 'host/can-retrieve-password')).toMatchObject({
      severity: 'pass',
      message: expect.stringContaining('(A;;0xf01ff;;;WebApp01Hosts) allows WebApp01Hosts') as string,
    });
    // The lab keeps a user "webapp01" beside the gMSA: the duplicate-name trap, a warning.
    expect(one(all, 'account/duplicate-name')).toMatchObject({
      severity: 'warning',
      subject: expect.stringContaining('CN=webapp01 (user)') as string,
    });
  });

  it('containerhost02$ (in no group) may not retrieve the password, and is told to join WebApp01Hosts', async () => {
    const f = one(await findings({ gmsa: 'webapp01', host: 'containerhost02' }), 'host/can-retrieve-password');
    expect(f.severity).toBe('error');
    expect(f.message).toContain('allowed: WebApp01Hosts');
    expect(f.remediation?.commands?.[0]).toBe("Add-ADGroupMember -Identity WebApp01Hosts -Members 'containerhost02$'");
  });

  it('containerhost03$ is allowed through the nested group', async () => {
    const all = await findings({ gmsa: 'webapp01', host: 'containerhost03' });
    expect(one(all, 'host/can-retrieve-password').severity).toBe('pass');
    expect(one(all, 'host/can-retrieve-password').evidence?.hostGroups).toEqual(
      expect.arrayContaining(['WebApp01Hosts', 'NestedHosts']),
    );
  });

  it('containerhost04$ logged on before it joined the group: reboot needed', async () => {
    const f = one(await findings({ gmsa: 'webapp01', host: 'containerhost04' }), 'host/group-change-needs-reboot');
    expect(f.severity).toBe('warning');
    expect(f.remediation?.commands).toContain('klist -li 0x3e7 purge');
  });

  it('webapp02$ grants containerhost01$ directly: allowed, no group involved', async () => {
    const all = await findings({ gmsa: 'webapp02', host: 'containerhost01' });
    expect(one(all, 'host/can-retrieve-password').message).toContain('allows containerhost01$');
    expect(one(all, 'host/group-change-needs-reboot').message).toContain('not through a group');
  });

  it('orphanapp01$ has no msDS-GroupMSAMembership', async () => {
    const f = one(await findings({ gmsa: 'orphanapp01', host: 'containerhost01' }), 'host/can-retrieve-password');
    expect(f).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('has no msDS-GroupMSAMembership') as string,
    });
  });

  it('denyapp01$: the deny ACE for containerhost01$ wins over the group allow', async () => {
    const f = one(await findings({ gmsa: 'denyapp01', host: 'containerhost01' }), 'host/can-retrieve-password');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/ACE #1 \(D;;0xf01ff;;;containerhost01\$\) denies containerhost01\$/);
  });

  it("delegapp01$ lost WORKSTATION_TRUST_ACCOUNT: the guide's fix with the computed value", async () => {
    const f = one(await findings({ gmsa: 'delegapp01' }), 'account/workstation-trust-flag');
    expect(f.message).toContain('0x80200 (NORMAL_ACCOUNT | TRUSTED_FOR_DELEGATION)');
    expect(f.remediation?.commands).toEqual([
      "Set-ADObject -Identity 'CN=delegapp01,CN=Managed Service Accounts,DC=contoso,DC=com' -Replace @{ userAccountControl = 528384 }",
    ]);
  });

  it('dupapp01$ shares its SPN with legacyweb01$', async () => {
    const f = one(await findings({ gmsa: 'dupapp01' }), 'account/spns');
    expect(f.message).toBe(
      'SPN HTTP/dupapp01.contoso.com is held by both CONTOSO\\dupapp01$ and CONTOSO\\legacyweb01$ (CN=legacyweb01,OU=GmsaLab,DC=contoso,DC=com): the KDC cannot tell which key to use',
    );
  });

  it('disabledapp01$ is disabled; rc4app01$ is RC4 only; a missing gMSA is missing', async () => {
    expect(one(await findings({ gmsa: 'disabledapp01' }), 'account/exists').message).toContain(
      'is disabled (userAccountControl 0x1002',
    );
    expect(one(await findings({ gmsa: 'rc4app01' }), 'account/encryption-types').message).toContain('RC4 only');
    expect(one(await findings({ gmsa: 'nosuchapp01' }), 'account/exists').message).toBe(
      'No account with sAMAccountName nosuchapp01$ in contoso.com',
    );
  });

  it('a host named by a FQDN of another domain is not confused with a same-named computer of this one', async () => {
    const foreign = one(
      await findings({ gmsa: 'webapp01', host: 'containerhost01.fabrikam.com' }),
      'account/same-domain',
    );
    expect(foreign).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('is in fabrikam.com, the gMSA webapp01$ in contoso.com') as string,
    });
    expect(
      one(await findings({ gmsa: 'webapp01', host: 'containerhost01.contoso.com' }), 'account/same-domain').severity,
    ).toBe('pass');
  });

  it('asks for the SPNs of a name clients use', async () => {
    const all = (await findings({ gmsa: 'webapp01', clientNames: ['lb.contoso.com'] })).filter(
      (f) => f.id === 'account/spns',
    );
    expect(all.map((f) => f.remediation?.commands)).toEqual([
      ['setspn -S host/lb.contoso.com CONTOSO\\webapp01$'],
      ['setspn -S HTTP/lb.contoso.com CONTOSO\\webapp01$'],
    ]);
  });
});

describe('several gMSAs on one host', () => {
  it('judges each gMSA, a subject of its own, over one LDAP session: webapp02$ allows containerhost01$, orphanapp01$ nobody', async () => {
    const result = await runAd({ gmsas: ['webapp02', 'orphanapp01'], host: 'containerhost01' });
    const access = result.findings.filter((f) => f.id === 'host/can-retrieve-password');
    expect(access.map((f) => [f.about, f.severity])).toEqual([
      [{ kind: 'gmsa', id: 'webapp02' }, 'pass'],
      [{ kind: 'gmsa', id: 'orphanapp01' }, 'error'],
    ]);
    expect(access[1]!.message).toMatch(/^orphanapp01\$ has no msDS-GroupMSAMembership/);
    // The connection is judged once, and read once.
    expect(result.findings.filter((f) => f.id === 'account/ldap-connection')).toHaveLength(1);
    expect(result.probes.filter((p) => p.id === 'ldap.ad')).toHaveLength(1);
  });

  it("a facts file keeps each gMSA's facts under its subject, and analyze judges each the same way", async () => {
    const o = options({ gmsas: ['webapp02', 'orphanapp01'], host: 'containerhost01' });
    const plan = planProbes(adProbes(o), o);
    const { facts } = await gather(
      plan.checks.flatMap((c) => [...declaredFacts(c)]),
      { ...plan, timeoutMs: o.timeoutMs },
    );
    const file = factsFile(facts.snapshot(), {});
    expect(Object.keys(file.subjects.gmsa ?? {})).toEqual(['webapp02', 'orphanapp01']);
    const saved = loadFactsFile(JSON.stringify(file), 'facts.json');
    expect(saved.inputErrors).toEqual([]);
    const report = await analyzeFacts(saved);
    expect(report.findings.filter((f) => f.id === 'host/can-retrieve-password').map((f) => f.severity)).toEqual([
      'pass',
      'error',
    ]);
    expect(report.mostLikelyCause).toMatchObject({ findingId: 'host/can-retrieve-password' });
  });
});

describe('saved facts', () => {
  it('every AD fact of a real run has the shape analyze validates', async () => {
    const o = options({ gmsa: 'webapp01', host: 'containerhost03', clientNames: ['lb.contoso.com'] });
    const snapshot = (
      await gather(
        FACT_KEYS.filter((k) => k.startsWith('ad.')),
        { probes: adProbes(o), timeoutMs: 3000 },
      )
    ).facts.snapshot();
    const results = { ...snapshot.facts, ...snapshot.subjects.gmsa?.webapp01 };
    const keys = FACT_KEYS.filter((k) => k.startsWith('ad.'));
    expect(keys.filter((k) => results[k]?.status !== 'ok')).toEqual([]);
    for (const key of keys)
      expect(factSchema(key).safeParse((results[key] as { value: unknown }).value).error, key).toBeUndefined();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});

describe('read only, and never the password', () => {
  it('names every attribute it asks for, never the managed password, and writes nothing', async () => {
    const search = vi.spyOn(Client.prototype, 'search');
    const writes = (['add', 'modify', 'del', 'modifyDN', 'exop'] as const).map((m) => vi.spyOn(Client.prototype, m));
    try {
      await findings({ gmsa: 'webapp01', host: 'containerhost04', clientNames: ['lb.contoso.com'] });
      const requested = search.mock.calls.flatMap(([, o]) => o?.attributes ?? []);
      expect(search.mock.calls.length).toBeGreaterThan(5);
      expect(search.mock.calls.every(([, o]) => (o?.attributes?.length ?? 0) > 0)).toBe(true);
      expect(requested.filter((a) => a === '*' || a === '+' || /^msDS-ManagedPassword$/i.test(a))).toEqual([]);
      expect(writes.map((w) => w.mock.calls.length)).toEqual([0, 0, 0, 0, 0]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('credential specs against the live domain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-ad-'));
  const flags = (out: string): Parameters<typeof credspecNew>[0] => ({
    gmsa: 'webapp01',
    additional: [],
    out,
    dc: L.ip,
    timeout: '3',
    ldap: 'ldaps',
    ca: L.caFile,
    user: L.adminUser,
  });

  it('credspec new writes a spec that passes lint and credspec/matches-domain', async () => {
    process.env.GMSA_DOCTOR_PASSWORD = L.adminPassword;
    const file = join(dir, 'contoso_webapp01.json');
    await credspecNew(flags(file));
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      DomainJoinConfig: {
        Sid: L.domainSid,
        Guid: L.domainGuid,
        DnsName: L.dnsDomain,
        NetBiosName: L.netbios,
        MachineAccountName: 'webapp01',
      },
    });
    expect(lintCredSpecText(text, file).filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
    expect(one(await findings({ credspec: [file], domain: L.dnsDomain }), 'credspec/matches-domain').severity).toBe(
      'pass',
    );
    await expect(credspecNew(flags(file))).rejects.toThrow(/already exists: pass --force/);
  });

  it('names the pasted account SID and the wrong NetBIOS name', async () => {
    const file = join(dir, 'wrong.json');
    const spec = JSON.parse(readFileSync(join(dir, 'contoso_webapp01.json'), 'utf8')) as {
      DomainJoinConfig: Record<string, string>;
    };
    spec.DomainJoinConfig.Sid = `${L.domainSid}-1105`;
    spec.DomainJoinConfig.NetBiosName = 'FABRIKAM';
    writeFileSync(file, JSON.stringify(spec, null, 2));
    const mismatches = (await findings({ credspec: [file], domain: L.dnsDomain })).filter(
      (f) => f.id === 'credspec/matches-domain',
    );
    expect(mismatches.map((f) => f.message)).toEqual([
      `Sid ${L.domainSid}-1105 is an account SID of contoso.com, not the domain SID ${L.domainSid} (a gMSA's own SID pasted where the domain's belongs)`,
      'NetBiosName "FABRIKAM" is not the domain\'s NetBIOS name "CONTOSO"',
    ]);
  });
});

describe('connection', () => {
  it('binds with GSSAPI after kinit, over LDAPS and StartTLS, by name and by address', async () => {
    const { env } = await kinit(L.adminUser.replace(/@.*/, `@${L.realm}`), L.adminPassword);
    Object.assign(process.env, env);
    for (const [dc, transport] of [
      [L.dcFqdn, 'ldaps'],
      [L.ip, 'starttls'],
    ] as const) {
      const all = await findings({
        gmsa: 'webapp01',
        dc,
        dnsServer: L.ip,
        ldap: { transport, user: undefined, password: undefined, kerberos: true },
      });
      expect(one(all, 'account/ldap-connection').message).toBe(
        `Read AD from ${dc} over ${transport.toUpperCase()} with a gssapi bind as Administrator@${L.realm}`,
      );
      expect(one(all, 'account/exists').severity).toBe('pass');
    }
  });

  it('without --user or --kerberos: integrated auth with a ticket, else the rootDSE only and why', async () => {
    const { env } = await kinit(`Administrator@${L.realm}`, L.adminPassword);
    Object.assign(process.env, env);
    const integrated = one(
      await findings({ gmsa: 'webapp01', ldap: { user: undefined, password: undefined } }),
      'account/ldap-connection',
    );
    expect(integrated.message).toBe(`Read AD from ${L.ip} over LDAPS with a gssapi bind as Administrator@${L.realm}`);
    process.env.KRB5CCNAME = `FILE:${join(mkdtempSync(join(tmpdir(), 'gmsa-no-ticket-')), 'none')}`;
    const anonymous = one(
      await findings({ gmsa: 'webapp01', ldap: { user: undefined, password: undefined } }),
      'account/ldap-connection',
    );
    expect(anonymous.message).toBe(
      `no credentials given: ${L.ip}:636 does not let an anonymous session read the directory`,
    );
    expect(anonymous.severity).toBe('skipped');
    expect(anonymous.remediation?.text).toMatch(
      /Kerberos was tried first: no Kerberos ticket for ldap\/DC1\.contoso\.com/i,
    );
  });

  it('a plain simple bind on a DC that requires strong auth gets the LDAPS/StartTLS advice', async () => {
    await withStrongAuth(async () => {
      const f = one(await findings({ gmsa: 'webapp01', ldap: { transport: 'ldap' } }), 'account/ldap-connection');
      expect(f.severity).toBe('error');
      expect(f.message).toContain('requires strong authentication (LDAP result 8)');
      expect(f.remediation?.text).toMatch(/Use LDAPS .* or StartTLS/);
    });
  });

  it('a wrong password is named as such (AD sub-code 52e)', async () => {
    const f = one(
      await findings({ gmsa: 'webapp01', ldap: { password: 'not the password' } }),
      'account/ldap-connection',
    );
    expect(f.message).toContain('(LDAP result 49, AD sub-code 52e)');
    expect(f.remediation?.text).toMatch(/^Wrong password for Administrator@contoso.com/);
  });

  it('an untrusted certificate points to --ca', async () => {
    const f = one(await findings({ gmsa: 'webapp01', ldap: { caFile: undefined } }), 'account/ldap-connection');
    expect(f.message).toMatch(/is not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
    expect(f.remediation?.text).toContain('--ca FILE');
  });

  it('a refused LDAPS port is an unreachable DC, a dropped one a timeout', async () => {
    await withFault({ kind: 'block', port: 636, proto: 'tcp', mode: 'reject' }, async () => {
      expect(one(await findings({ gmsa: 'webapp01' }), 'account/ldap-connection').message).toMatch(
        /is unreachable: ECONNREFUSED/,
      );
    });
    await withFault({ kind: 'block', port: 636, proto: 'tcp', mode: 'drop' }, async () => {
      const report = await runAd({ gmsa: 'webapp01', timeoutMs: 1000 });
      expect(one(report.findings, 'account/ldap-connection').message).toMatch(/did not answer in time/);
    });
  });

  it('reads AD through a slow link, and reports a timeout (not a skip) when the link is slower than --timeout', async () => {
    await withFault({ kind: 'delay', ms: 300 }, async ({ ip }) => {
      const all = await findings({ gmsa: 'webapp01', host: 'containerhost01', dc: ip });
      expect(one(all, 'account/ldap-connection').severity).toBe('pass');
      expect(one(all, 'host/can-retrieve-password').severity).toBe('pass');
    });
    await withFault({ kind: 'delay', ms: 1500 }, async ({ ip }) => {
      const f = one(await findings({ gmsa: 'webapp01', dc: ip, timeoutMs: 1000 }), 'account/ldap-connection');
      expect(f).toMatchObject({
        severity: 'error',
        message: expect.stringContaining('did not answer in time') as string,
      });
    });
  });
});
