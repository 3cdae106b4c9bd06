/**
 * `gmsa-doctor explain` takes anything a user holds: a check id, a status code in any form, a message fragment, a
 * file, or a paste on standard input; it judges a paste with the same checks and formats as the other commands,
 * quotes the pasted lines, says when nothing was recognised (exit 2), and never prints a secret from the paste.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../helpers/built-cli.js';
import { judgePaste } from '../../../src/index.js';
import { cli } from '../../helpers/cli.js';

const EVIDENCE = new URL('../../fixtures/evidence/', import.meta.url).pathname;

const CREDSPECS = new URL('../../fixtures/credspec/samples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gmsa-explain-'));
const SLOW = { timeout: 60_000 };

/** Real pastes (test/fixtures/evidence/PROVENANCE.md). */
const NO_TRUST_LSA = `${EVIDENCE}xiaoping8385-TKGi-GMSA__operation-log__whoami-nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt`;
const CRD_MISSING = `${EVIDENCE}kubernetes-sigs-windows-gmsa-79__no-matches-for-kind-GMSACredentialSpec-v1.txt`;

interface JsonReport {
  exitCode: number;
  mostLikelyCause?: { kind?: string; findingId: string; summary: string };
  findings: { id: string; severity: string; quote?: { line: number; text: string }[]; location?: { line?: number } }[];
  inputErrors: { reason: string }[];
  paste?: { verdict: string; source: string; codes: { name?: string; hex: string }[]; nextSteps: string[] };
}

async function json(...args: string[]): Promise<JsonReport> {
  const { out } = await cli('explain', ...args, '--format', 'json');
  return JSON.parse(out) as JsonReport;
}

describe('explain: a check id or a status code', SLOW, () => {
  it('documents a check', async () => {
    const { code, out } = await cli('explain', 'host/can-retrieve-password');
    expect(code).toBe(0);
    expect(out).toMatch(/^host\/can-retrieve-password: /);
    expect(out).toMatch(/^Fix: /m);
  });

  it.each([
    ['0xC0020017', 'RPC_NT_SERVER_UNAVAILABLE'],
    ['3489661022', 'STATUS_NO_LOGON_SERVERS'],
    ['-1073741730', 'STATUS_NO_LOGON_SERVERS'],
    ['#3489661022', 'STATUS_NO_LOGON_SERVERS'],
    ['winapi error #3489792023', 'RPC_NT_SERVER_UNAVAILABLE'],
    ['1787', 'ERROR_NO_TRUST_SAM_ACCOUNT'],
    ['0x6fb', 'ERROR_NO_TRUST_SAM_ACCOUNT'],
    ['ERROR_NO_LOGON_SERVERS', 'ERROR_NO_LOGON_SERVERS'],
    ['KDC_ERR_S_PRINCIPAL_UNKNOWN', 'KDC_ERR_S_PRINCIPAL_UNKNOWN'],
    ['data 52e', 'ERROR_LOGON_FAILURE'],
  ])('decodes %s as %s, with what it means for a gMSA container', async (input, name) => {
    const { code, out } = await cli('explain', input);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toContain(name);
    expect(out).toMatch(/^For a gMSA container: /m);
  });

  it('a code in JSON is the paste report with the code decoded', async () => {
    const report = await json('0xC0020017');
    expect(report.paste?.codes).toEqual([expect.objectContaining({ name: 'RPC_NT_SERVER_UNAVAILABLE' })]);
  });

  it('documents a Kubernetes rule, and names the closest for a partial one', async () => {
    const { code, out } = await cli('explain', 'k8s/webhook-certificate');
    expect(code).toBe(0);
    expect(out).toMatch(/^k8s\/webhook-certificate: /);
    const near = await cli('explain', 'k8s/webhook');
    expect(near.code).toBe(2);
    expect(near.err).toContain('Did you mean: k8s/webhook-installed');
  });

  it('an id almost right names the closest checks (exit 2)', async () => {
    const { code, err } = await cli('explain', 'firewall');
    expect(code).toBe(2);
    expect(err).toContain('Did you mean: network/firewall');
  });
});

