import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCredentialSpecOption } from '../../../src/credspec/security-opt.js';
import { lintReport } from '../../../src/cli/credspec-lint.js';
import { sample, DOMAIN_JOINED } from './helpers.js';

describe('--security-opt credentialspec=... as Docker parses it', () => {
  it.each([
    ['credentialspec=file://webapp01.json', { ok: true, scheme: 'file', path: 'webapp01.json' }],
    ['credentialspec=registry://webapp01', { ok: true, scheme: 'registry', value: 'webapp01' }],
    ['credentialspec=config://spec-config', { ok: true, scheme: 'config', value: 'spec-config' }],
    ['credentialspec=raw://{"CmsPlugins":["ActiveDirectory"]}', { ok: true, scheme: 'raw', value: '{"CmsPlugins":["ActiveDirectory"]}' }],
  ])('accepts %s', (option, expected) => {
    expect(parseCredentialSpecOption(option)).toEqual(expected);
  });
  it.each([
    ['credentialspec=file://C:\\ProgramData\\Docker\\CredentialSpecs\\a.json', /cannot be absolute/],
    ['credentialspec=file://../a.json', /outside of the credential spec directory/],
    ['credentialspec=webapp01.json', /must be prefixed by/],
    ['credentialspec=file://', /non-empty value/],
    ['credentialspec:file://a.json', /splits security options on "="/],
    ['credentialSpec=file://a.json', /lowercase/],
    ['seccomp=unconfined', /not the credential spec option/],
    ['nonsense', /KEY=VALUE/],
  ])('rejects %s with Docker\'s meaning', (option, message) => {
    const verdict = parseCredentialSpecOption(option);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(message);
  });
});

describe('placement under <DockerRootDir>/CredentialSpecs', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'gmsa-doctor-root-'));
  mkdirSync(path.join(root, 'CredentialSpecs'));
  const inside = path.join(root, 'CredentialSpecs', 'webapp01.json');
  const outside = path.join(root, 'webapp01.json');
  writeFileSync(inside, sample(DOMAIN_JOINED));
  writeFileSync(outside, sample(DOMAIN_JOINED));

  it('passes a spec in CredentialSpecs and fails one beside it', async () => {
    const report = await lintReport([inside, outside], { dockerRoot: root, securityOpt: [] });
    const location = report.findings.filter((f) => f.id === 'credspec/location');
    expect(location.map((f) => [f.severity, f.subject])).toEqual([['error', outside]]);
  });

  it('resolves file:// options and says when the file is missing', async () => {
    const report = await lintReport([], { dockerRoot: root, securityOpt: ['credentialspec=file://webapp01.json', 'credentialspec=file://nope.json'] });
    expect(report.findings.map((f) => f.severity)).toEqual(['pass', 'error']);
    expect(report.findings[1]?.message).toMatch(/does not exist/);
  });

  it('reports a missing file as unreadable input and still lints the others', async () => {
    const report = await lintReport([path.join(root, 'missing.json'), inside], { securityOpt: [] });
    expect(report.inputErrors).toEqual([{ file: path.join(root, 'missing.json'), reason: 'no such file or folder' }]);
    expect(report.findings.some((f) => f.id === 'credspec/domain-sid' && f.severity === 'pass')).toBe(true);
  });
});
