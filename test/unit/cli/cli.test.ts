import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../fixtures/credspec/samples');

afterEach(() => {
  process.exitCode = undefined;
});

describe('gmsa-doctor CLI', () => {
  it('credspec lint exits 1 on the samples folder and prints text', async () => {
    const { code, out } = await cli('credspec', 'lint', SAMPLES, '--no-color');
    expect(code).toBe(1);
    expect(out).toContain('Check the Credential Spec file');
    expect(out).toMatch(/credspec\/plugin-guid/);
  });

  it('credspec lint exits 0 on a clean spec', async () => {
    const { code } = await cli('credspec', 'lint', path.join(SAMPLES, 'xiaoping8385-TKGi-GMSA__WebApp01.json'));
    expect(code).toBe(0);
  });

  it('credspec lint exits 2 on a missing file and still lints the rest', async () => {
    const { code, out } = await cli(
      'credspec',
      'lint',
      'nope.json',
      path.join(SAMPLES, 'xiaoping8385-TKGi-GMSA__WebApp01.json'),
      '--format',
      'json',
    );
    expect(code).toBe(2);
    const json = JSON.parse(out);
    expect(json.inputErrors).toEqual([{ file: 'nope.json', reason: 'no such file or folder' }]);
    expect(json.summary.pass).toBeGreaterThan(5);
  });

  it('credspec lint --format sarif prints SARIF', async () => {
    const { out } = await cli('credspec', 'lint', SAMPLES, '--format', 'sarif');
    expect(JSON.parse(out).version).toBe('2.1.0');
  });

  it('analyze judges the bundled example facts anywhere and names the most likely cause', async () => {
    const facts = path.resolve(import.meta.dirname, '../../../examples/facts/containerhost02.json');
    const { code, out } = await cli('analyze', facts, '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(out).mostLikelyCause).toMatchObject({ findingId: 'host/can-retrieve-password' });
  });

  it('analyze reads a facts file of version 1 (the example as shipped before subjects) to the same cause', async () => {
    const v1 = path.resolve(import.meta.dirname, '../../fixtures/facts/containerhost02.v1.json');
    const v2 = path.resolve(import.meta.dirname, '../../../examples/facts/containerhost02.json');
    const [old, now] = [await cli('analyze', v1, '--format', 'json'), await cli('analyze', v2, '--format', 'json')];
    expect(old.code).toBe(1);
    const essence = (out: string) =>
      (JSON.parse(out) as { findings: { id: string; severity: string; message: string }[] }).findings.map(
        (f) => `${f.id} ${f.severity} ${f.message}`,
      );
    expect(essence(old.out)).toEqual(essence(now.out));
    expect(JSON.parse(old.out).mostLikelyCause).toEqual(JSON.parse(now.out).mostLikelyCause);
  });

  it('check with nothing to judge says what to give it, with exit code 2', async () => {
    const { code, err } = await cli('check');
    expect(code).toBe(2);
    expect(err).toMatch(/nothing to check here: .*--domain or --dc/);
  });

  it('refuses an unknown format and an unknown command with exit code 2', async () => {
    expect((await cli('credspec', 'lint', SAMPLES, '--format', 'xml')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('checks lists the catalogue by section; explain documents one check', async () => {
    const list = await cli('checks');
    const section = list.out.split('\n\n').find((block) => block.startsWith('Check the Credential Spec file'));
    expect(section).toMatch(/^ {2}credspec\/readable +Credential spec files are readable JSON or YAML$/m);
    const explain = await cli('explain', 'credspec/plugin-guid');
    expect(explain.out).toMatch(/^credspec\/plugin-guid: PluginGUID is a braced COM CLSID/);
    expect(explain.out).toMatch(/Why: .*event 9/);
  });

  it('explain suggests close ids for an unknown one', async () => {
    const { code, err } = await cli('explain', 'credspec/plugin');
    expect(code).toBe(2);
    expect(err).toMatch(/Did you mean: .*credspec\/plugin-guid/);
  });
});