describe('explain: pasted evidence', SLOW, () => {
  it('a transcript file: the most likely cause, the pasted lines quoted, next steps with its values (exit 1)', async () => {
    const { code, out } = await cli('explain', NO_TRUST_LSA);
    expect(code).toBe(1);
    expect(out).toContain('Recognised: whoami (line 2), nltest /query (lines 4-6), nltest /sc_reset (line 8)');
    expect(out).toMatch(/line 5: Connection Status = 1786 0x6fa ERROR_NO_TRUST_LSA_SECRET/);
    expect(out).toMatch(/^Most likely cause \(container\): Credential spec not applied: /m);
    expect(out).toContain('gmsa-doctor check --domain gmsaping.com');
  });

  it('JSON carries the verdict, the fault kind and the quotes; every finding that rests on a line points at it', async () => {
    const report = await json(NO_TRUST_LSA);
    expect(report.exitCode).toBe(1);
    expect(report.paste?.verdict).toBe('gmsa-failure');
    expect(report.mostLikelyCause?.kind).toBe('credspec-not-applied');
    for (const f of report.findings.filter((f) => f.quote?.length))
      expect(f.quote!.map((q) => q.line)).toContain(f.location?.line);
  });

  it('a message fragment typed on the command line', async () => {
    const crd = await json(
      'error: unable to recognize "gmsa.yml": no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"',
    );
    expect(crd.paste?.source).toBe('the command line');
    expect(crd.mostLikelyCause?.kind).toBe('crd-missing');
  });

  it('the library judges a paste as the command does (judgePaste)', async () => {
    const report = await judgePaste(readFileSync(NO_TRUST_LSA), 'tkgi.txt');
    expect(report.paste?.verdict).toBe('gmsa-failure');
    expect(report.mostLikelyCause?.kind).toBe('credspec-not-applied');
  });

  it('a look-alike is called not a gMSA failure and says what it is instead', async () => {
    const report = await json(`${EVIDENCE}microsoft-hcsshim-2566__preparelayer-0xc0370112-ltsc2025-on-win11-25h2.txt`);
    expect(report.paste?.verdict).toBe('not-gmsa');
    expect(report.mostLikelyCause).toBeUndefined();
    const { out } = await cli(
      'explain',
      `${EVIDENCE}microsoft-hcsshim-2566__preparelayer-0xc0370112-ltsc2025-on-win11-25h2.txt`,
    );
    expect(out).toMatch(/^Verdict: Not a gMSA failure: The container image's Windows version does not suit the host/m);
  });

  it('a working piece is healthy: no cause, exit 0', async () => {
    const { code, out } = await cli(
      'explain',
      `${EVIDENCE}xiaoping8385-TKGi-GMSA__operation-log__nltest-sc_verify-success.txt`,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^Verdict: No gMSA failure in the paste/m);
  });

  it('nothing recognised: says so, lists what it reads, exit 2', async () => {
    const file = join(dir, 'unrelated.txt');
    writeFileSync(file, 'GET /api/items 200 12ms\nGET /api/items/3 404 3ms\n');
    const { code, out } = await cli('explain', file);
    expect(code).toBe(2);
    expect(out).toMatch(/no gMSA evidence recognised in 2 lines\. explain reads: nltest \(any subcommand\), klist/);
  });

  it('an event log given whole is judged as its events; one without a gMSA event says so (exit 2)', async () => {
    const events = new URL('../../fixtures/events/', import.meta.url).pathname;
    const report = await json(`${events}ccg-admin.wevtutil.xml`);
    expect(report.mostLikelyCause?.findingId).toBe('events/ccg-plugin-load');
    const { code, out } = await cli('explain', `${events}omerbenamram-evtx__Security_short_selected.evtx`);
    expect(code).toBe(2);
    expect(out).toContain('no gMSA-related event in this evtx log');
  });

  it('a credential spec beside Get-ADDomain output is judged against that domain', async () => {
    const file = join(dir, 'spec-and-domain.txt');
    writeFileSync(
      file,
      `${readFileSync(`${CREDSPECS}MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json`, 'utf8')}\n\n${readFileSync(`${EVIDENCE}xiaoping8385-TKGi-GMSA__operation-log__Get-ADDomain.txt`, 'utf8')}`,
    );
    const report = await json(file);
    expect(report.mostLikelyCause?.findingId).toBe('credspec/matches-domain');
    expect(report.findings.find((f) => f.id === 'credspec/matches-domain')?.quote?.[0]?.text).toMatch(
      /"Sid": "S-1-5-21-/,
    );
  });

  it('HTML and SARIF: the same judgement', async () => {
    const { out: html } = await cli('explain', CRD_MISSING, '--format', 'html');
    expect(html).toContain('GMSACredentialSpec CRD not installed');
    expect(html).toContain('line 2: no matches for kind');
    const { out: sarif } = await cli('explain', CRD_MISSING, '--format', 'sarif');
    const result = (
      JSON.parse(sarif) as {
        runs: {
          results: { ruleId: string; locations?: { physicalLocation: { region?: { startLine: number } } }[] }[];
        }[];
      }
    ).runs[0]!.results.find((r) => r.ruleId === 'cluster/gmsa-crd');
    expect(result?.locations?.[0]?.physicalLocation.region?.startLine).toBe(2);
  });

  it('a PluginInput in a pasted credential spec is never printed, in any format', async () => {
    const file = join(dir, 'plugin-input.txt');
    const spec = JSON.parse(
      readFileSync(
        `${CREDSPECS}MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__non-domain-joined-example.json`,
        'utf8',
      ),
    ) as {
      ActiveDirectoryConfig: { HostAccountConfig: { PluginInput: string } };
    };
    spec.ActiveDirectoryConfig.HostAccountConfig.PluginInput =
      'SecretArn=arn:aws:secretsmanager:us-west-2:1:secret:canary-Z9q';
    writeFileSync(file, JSON.stringify(spec, null, 2));
    for (const format of ['text', 'json', 'html', 'sarif']) {
      const { out } = await cli('explain', file, '--format', format, '--verbose');
      expect(out, format).not.toContain('canary-Z9q');
    }
  });
});

describe('explain: standard input and analyze', SLOW, () => {
  let bundle = '';
  beforeAll(async () => {
    bundle = await buildCli();
  }, 120_000);

  const run = (args: string[], input: string | Buffer) =>
    spawnSync(process.execPath, [bundle, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('reads a paste from - and from a pipe without arguments, UTF-16 included', () => {
    const paste = readFileSync(CRD_MISSING, 'utf8');
    for (const [args, input] of [
      [['explain', '-'], paste],
      [['explain'], paste],
      [['explain'], Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(paste, 'utf16le')])],
    ] as const) {
      const result = run([...args], input);
      expect(result.status, result.stderr).toBe(1);
      expect(result.stdout).toContain('Read 3 lines from standard input');
      expect(result.stdout).toContain('GMSACredentialSpec CRD not installed');
    }
  });

  it('empty standard input is a usage error (exit 2)', () => {
    const result = run(['explain', '-'], '');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('standard input is empty');
  });

  it('analyze given a transcript points at explain', async () => {
    const { code, err } = await cli('analyze', NO_TRUST_LSA);
    expect(code).toBe(2);
    expect(err).toContain(`judge it with \`gmsa-doctor explain ${NO_TRUST_LSA}\``);
  });

  it('events reads event text as explain does', async () => {
    const { code, out } = await cli(
      'events',
      `${EVIDENCE}Azure-AKS-3849__ccg-event-failed-to-fetch-gmsa-credentials-logon-invalid.txt`,
    );
    expect(code).toBe(1);
    expect(out).toContain('events/ccg-gmsa-fetch');
  });
});
