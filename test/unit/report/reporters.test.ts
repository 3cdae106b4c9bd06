import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../src/checks/index.js';
import { lintReport } from '../../../src/cli/credspec-lint.js';
import { redact, REDACTED } from '../../../src/engine/redact.js';
import { JSON_SCHEMA_VERSION, renderJson } from '../../../src/report/json.js';
import { exitCodeOf } from '../../../src/report/model.js';
import type { Report } from '../../../src/report/model.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { renderText } from '../../../src/report/text.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../fixtures/credspec/samples');
const NDJ = path.join(
  SAMPLES,
  'MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__non-domain-joined-example.json',
);
const PLAINTEXT = path.join(SAMPLES, 'xiaoping8385-TKGi-GMSA__gmsa_non_domain_joined__gmsaspec.yaml');

async function report(...files: string[]): Promise<Report> {
  return lintReport(files, { securityOpt: [] });
}

describe('text report', () => {
  it('groups by the guide section, one line per finding with the evidence and the fix under it', async () => {
    const text = renderText(await report(NDJ), { color: false });
    const lines = text.split('\n');
    expect(lines[1]).toBe('Check the Credential Spec file');
    const at = lines.findIndex((l) => l.includes('credspec/plugin-guid'));
    expect(lines[at]).toMatch(/✖ error\s+credspec\/plugin-guid\s+.*non-domain-joined-example\.json:26:27$/);
    expect(lines[at + 1]).toMatch(/^ {6}PluginGUID \{GDMA0342/);
    expect(text).toMatch(/1 error, 1 warning, 0 info, \d+ passed, 0 skipped/);
  });

  it('colours only when asked', async () => {
    const r = await report(NDJ);
    expect(renderText(r, { color: false })).not.toContain('\u001b[');
    expect(renderText(r, { color: true })).toContain('\u001b[31m');
  });

  it('lists passing checks with --verbose, counts them otherwise', async () => {
    const r = await report(NDJ);
    expect(renderText(r, { color: false })).toMatch(/✔ \d+ passed \(--verbose lists them\)/);
    expect(renderText(r, { color: false, verbose: true })).toMatch(/✔ pass\s+credspec\/domain-sid/);
  });
});

describe('json report', () => {
  it('has a schema version, a summary, the exit code and the same findings', async () => {
    const r = await report(NDJ);
    const json = JSON.parse(renderJson(r));
    expect(json).toMatchObject({
      schemaVersion: JSON_SCHEMA_VERSION,
      tool: { name: 'gmsa-doctor' },
      command: 'credspec lint',
      exitCode: 1,
    });
    expect(json.summary.error).toBe(1);
    expect(json.findings).toHaveLength(r.findings.length);
    expect(json.findings.find((f: { id: string }) => f.id === 'credspec/plugin-guid').location).toMatchObject({
      line: 26,
      column: 27,
    });
  });
});

describe('sarif report', () => {
  it('is SARIF 2.1.0 with one result per problem on its file and line, and every rule described', async () => {
    const r = await report(NDJ);
    const sarif = JSON.parse(renderSarif(r, ALL_CHECKS, SAMPLES));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toContain('credspec/plugin-guid');
    expect(run.results).toHaveLength(2);
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'credspec/plugin-guid');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: {
        uri: 'MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__non-domain-joined-example.json',
      },
      region: { startLine: 26, startColumn: 27 },
    });
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('credspec/plugin-guid');
  });
});

describe('secrets are never printed', () => {
  it('a plaintext PluginInput password appears in no format', async () => {
    const r = await report(PLAINTEXT);
    expect(r.findings.some((f) => f.id === 'credspec/plaintext-secret' && f.severity === 'warning')).toBe(true);
    for (const out of [renderText(r, { color: false, verbose: true }), renderJson(r), renderSarif(r, ALL_CHECKS)]) {
      expect(out).not.toContain('p@ssw0rd');
    }
  });

  it('redacts secret-named keys at any depth', () => {
    const value = redact({
      evidence: { PluginInput: 'x:y:z', nested: [{ password: 'p' }], plugin_input: 'q', name: 'ok' },
    });
    expect(value).toEqual({
      evidence: { PluginInput: REDACTED, nested: [{ password: REDACTED }], plugin_input: REDACTED, name: 'ok' },
    });
  });
});

describe('exit codes', () => {
  it('0 when clean, 1 on an error finding, 2 on unreadable input', async () => {
    expect(exitCodeOf(await report(path.join(SAMPLES, 'xiaoping8385-TKGi-GMSA__WebApp01.json')))).toBe(0);
    expect(exitCodeOf(await report(NDJ))).toBe(1);
    expect(exitCodeOf(await report(NDJ, path.join(SAMPLES, 'no-such-file.json')))).toBe(2);
  });
});
