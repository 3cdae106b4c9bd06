/**
 * Text that came from outside reaches the terminal neutralised: escape sequences (ESC, one-byte CSI 0x9b, bells,
 * bidirectional overrides) in credential specs, file names and DC names show as visible escapes in text output and
 * as \u escapes in JSON. And a secret written inside a text (a raw:// option, a spec quoted in a string, YAML) is
 * redacted by its field wherever it appears.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printableText, terminalSafeJson } from '../../../src/engine/printable.js';
import { redact, redactText, redactXml } from '../../../src/engine/redact.js';
import { cli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gmsa-outside-'));
const SPEC = new URL('../../fixtures/credspec/samples/xiaoping8385-TKGi-GMSA__WebApp01.json', import.meta.url);
/** What a terminal obeys: ESC, the C1 controls (0x9b is CSI), BEL, CR, and the bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'web\u001b[31mapp\u001b]0;owned\u0007\u009b2J\u202eevil\r';

describe('control characters from outside are neutralised in every text output', { timeout: 30_000 }, () => {
  it('printableText shows them as escapes and keeps tabs and line feeds', () => {
    expect(printableText(HOSTILE)).toBe('web\\x1b[31mapp\\x1b]0;owned\\x07\\x9b2J\\u202eevil\\x0d');
    expect(printableText('a\tb\r\nc\n')).toBe('a\tb\nc\n');
    expect(terminalSafeJson(JSON.stringify({ v: HOSTILE }))).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(terminalSafeJson(JSON.stringify({ v: HOSTILE })))).toEqual({ v: HOSTILE });
  });

  it('credspec lint: a value of the spec, in text, JSON and SARIF', async () => {
    const spec = JSON.parse(readFileSync(SPEC, 'utf8').replace(/^\uFEFF/, '')) as Record<string, any>;
    spec.DomainJoinConfig.MachineAccountName = HOSTILE;
    const file = join(dir, 'hostile.json');
    writeFileSync(file, JSON.stringify(spec, null, 2));
    const text = await cli('credspec', 'lint', file, '--no-color');
    expect(text.out).toContain('web\\x1b[31mapp');
    expect(text.out).not.toMatch(RAW_CONTROL);
    for (const format of ['json', 'sarif']) {
      const { out } = await cli('credspec', 'lint', file, '--format', format);
      expect(out, format).not.toMatch(RAW_CONTROL);
      expect(JSON.stringify(JSON.parse(out))).toContain('\\u001b[31m');
    }
  });

  it('a file name in an input error, on stdout and on stderr', async () => {
    const name = join(dir, 'spec\u001b[2J.json');
    const lint = await cli('credspec', 'lint', name, '--no-color');
    expect(lint.out).toContain('spec\\x1b[2J.json');
    expect(lint.out).not.toMatch(RAW_CONTROL);
    const analyze = await cli('analyze', name);
    expect(analyze.err).toContain('spec\\x1b[2J.json: no such file');
    expect(analyze.err).not.toMatch(RAW_CONTROL);
  });

  it('events --dump --format xml: an event text, as character references', async () => {
    const log = readFileSync(new URL('../../fixtures/events/ccg-admin.wevtutil.xml', import.meta.url), 'utf8')
      .replace(/^\uFEFF/, '')
      .replace('<Data>WebApp01</Data>', `<Data>${HOSTILE}</Data>`);
    const file = join(dir, 'hostile-events.xml');
    writeFileSync(file, log);
    const { out } = await cli('events', '--dump', file, '--format', 'xml');
    expect(out).toContain('owned&#x9b;2J&#x202e;evil&#xd;</Data>');
    expect(out).not.toMatch(RAW_CONTROL);
  });

  it("dc: a DC name in dc's own table and findings", async () => {
    const { out } = await cli('dc', '--dc', 'dc\u001b]0;owned\u0007.invalid', '--timeout', '1', '--no-color');
    expect(out).toContain('dc\\x1b]0;owned\\x07.invalid');
    expect(out).not.toMatch(RAW_CONTROL);
  });
});

describe('a secret is redacted by its field, also inside a text', () => {
  const spec = '{"ActiveDirectoryConfig":{"HostAccountConfig":{"PluginGUID":"{1}","PluginInput":"s3cr\\"et"}}}';

  it('a credentialspec=raw:// option, a spec escaped inside a JSON string, YAML and key=value text', () => {
    expect(redactText(`credentialspec=raw://${spec}`)).toBe(
      'credentialspec=raw://{"ActiveDirectoryConfig":{"HostAccountConfig":{"PluginGUID":"{1}","PluginInput":"[redacted]"}}}',
    );
    expect(redactText(JSON.stringify(spec))).toBe(JSON.stringify(redactText(spec)));
    const twice = JSON.stringify(JSON.stringify({ PluginInput: 'a"\\b', next: 1 }));
    expect(JSON.parse(JSON.parse(redactText(twice)) as string)).toEqual({ PluginInput: '[redacted]', next: 1 });
    expect(redactText('  PluginInput: "contoso.com:gmsaccg:pw"\n  PluginGUID: x')).toBe(
      '  PluginInput: [redacted]\n  PluginGUID: x',
    );
    expect(redactText("PluginInput='a b'; next")).toBe('PluginInput=[redacted]; next');
    expect(redactText('{"password" : "hunter2", "user": "admin"}')).toBe(
      '{"password" : "[redacted]", "user": "admin"}',
    );
  });

  it('a spec cut off, spelled with escapes or not JSON at all, after raw:// or in a message', () => {
    const cut = 'credentialspec=raw://{"ActiveDirectoryConfig":{"HostAccountConfig":{"PluginInput":"pw';
    for (const text of [
      cut,
      `docker: ${cut}`,
      'credentialspec=raw://{"Plugin\\u0049nput":"pw"}',
      'credentialspec=RAW://{"pluginInput": "pw"}',
      "credentialspec=raw://{'PluginInput': 'pw'}",
      'credentialspec=raw://{PluginInput: pw}',
      `credentialspec=raw://${'['.repeat(200)}{"PluginInput":"pw"}${']'.repeat(200)}`,
      'Error: the spec {"HostAccountConfig":{"Plugin\\u0049nput":"pw"}} could not be parsed',
    ])
      expect(redactText(text), text).not.toMatch(/pw/);
    expect(redactText('credentialspec=raw://{"Plugin\\u0049nput":"pw","CmsPlugins":["ActiveDirectory"]}')).toBe(
      'credentialspec=raw://{"PluginInput":"[redacted]","CmsPlugins":["ActiveDirectory"]}',
    );
    expect(redactText('raw://{"CmsPlugins":["ActiveDirectory"], "x": "\\u0041"}')).toBe(
      'raw://{"CmsPlugins":["ActiveDirectory"], "x": "\\u0041"}',
    );
  });

  it('leaves texts that only mention a secret field alone', () => {
    for (const text of [
      'PluginInput holds no plaintext password',
      'containerhost02$ may not retrieve the password of webapp01$: no ACE grants read-property',
      'Wrong password for admin (AD sub-code 52e): check GMSA_DOCTOR_PASSWORD or --password-file.',
    ])
      expect(redactText(text)).toBe(text);
  });

  it('event XML: a Data element named like a secret, and a spec escaped in XML', () => {
    const xml = `<Data Name='PluginInput'>pw</Data><Data Name="Error">${spec.replace(/"/g, '&quot;')}</Data>`;
    expect(redactXml(xml)).toBe(
      `<Data Name='PluginInput'>[redacted]</Data><Data Name="Error">${redactText(spec).replace(/"/g, '&quot;')}</Data>`,
    );
  });

  it('redact reaches every string of a value: keys, arrays, nested texts', () => {
    expect(
      redact({ securityOpt: [`credentialspec=raw://${spec}`], evidence: { PluginInput: { nested: 'x' } }, n: 1 }),
    ).toEqual({
      securityOpt: [redactText(`credentialspec=raw://${spec}`)],
      evidence: { PluginInput: '[redacted]' },
      n: 1,
    });
  });
});
