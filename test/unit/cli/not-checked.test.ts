/**
 * Nothing silent about what was not checked: `check --domain D` without --gmsa used to end with "none found", exit
 * 0, the account and host checks simply absent. Every report now names each check that did not run and what would
 * run it. The DC is this machine's loopback address, where nothing answers: the run ends in about a second.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';

const CHECK = ['check', '--domain', 'contoso.test', '--dc', '127.0.0.1', '--dns-server', '127.0.0.1', '--timeout', '1'];

interface Json {
  findings: { id: string }[];
  notChecked: { id: string; title: string; section: string; how: string }[];
}

describe('check without --gmsa: not checked here', () => {
  it('lists the account and host checks as not checked, with the flag or place that would run them (JSON)', async () => {
    const { out } = await cli(...CHECK, '--format', 'json');
    const json = JSON.parse(out) as Json;
    const how = (id: string) => json.notChecked.find((n) => n.id === id)?.how;
    expect(how('account/exists')).toBe('--gmsa NAME, with --domain D or --dc HOST');
    expect(how('account/encryption-types')).toBe('--gmsa NAME, with --domain D or --dc HOST');
    expect(how('host/can-retrieve-password')).toBe('--gmsa NAME and --host COMPUTER, with --domain D or --dc HOST');
    expect(how('host/domain-joined')).toBe('run on the container host');
    expect(how('container/secure-channel')).toBe('run on the container host (docker or crictl exec in each container)');
    expect(how('events/ccg-gmsa-fetch')).toBe('--events FILE');
    expect(json.notChecked.find((n) => n.id === 'account/exists')).toMatchObject({
      title: 'The gMSA exists, is a group managed service account and is enabled',
      section: 'account',
    });
    // What ran and what did not make up the whole catalogue, once each.
    const ran = new Set(json.findings.map((f) => f.id));
    expect([...ran].filter((id) => json.notChecked.some((n) => n.id === id))).toEqual([]);
    expect(ran.size + json.notChecked.length).toBe(65);
    expect([...ran].every((id) => id.startsWith('network/'))).toBe(true);
  }, 15_000);

  it('says so in the text and HTML reports too', async () => {
    const text = (await cli(...CHECK, '--no-color')).out;
    expect(text).toMatch(/^Not checked here \(57 checks\)$/m);
    expect(text).toMatch(
      /^ {2}○ --gmsa NAME, with --domain D or --dc HOST: account\/exists, account\/duplicate-name,/m,
    );
    expect(text).toMatch(/^ {2}○ run on the container host: host\/domain-joined, host\/dc-reachable,/m);
    const html = (await cli(...CHECK, '--format', 'html')).out;
    expect(html).toContain('<h2>Not checked here</h2>');
    expect(html).toContain(
      '<dt><code>host/can-retrieve-password</code></dt><dd>The host may retrieve the gMSA password (Test-ADServiceAccount, explained): --gmsa NAME and --host COMPUTER, with --domain D or --dc HOST</dd>',
    );
  }, 30_000);

  it('a run where every check that ran passed does not say "none found" as if nothing were left', async () => {
    const { code, out } = await cli(
      'check',
      '--credspec',
      new URL('../../fixtures/credspec/samples/xiaoping8385-TKGi-GMSA__WebApp01.json', import.meta.url).pathname,
      '--no-color',
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /Most likely cause: none found among the checks that ran \(\d+ did not run here: see Not checked here\)/,
    );
  });
});
