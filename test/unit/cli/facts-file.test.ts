/**
 * `analyze FILE` validates every fact of a saved file against the one schema of its key: a malformed value of any
 * key is named with its field, costs that fact only, and makes the exit code 2. Saved files of version 1 keep
 * loading.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FACT_KEYS, subjectKindOf } from '../../../src/facts/index.js';
import type { FactKey } from '../../../src/facts/index.js';
import { cli } from '../../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gmsa-facts-file-'));
const ok = (value: unknown) => ({ status: 'ok', value });

/** A version 2 file holding only `key`, where it belongs (about the run, or about one subject of its kind). */
function fileWith(key: FactKey, value: unknown): { file: string; field: string } {
  const kind = subjectKindOf(key);
  const id = kind === 'gmsa' ? 'webapp01' : 'c0ffee';
  const body = kind
    ? { format: 'gmsa-doctor-facts', version: 2, facts: {}, subjects: { [kind]: { [id]: { [key]: ok(value) } } } }
    : { format: 'gmsa-doctor-facts', version: 2, facts: { [key]: ok(value) } };
  const file = path.join(dir, `${key}.json`);
  writeFileSync(file, JSON.stringify(body));
  return { file, field: kind ? `subjects.${kind}.${id}.${key}.value` : `facts.${key}.value` };
}

describe('analyze: every fact key is validated', () => {
  it.each(FACT_KEYS)('%s: a value of the wrong type is named with its field, exit code 2', async (key) => {
    const { file, field } = fileWith(key, 42);
    const { code, out } = await cli('analyze', file, '--format', 'json');
    expect(code).toBe(2);
    const { inputErrors } = JSON.parse(out) as { inputErrors: { file: string; field: string; reason: string }[] };
    expect(inputErrors).toEqual([
      { file, field, reason: expect.stringMatching(/^Invalid input: expected \w+, received number$/) as unknown },
    ]);
  });

  it("the issue's example: net.ports as an object is named, and the firewall check says why it cannot judge", async () => {
    const { file } = fileWith('net.ports', {});
    const { code, out } = await cli('analyze', file, '--no-color');
    expect(code).toBe(2);
    expect(out).toContain(
      `✖ cannot read ${file} (facts.net.ports.value): Invalid input: expected array, received object`,
    );
    expect(out).toMatch(
      /network\/firewall[\s\S]*Skipped: it needs the DC ports of the guide's firewall table, which could not be had: the saved value is malformed \(facts\.net\.ports\.value/,
    );
    expect(out).not.toMatch(/internal error/i);
  });

  it('a deep field of a version 1 file is named as the file spells it, and the rest is judged', async () => {
    const example = JSON.parse(
      readFileSync(new URL('../../../examples/facts/containerhost02.json', import.meta.url), 'utf8'),
    ) as Record<string, any>;
    const v1 = JSON.parse(
      readFileSync(new URL('../../fixtures/facts/containerhost02.v1.json', import.meta.url), 'utf8'),
    ) as Record<string, any>;
    v1.facts['docker.containers'].value[0].id = 7;
    const file = path.join(dir, 'damaged-v1.json');
    writeFileSync(file, JSON.stringify(v1));
    const { code, out } = await cli('analyze', file, '--format', 'json');
    const report = JSON.parse(out) as { inputErrors: unknown[]; mostLikelyCause: unknown };
    expect(code).toBe(2);
    expect(report.inputErrors).toEqual([
      { file, field: 'facts.docker.containers.value[0].id', reason: 'Invalid input: expected string, received number' },
    ]);
    expect(report.mostLikelyCause).toMatchObject({ findingId: 'host/can-retrieve-password' });
    expect(example.version).toBe(2);
  });

  it('a fact this version does not know, or one in the wrong place, is named too', async () => {
    const file = path.join(dir, 'misplaced.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'gmsa-doctor-facts',
        version: 2,
        facts: { 'k8s.pod': ok({}), 'ad.gmsa': ok({ name: 'webapp01', account: null }) },
      }),
    );
    const { code, out } = await cli('analyze', file, '--format', 'json');
    expect(code).toBe(2);
    expect((JSON.parse(out) as { inputErrors: unknown[] }).inputErrors).toEqual([
      { file, field: 'facts.k8s.pod', reason: 'not a fact this gmsa-doctor knows (a file from a newer version?)' },
      { file, field: 'facts.ad.gmsa', reason: 'a fact about each gMSA: it belongs under subjects.gmsa.<id>' },
    ]);
  });
});
