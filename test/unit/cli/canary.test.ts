/**
 * No secret leaves the tool, in any command, any format or the file collect saves. Canary secrets are put where a
 * secret can appear: a credential spec's PluginInput (plain, and as the guide's `<password>` placeholder the
 * placeholder check looks at), a GMSACredentialSpec resource's PluginInput, a `credentialspec=raw://{...}` security
 * option (the whole spec inline) in a real `docker inspect` file and given to `credspec lint --security-opt`, a spec
 * written into an event's text and an event field named PluginInput, a facts file saved by an older version without
 * redaction, and the bind password (GMSA_DOCTOR_PASSWORD and --password-file). Every input is made at run time
 * from the real fixtures (test/fixtures/*), with only the canary put in.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';

const CANARY = 'CANARY-7d1f2e';
const canary = (n: number): string => `${CANARY}-${n}`;
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const fixture = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8').replace(/^\uFEFF/, '');

const dir = mkdtempSync(join(tmpdir(), 'gmsa-canary-'));
const at = (name: string): string => join(dir, name);

/** The guide's non-domain-joined example, its PluginInput holding the canary. */
function ccgSpec(pluginInput: string): Record<string, any> {
  const spec = JSON.parse(
    fixture(
      'credspec/samples/MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__non-domain-joined-example.json',
    ),
  ) as Record<string, any>;
  spec.ActiveDirectoryConfig.HostAccountConfig.PluginInput = pluginInput;
  return spec;
}

const rawOption = (n: number): string => `credentialspec=raw://${JSON.stringify(ccgSpec(canary(n)))}`;
/** raw:// specs a JSON reader would not take as they are: cut off, and with the key spelled by an escape. */
const oddRawOptions = (n: number): string[] => [
  rawOption(n).slice(0, rawOption(n).indexOf(canary(n)) + canary(n).length),
  rawOption(n).replace('"PluginInput"', '"Plugin\\u0049nput"'),
];

