/**
 * Every input is bounded: an alias bomb, a 50 MB JSON file, deep nesting, a FIFO and an oversized password file each
 * end the command quickly (within the test's own timeout) with exit code 2 and a message naming the file and the
 * limit, in every command that reads such a file. Nothing crashes, hangs or prints a stack trace.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gmsa-bounded-'));
const at = (name: string): string => join(dir, name);
const SPEC = readFileSync(
  new URL('../../fixtures/credspec/samples/xiaoping8385-TKGi-GMSA__WebApp01.json', import.meta.url),
  'utf8',
);

/** "Billion laughs": ten anchors, each aliasing the one before ten times (10^10 values once expanded). */
const ALIAS_BOMB = [
  'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`),
].join('\n');

beforeAll(() => {
  writeFileSync(at('bomb.yaml'), `${ALIAS_BOMB}\n`);
  writeFileSync(
    at('bomb-resource.yaml'),
    `apiVersion: windows.k8s.io/v1\nkind: GMSACredentialSpec\nmetadata: {name: bomb}\ncredspec:\n  ${ALIAS_BOMB.replace(/\n/g, '\n  ')}\n`,
  );
  writeFileSync(at('big.json'), `{"CmsPlugins":["ActiveDirectory"],"x":"${'a'.repeat(50 * 1024 * 1024)}"}`);
  // Under the size limit, but a million values: minutes of work without a bound on values.
  writeFileSync(at('many.json'), `{"CmsPlugins":["ActiveDirectory"],"x":[${Array(1_000_000).fill(1).join(',')}]}`);
  writeFileSync(at('many.yaml'), `CmsPlugins: [ActiveDirectory]\nx: [${Array(1_000_000).fill('y').join(',')}]\n`);
  writeFileSync(at('deep.json'), '['.repeat(5000) + ']'.repeat(5000));
  writeFileSync(at('deep-spec.json'), `{"CmsPlugins":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  writeFileSync(at('deep.yaml'), Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' v\n');
  writeFileSync(
    at('deep-facts.json'),
    `{"format":"gmsa-doctor-facts","version":2,"facts":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  );
  writeFileSync(at('deep-events.json'), '['.repeat(5000) + ']'.repeat(5000));
  writeFileSync(at('deep-events.xml'), '<Events>' + '<a>'.repeat(5000) + '</a>'.repeat(5000) + '</Events>');
  writeFileSync(at('password.txt'), 'x'.repeat(16 * 1024 * 1024));
  execFileSync('mkfifo', [at('fifo.json'), at('fifo.pem'), at('fifo.evtx'), at('fifo.txt')]);
});

/** Exit code 2, and the message (stdout or stderr) names the file and what was refused. */
async function refused(args: string[], file: string, reason: RegExp): Promise<string> {
  const { code, out, err } = await cli(...args);
  const said = out + err;
  expect(code, said).toBe(2);
  expect(said).toContain(file);
  expect(said).toMatch(reason);
  expect(said).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|Maximum call stack|RangeError/);
  return said;
}

/** The bound is the test's own timeout, not a timing assertion: a hang or an exponential blow-up fails it. */
const WITHIN = { timeout: 30_000 };

