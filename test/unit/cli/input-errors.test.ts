/**
 * The same input error gets the same handling in every command: a file that cannot be read (or is not what it
 * should be) and a usage problem are named with what to pass, the exit code is 2, the rest is still judged, and
 * neither ever becomes the most likely cause. A run with nothing to judge is refused, and a check with nothing to
 * look at is skipped with the reason, never passed.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountNameOf } from '../../../src/cli/options.js';
import { cli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gmsa-input-errors-'));
const at = (name: string): string => join(dir, name);
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const EXAMPLE = new URL('../../../examples/facts/containerhost02.json', import.meta.url).pathname;

interface JsonReport {
  exitCode: number;
  inputErrors: { file: string; reason: string; usage?: true }[];
  mostLikelyCause?: { findingId: string };
  findings: { id: string; severity: string; message: string; about?: { kind: string; id: string } }[];
}

async function json(...args: string[]): Promise<{ code: number; report: JsonReport; err: string }> {
  const { code, out, err } = await cli(...args, '--format', 'json');
  return { code, report: JSON.parse(out) as JsonReport, err };
}

/** The first run of a command loads its modules: slow on a busy machine, so a generous timeout per test. */
const SLOW = { timeout: 30_000 };

describe('an unreadable input is an input error in every command: exit 2, named, never the cause', SLOW, () => {
  it.each([
    ['--credspec', 'missing.json', 'no such file or folder'],
    ['--inspect', 'missing.json', 'no such file'],
    ['--events', 'missing.evtx', 'no such file'],
  ])('check %s %s', async (flag, name, reason) => {
    const { code, report } = await json('check', flag, at(name));
    expect(code).toBe(2);
    expect(report.inputErrors).toEqual([{ file: at(name), reason }]);
    expect(report.mostLikelyCause).toBeUndefined();
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('check goes on with the other inputs', async () => {
    const spec = join(FIXTURES, 'credspec/samples/xiaoping8385-TKGi-GMSA__WebApp01.json');
    const { code, report } = await json('check', '--credspec', at('missing.json'), '--credspec', spec);
    expect(code).toBe(2);
    expect(report.findings.filter((f) => f.severity === 'pass').length).toBeGreaterThan(5);
  });

  it('dc --ca: a missing file or one without a PEM certificate is refused before the run', async () => {
    const missing = await cli('dc', '--dc', '127.0.0.1', '--ca', at('missing.pem'));
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`gmsa-doctor: --ca ${at('missing.pem')}: no such file\n`);
    writeFileSync(at('not.pem'), 'hello\n');
    const notPem = await cli('check', '--dc', '127.0.0.1', '--gmsa', 'webapp01', '--ca', at('not.pem'));
    expect(notPem.code).toBe(2);
    expect(notPem.err).toMatch(/--ca .*not\.pem: no PEM certificate in it/);
    expect(notPem.out).toBe('');
  });

  it('credspec lint: plain text and a .reg export are "not a credential spec", exit 2', async () => {
    writeFileSync(at('notes.txt'), 'Remember to rotate the gMSA password on Friday.\n');
    const reg = [
      'Windows Registry Editor Version 5.00',
      '',
      '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{859E1386-BDB4-49E8-85C7-3070B13920E1}]',
      '@=""',
      '',
    ].join('\r\n');
    // regedit exports UTF-16 LE with a byte order mark.
    writeFileSync(at('ccg.reg'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(reg, 'utf16le')]));
    writeFileSync(at('package.json'), '{"name": "webapp", "version": "1.0.0"}');
    const { code, report } = await json('credspec', 'lint', at('notes.txt'), at('ccg.reg'), at('package.json'));
    expect(code).toBe(2);
    expect(report.inputErrors.map((e) => e.file)).toEqual([at('notes.txt'), at('ccg.reg'), at('package.json')]);
    for (const e of report.inputErrors) expect(e.reason).toMatch(/^not a credential spec/);
    expect(report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
  });

  it('a JSON GMSACredentialSpec resource (kubectl get -o json) is linted as the resource it is', async () => {
    const yaml = readFileSync(
      join(FIXTURES, 'credspec/samples/kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml'),
      'utf8',
    );
    const { parse } = await import('yaml');
    writeFileSync(at('resource.json'), JSON.stringify(parse(yaml)));
    const { report } = await json('credspec', 'lint', at('resource.json'));
    expect(report.inputErrors).toEqual([]);
    expect(report.findings.some((f) => f.id === 'credspec/k8s-resource' && f.severity === 'error')).toBe(true);
  });
});

describe('usage problems: say what to pass, exit 2', SLOW, () => {
  it('--gmsa or --host without a domain to read them from', async () => {
    for (const args of [
      ['check', '--gmsa', 'webapp01'],
      ['check', '--host', 'containerhost02'],
      ['collect', '--out', at('c.json'), '--gmsa', 'webapp01'],
    ]) {
      const { code, out, err } = await cli(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(/read from Active Directory, which needs its domain: pass --domain DOMAIN .* or --dc HOST/);
    }
  });

  it('the forms of --gmsa and --host are normalised to the SAM name, or refused with the form to use', () => {
    for (const given of ['webapp01', 'webapp01$', 'CONTOSO\\webapp01', 'webapp01.contoso.com', 'webapp01$@CONTOSO.COM'])
      expect(accountNameOf('--gmsa', given), given).toBe('webapp01');
    expect(accountNameOf('--gmsa', 'webapp01.contoso', 'contoso')).toBe('webapp01');
    expect(accountNameOf('--host', 'CONTOSO\\containerhost02', undefined, true)).toBe('containerhost02');
    expect(accountNameOf('--host', 'containerhost02$', undefined, true)).toBe('containerhost02');
    expect(accountNameOf('--host', 'containerhost02.contoso.com', undefined, true)).toBe('containerhost02.contoso.com');
    for (const bad of ['CN=webapp01,CN=Managed Service Accounts,DC=contoso,DC=com', 'web/app', '', 'a b'])
      expect(() => accountNameOf('--gmsa', bad), bad).toThrow(/give the SAM account name, e\.g\. webapp01/);
  });

  it('check judges CONTOSO\\webapp01 as the gMSA webapp01, and refuses a distinguished name', async () => {
    const { report } = await json('check', '--gmsa', 'CONTOSO\\webapp01', '--dc', '127.0.0.1', '--timeout', '1');
    expect(report.findings.filter((f) => f.about?.kind === 'gmsa').map((f) => f.about!.id)).toContain('webapp01');
    expect(report.findings.some((f) => f.about?.id.includes('\\'))).toBe(false);
    const dn = await cli('check', '--gmsa', 'CN=webapp01,DC=contoso,DC=com', '--dc', '127.0.0.1');
    expect(dn.code).toBe(2);
    expect(dn.err).toMatch(/--gmsa CN=webapp01,DC=contoso,DC=com: a distinguished name; give the SAM account name/);
  });

  /** The bundled example, changed as a run against another DC or with another --host would have saved it. */
  function exampleWith(change: (facts: Record<string, any>) => void, name: string): string {
    const file = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, any>;
    change(file.facts as Record<string, any>);
    writeFileSync(at(name), JSON.stringify(file));
    return at(name);
  }

  it('no credentials where the DC refuses anonymous reads: a usage error, not a DC fault', async () => {
    const file = exampleWith((facts) => {
      facts['ad.connection'].value = {
        ...facts['ad.connection'].value,
        bind: 'anonymous',
        identity: undefined,
        ok: false,
        problem: {
          kind: 'bind-required',
          resultCode: 1,
          detail:
            '000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this operation a successful bind must be completed on the connection., data 0, v4563',
        },
      };
      for (const key of ['ad.domain', 'ad.host', 'ad.hostGroups', 'ad.accounts'])
        facts[key] = { status: 'unavailable', reason: 'the LDAP session failed (see account/ldap-connection)' };
    }, 'anonymous.json');
    const { code, report } = await json('analyze', file);
    expect(code).toBe(2);
    expect(report.inputErrors).toEqual([
      expect.objectContaining({
        file: '--user',
        usage: true,
        reason: expect.stringMatching(/--user USER@DOMAIN .* or with --kerberos/) as unknown,
      }),
    ]);
    expect(report.findings.find((f) => f.id === 'account/ldap-connection')?.severity).toBe('skipped');
    expect(report.mostLikelyCause?.findingId).not.toBe('account/ldap-connection');
  });

  it('a --host that names no computer of the domain: a usage error, and the gMSA is not blamed', async () => {
    const file = exampleWith((facts) => {
      facts['ad.host'].value = { name: 'containerhost99', given: true, host: null };
      facts['ad.hostGroups'].value = [];
    }, 'ghost-host.json');
    const { code, report } = await json('analyze', file);
    expect(code).toBe(2);
    expect(report.inputErrors).toEqual([
      {
        file: '--host containerhost99',
        usage: true,
        reason: expect.stringMatching(
          /^no computer containerhost99\$ in contoso\.com: pass the container host's computer name/,
        ) as unknown,
      },
    ]);
    const sameDomain = report.findings.find((f) => f.id === 'account/same-domain');
    expect(sameDomain?.severity).toBe('skipped');
    expect(report.mostLikelyCause?.findingId ?? '').not.toMatch(/same-domain/);
  });

  it('this host (found by discovery) missing from the gMSA domain stays a finding: it is joined elsewhere', async () => {
    const file = exampleWith((facts) => {
      facts['ad.host'].value = { name: 'containerhost99', host: null };
      facts['ad.hostGroups'].value = [];
    }, 'other-domain-host.json');
    const { report } = await json('analyze', file);
    expect(report.inputErrors).toEqual([]);
    expect(report.findings.find((f) => f.id === 'account/same-domain')?.severity).toBe('error');
  });
});

describe('nothing to judge is refused, never reported as clean', SLOW, () => {
  it('collect where nothing can be gathered saves nothing and exits 2', async () => {
    const { code, err } = await cli('collect', '--out', at('nothing.json'));
    expect(code).toBe(2);
    expect(err).toMatch(/nothing to check here/);
    expect(existsSync(at('nothing.json'))).toBe(false);
  });

  it('analyze of a facts file without a fact exits 2 instead of "none found"', async () => {
    writeFileSync(
      at('empty-facts.json'),
      JSON.stringify({ format: 'gmsa-doctor-facts', version: 2, facts: {}, subjects: {} }),
    );
    const { code, out, err } = await cli('analyze', at('empty-facts.json'));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`${at('empty-facts.json')}: holds no fact any check judges`);
  });

  it('event checks over logs without a record are skipped with the reason, none passes', async () => {
    writeFileSync(at('empty.xml'), '<?xml version="1.0" encoding="utf-8"?>\n<Events>\n</Events>\n');
    const { code, report } = await json('events', at('empty.xml'));
    expect(code).toBe(0);
    const judged = report.findings.filter((f) => f.id !== 'events/log-readable');
    expect(judged.length).toBeGreaterThan(5);
    for (const f of judged) {
      expect(f.severity, f.id).toBe('skipped');
      expect(f.message).toMatch(/^not judged: the log holds no event record/);
    }
  });

  it('collect with an unreadable input saves what it gathered, names the file and exits 2', async () => {
    const spec = join(FIXTURES, 'credspec/samples/xiaoping8385-TKGi-GMSA__WebApp01.json');
    const out = at('partial.json');
    const { code, err } = await cli('collect', '--out', out, '--credspec', spec, '--credspec', at('missing.json'));
    expect(code).toBe(2);
    expect(err).toContain(`gmsa-doctor: cannot read ${at('missing.json')}: no such file or folder`);
    expect(existsSync(out)).toBe(true);
  });
});