beforeAll(() => {
  writeFileSync(at('placeholder.json'), JSON.stringify(ccgSpec(`contoso.com:gmsaccg:<${canary(1)}>`), null, 2));
  writeFileSync(at('plain.json'), JSON.stringify(ccgSpec(`contoso.com:gmsaccg:${canary(2)}`), null, 2));
  writeFileSync(
    at('resource.yaml'),
    fixture('credspec/samples/k8s-windows-gmsa__credspec-with-hostagentconfig.yml')
      .replace('{{ index .CredSpecNames 0 }}', 'gmsa-webapp2')
      .replace('contoso.com:gmsaccg:<password>', `contoso.com:gmsaccg:<${canary(3)}>`),
  );
  const inspect = JSON.parse(
    fixture('host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
  ) as Record<string, any>[];
  inspect[0]!.HostConfig.SecurityOpt = [rawOption(4), ...oddRawOptions(4)];
  writeFileSync(at('inspect.json'), JSON.stringify(inspect, null, 2));
  // CCG event 3 ("failed to parse the credential spec") with a spec written into its text, and a field by name.
  const events = fixture('events/ccg-admin.wevtutil.xml').split('\n');
  const third = events.findIndex((line) => /<EventID>3<\/EventID>/.test(line));
  events[third] = events[third]!.replace(
    /<EventData>.*<\/EventData>/,
    `<EventData><Data Name='Error'>${rawOption(5).replace(/"/g, '&quot;')}</Data><Data Name='PluginInput'>${canary(6)}</Data></EventData>`,
  );
  writeFileSync(at('ccg.xml'), events.join('\n'));
  writeFileSync(at('password.txt'), `${canary(7)}\n`);
  // A facts file as a version without redaction would have saved it: the inspect data with the raw:// option.
  const facts = JSON.parse(fixture('../../examples/facts/containerhost02.json')) as Record<string, any>;
  const containers = facts.subjects.container as Record<string, Record<string, any>>;
  for (const c of Object.values(containers)) {
    const inspected = c['container.inspect'];
    if (inspected?.status !== 'ok') continue;
    inspected.value.securityOpt = [rawOption(8)];
    inspected.value.credentialSpecOption = rawOption(8);
  }
  writeFileSync(at('unredacted-facts.json'), JSON.stringify(facts));
});

afterEach(() => {
  delete process.env.GMSA_DOCTOR_PASSWORD;
});

/** Runs the command; nothing it printed (or wrote to -o FILE) may hold a canary. */
async function expectNoCanary(args: string[], output?: string): Promise<{ code: number; out: string }> {
  const result = await cli(...args);
  expect(result.out + result.err, args.join(' ')).not.toContain(CANARY);
  if (output) expect(readFileSync(output, 'utf8'), output).not.toContain(CANARY);
  return result;
}

const INPUTS = [
  '--credspec',
  at('placeholder.json'),
  '--credspec',
  at('plain.json'),
  '--credspec',
  at('resource.yaml'),
];
const HOST_INPUTS = [...INPUTS, '--inspect', at('inspect.json'), '--events', at('ccg.xml')];
/** A DC that refuses every connection at once: the bind password is used, and the run ends quickly. */
const DEAD_DC = ['--dc', '127.0.0.1', '--timeout', '1', '--gmsa', 'webapp01', '--host', 'containerhost02'];

describe('canary secrets never reach an output', { timeout: 30_000 }, () => {
  it('the inputs hold the canaries where the commands read them (the test would see a leak)', async () => {
    const lint = await cli('credspec', 'lint', at('placeholder.json'), '--format', 'json');
    expect(lint.out).toContain('PluginInput contains a documentation placeholder');
    const inspect = await cli('check', '--inspect', at('inspect.json'), '--format', 'json', '-v');
    expect(inspect.out).toContain('credentialspec=raw://');
    expect(readFileSync(at('inspect.json'), 'utf8')).toContain(canary(4));
    expect(readFileSync(at('ccg.xml'), 'utf8')).toContain(canary(6));
  });

  it.each(['text', 'json', 'sarif'])('credspec lint --format %s (files and --security-opt raw://)', async (format) => {
    const files = [at('placeholder.json'), at('plain.json'), at('resource.yaml')];
    const options = [rawOption(9), ...oddRawOptions(9)].flatMap((o) => ['--security-opt', o]);
    await expectNoCanary(['credspec', 'lint', ...files, ...options, '--format', format, '-v']);
  });

  it.each(['text', 'json', 'html'])('check --format %s with every input and a bind password', async (format) => {
    process.env.GMSA_DOCTOR_PASSWORD = canary(10);
    const out = at(`check.${format}`);
    await expectNoCanary(['check', ...HOST_INPUTS, ...DEAD_DC, '--user', 'admin', '--format', format, '-v']);
    await expectNoCanary(['check', ...HOST_INPUTS, '--format', format, '-v', '-o', out], out);
  });

  it('check and credspec new with the password from --password-file', async () => {
    await expectNoCanary(['check', ...DEAD_DC, '--user', 'admin', '--password-file', at('password.txt'), '-v']);
    await expectNoCanary(['check', ...DEAD_DC, '--user', 'admin', '--password-file', at('password.txt'), '-f', 'json']);
    const made = await expectNoCanary([
      'credspec',
      'new',
      '--gmsa',
      'webapp01',
      '--dc',
      '127.0.0.1',
      '--timeout',
      '1',
      '--user',
      'admin',
      '--password-file',
      at('password.txt'),
      '--out',
      at('new.json'),
    ]);
    expect(made.code).not.toBe(0);
  });

  it.each(['text', 'json'])('dc --format %s', async (format) => {
    process.env.GMSA_DOCTOR_PASSWORD = canary(11);
    await expectNoCanary(['dc', '--dc', '127.0.0.1', '--timeout', '1', '--gmsa', 'webapp01', '--format', format]);
  });

  it.each(['text', 'json', 'sarif'])('events --format %s', async (format) => {
    await expectNoCanary(['events', at('ccg.xml'), '--format', format, '-v']);
  });

  it.each(['json', 'xml'])('events --dump --format %s', async (format) => {
    const { out } = await expectNoCanary(['events', '--dump', at('ccg.xml'), '--format', format]);
    expect(out).toContain('[redacted]');
  });

  it("collect's saved file, and analyze of it in every format", async () => {
    process.env.GMSA_DOCTOR_PASSWORD = canary(12);
    const saved = at('saved.json');
    await expectNoCanary(['collect', '--out', saved, ...HOST_INPUTS, ...DEAD_DC, '--user', 'admin'], saved);
    expect(readFileSync(saved, 'utf8')).toContain('[redacted]');
    for (const format of ['text', 'json', 'html']) await expectNoCanary(['analyze', saved, '--format', format, '-v']);
  });

  it.each(['text', 'json', 'html'])('analyze --format %s of a facts file saved without redaction', async (format) => {
    const { out } = await expectNoCanary(['analyze', at('unredacted-facts.json'), '--format', format, '-v']);
    expect(out).toContain('[redacted]');
  });

  it('leaves no canary in any file the commands wrote', () => {
    for (const name of readdirSync(dir).filter((n) => /^(check\.|saved|new)/.test(n)))
      expect(readFileSync(at(name), 'utf8'), name).not.toContain(CANARY);
  });
});
