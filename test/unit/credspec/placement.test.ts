import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  credentialSpecFileOf,
  parseCredentialSpecOption,
  specDocumentFor,
} from '../../../src/credspec/security-opt.js';
import { lintReport } from '../../../src/cli/credspec-lint.js';
import { sample, DOMAIN_JOINED } from './helpers.js';

// As moby/moby daemon/oci_windows.go reads it (setWindowsCredentialSpec, readCredentialSpecFile at b1d50a6): the key
// and the scheme without case, a relative file:// path that stays under CredentialSpecs once cleaned.
describe('--security-opt credentialspec=... as the Docker daemon parses it', () => {
  it.each([
    ['credentialspec=file://webapp01.json', { ok: true, scheme: 'file', path: 'webapp01.json' }],
    ['credentialspec=registry://webapp01', { ok: true, scheme: 'registry', value: 'webapp01' }],
    ['credentialspec=config://spec-config', { ok: true, scheme: 'config', value: 'spec-config' }],
    [
      'credentialspec=raw://{"CmsPlugins":["ActiveDirectory"]}',
      { ok: true, scheme: 'raw', value: '{"CmsPlugins":["ActiveDirectory"]}' },
    ],
    // strings.EqualFold on the key, strings.ToLower on the scheme:
    ['CredentialSpec=FILE://webapp01.json', { ok: true, scheme: 'file', path: 'webapp01.json' }],
    // filepath.Clean, then the path must still be under the folder:
    ['credentialspec=file://sub/../webapp01.json', { ok: true, scheme: 'file', path: 'webapp01.json' }],
  ])('accepts %s', (option, expected) => {
    expect(parseCredentialSpecOption(option)).toEqual(expected);
  });
  it.each([
    ['credentialspec=file://C:\\ProgramData\\Docker\\CredentialSpecs\\a.json', /cannot be absolute/],
    ['credentialspec=file://../a.json', /must be under <DockerRootDir>\\CredentialSpecs/],
    ['credentialspec=webapp01.json', /must be prefixed by/],
    ['credentialspec=file://', /non-empty value/],
    ['credentialspec=http://a.json', /must be prefixed by/],
    ['credentialspec:file://a.json', /splits security options on "="/],
    ['seccomp=unconfined', /not the credential spec option: Docker answers 'security option not supported: seccomp'/],
    ['nonsense', /no equals sign/],
  ])("rejects %s with Docker's meaning", (option, message) => {
    const verdict = parseCredentialSpecOption(option);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(message);
  });

  it("is the one reader: the container's spec file is what the option check accepts, and nothing it refuses", () => {
    const of = (option: string) => credentialSpecFileOf({ credentialSpecOption: option });
    expect(of('CredentialSpec=file://webapp01.json')).toBe('webapp01.json');
    // An absolute path used to be taken as the spec file (matched by its base name) while the option check refused it.
    expect(of('credentialspec=file://C:\\specs\\webapp01.json')).toBeUndefined();
    const documents = [{ file: 'C:\\ProgramData\\Docker\\CredentialSpecs\\webapp01.json' }];
    expect(
      specDocumentFor({ credentialSpecOption: 'credentialspec=file://C:\\specs\\webapp01.json' }, documents),
    ).toBeUndefined();
    expect(specDocumentFor({ credentialSpecOption: 'credentialspec=file://WebApp01.json' }, documents)).toBe(
      documents[0],
    );
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
    const report = await lintReport([], {
      dockerRoot: root,
      securityOpt: ['credentialspec=file://webapp01.json', 'credentialspec=file://nope.json'],
    });
    const options = report.findings.filter((f) => f.id === 'credspec/security-opt');
    expect(options.map((f) => f.severity)).toEqual(['pass', 'error']);
    expect(options[1]?.message).toMatch(/does not exist/);
  });

  it('lints the spec a file:// option resolves to, as Docker would read it (CredentialSpec=FILE:// too)', async () => {
    const broken = path.join(root, 'CredentialSpecs', 'broken.json');
    writeFileSync(broken, sample(DOMAIN_JOINED).replace(/"Sid": "[^"]*"/, '"Sid": "S-1-5-21-1"'));
    const report = await lintReport([], { dockerRoot: root, securityOpt: ['CredentialSpec=FILE://broken.json'] });
    expect(report.inputErrors).toEqual([]);
    const sid = report.findings.find((f) => f.id === 'credspec/domain-sid');
    expect(sid).toMatchObject({ severity: 'error', location: { file: broken } });
    expect(report.findings.find((f) => f.id === 'credspec/security-opt')?.severity).toBe('pass');
  });

  it('reports a missing file as unreadable input and still lints the others', async () => {
    const report = await lintReport([path.join(root, 'missing.json'), inside], { securityOpt: [] });
    expect(report.inputErrors).toEqual([{ file: path.join(root, 'missing.json'), reason: 'no such file or folder' }]);
    expect(report.findings.some((f) => f.id === 'credspec/domain-sid' && f.severity === 'pass')).toBe(true);
  });
});