describe('bounded input: each ends with exit code 2 and names the file and the limit', WITHIN, () => {
  it('an alias bomb, as a plain YAML spec and inside a GMSACredentialSpec resource', async () => {
    const limit = /aliases \(\*name\) expand to more than 10000 values: refused/;
    await refused(['credspec', 'lint', at('bomb.yaml')], at('bomb.yaml'), limit);
    await refused(['credspec', 'lint', at('bomb-resource.yaml')], at('bomb-resource.yaml'), limit);
    await refused(['check', '--credspec', at('bomb.yaml')], at('bomb.yaml'), limit);
  });

  it('a 50 MB JSON file, as a credential spec and as docker inspect output', async () => {
    const size = statSync(at('big.json')).size;
    await refused(
      ['credspec', 'lint', at('big.json')],
      at('big.json'),
      new RegExp(`${size} bytes, over the 8 MiB limit of a credential spec file: refused`),
    );
    await refused(
      ['check', '--inspect', at('big.json')],
      at('big.json'),
      new RegExp(`${size} bytes, over the 16 MiB limit of a docker inspect or docker info output: refused`),
    );
  });

  it('a million values under the size limit, in JSON and YAML', async () => {
    const many = /more than 100000 keys and values: refused/;
    await refused(['credspec', 'lint', at('many.json')], at('many.json'), many);
    await refused(['credspec', 'lint', at('many.yaml')], at('many.yaml'), many);
  });

  it('deep nesting: JSON 5,000 deep and YAML 1,000 deep, in every reader of JSON or XML', async () => {
    const json = /objects and arrays nested more than 128 deep: refused/;
    await refused(['credspec', 'lint', at('deep.json')], at('deep.json'), json);
    await refused(['credspec', 'lint', at('deep-spec.json')], at('deep-spec.json'), json);
    await refused(
      ['credspec', 'lint', at('deep.yaml')],
      at('deep.yaml'),
      /mappings and sequences nested (too deeply to be read \(more than 128 deep\)|more than 128 deep): refused/,
    );
    await refused(['analyze', at('deep-facts.json')], at('deep-facts.json'), json);
    await refused(['check', '--inspect', at('deep.json')], at('deep.json'), json);
    await refused(['events', at('deep-events.json')], at('deep-events.json'), json);
    await refused(
      ['events', at('deep-events.xml')],
      at('deep-events.xml'),
      /elements nested more than 128 deep: refused/,
    );
  });

  it('a FIFO is refused, never read, by every command and option that reads a file', async () => {
    const pipe = /a named pipe \(FIFO\), not a regular file: refused/;
    await refused(['credspec', 'lint', at('fifo.json')], at('fifo.json'), pipe);
    await refused(['check', '--credspec', at('fifo.json')], at('fifo.json'), pipe);
    await refused(['check', '--inspect', at('fifo.json')], at('fifo.json'), pipe);
    await refused(['check', '--events', at('fifo.evtx')], at('fifo.evtx'), pipe);
    await refused(['events', at('fifo.evtx')], at('fifo.evtx'), pipe);
    await refused(['events', '--dump', at('fifo.evtx'), '--format', 'json'], at('fifo.evtx'), pipe);
    await refused(['analyze', at('fifo.json')], at('fifo.json'), pipe);
    await refused(['dc', '--dc', '127.0.0.1', '--ca', at('fifo.pem')], at('fifo.pem'), pipe);
    await refused(['check', '--dc', '127.0.0.1', '--gmsa', 'webapp01', '--ca', at('fifo.pem')], at('fifo.pem'), pipe);
    await refused(
      ['check', '--dc', '127.0.0.1', '--gmsa', 'webapp01', '--user', 'admin', '--password-file', at('fifo.txt')],
      at('fifo.txt'),
      pipe,
    );
  });

  it('a FIFO inside a linted folder is named, not skipped', async () => {
    const folder = mkdtempSync(join(dir, 'folder-'));
    execFileSync('mkfifo', [join(folder, 'pipe.json')]);
    writeFileSync(join(folder, 'spec.json'), SPEC);
    await refused(['credspec', 'lint', folder], join(folder, 'pipe.json'), /a named pipe \(FIFO\)/);
  });

  it('a 16 MiB --password-file, and an over-long password from the environment', async () => {
    const bind = ['--dc', '127.0.0.1', '--gmsa', 'webapp01', '--user', 'admin'];
    await refused(
      ['check', ...bind, '--password-file', at('password.txt')],
      at('password.txt'),
      /16777216 bytes, over the 4 KiB limit of a password file: refused/,
    );
    await refused(
      ['credspec', 'new', ...bind, '--password-file', at('password.txt')],
      at('password.txt'),
      /over the 4 KiB limit of a password file/,
    );
    process.env.GMSA_DOCTOR_PASSWORD = 'x'.repeat(2000);
    try {
      await refused(['check', ...bind], 'GMSA_DOCTOR_PASSWORD', /2000 bytes, over the 1024-byte limit/);
    } finally {
      delete process.env.GMSA_DOCTOR_PASSWORD;
    }
  });

  it('--timeout past what a timer can hold, or not a number, is refused before anything runs', async () => {
    for (const timeout of ['1073742', '3601', '0', '0.0001', '-1', '3s', '']) {
      const { code, err } = await cli('dc', '--dc', '127.0.0.1', '--timeout', timeout);
      expect(code, timeout).toBe(2);
      expect(err).toMatch(/--timeout .*(give 0\.1 to 3600 seconds|not a number of seconds)/);
    }
  });
});

describe('symbolic links in a linted folder are followed or named, never skipped', WITHIN, () => {
  it('a link to a spec is linted, a broken link and a loop of links are named, a folder loop ends', async () => {
    const folder = mkdtempSync(join(dir, 'links-'));
    writeFileSync(at('target.json'), SPEC);
    symlinkSync(at('target.json'), join(folder, 'linked.json'));
    symlinkSync(at('nowhere.json'), join(folder, 'broken.json'));
    symlinkSync(folder, join(folder, 'loop'));
    symlinkSync(join(folder, 'b.json'), join(folder, 'a.json'));
    symlinkSync(join(folder, 'a.json'), join(folder, 'b.json'));
    const { code, out } = await cli('credspec', 'lint', folder, '--format', 'json', '-v');
    const report = JSON.parse(out) as { inputErrors: unknown[]; findings: { id: string; message: string }[] };
    expect(code).toBe(2);
    expect(report.inputErrors).toEqual([
      { file: join(folder, 'a.json'), reason: 'a symbolic link loop' },
      { file: join(folder, 'b.json'), reason: 'a symbolic link loop' },
      { file: join(folder, 'broken.json'), reason: 'a symbolic link to nothing (a broken link)' },
    ]);
    expect(report.findings.find((f) => f.id === 'credspec/cms-plugins')?.message).toMatch(/1 credential spec checked/);
  });
});
