import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintCredSpecBytes } from '../../../src/plan/lint.js';
import { DOMAIN_JOINED, NON_DOMAIN_JOINED, SAMPLES, verdict } from './helpers.js';

function lintSample(name: string) {
  return lintCredSpecBytes(readFileSync(path.join(SAMPLES, name)), name);
}

/**
 * The expert verdicts of test/fixtures/credspec/PROVENANCE.md, as lint findings: `check-id severity` for every
 * error, warning and info, sorted. A file not listed here must give no error.
 */
const EXPECTED: Record<string, string[]> = {
  [DOMAIN_JOINED]: [],
  [NON_DOMAIN_JOINED]: ['credspec/placeholders warning', 'credspec/plugin-guid error'],
  'aws-credentials-fetcher__no-grpc-mode-master__sample_credspec.json': [
    'credspec/gmsa-entries error',
    'credspec/gmsa-entries error',
    'credspec/gmsa-entries error',
    'credspec/gmsa-entries error',
    'credspec/gmsa-entries warning',
  ],
  'aws-credentials-fetcher__tests-assets__contoso_WebApp01_ndj.json': [
    'credspec/gmsa-entries error',
    'credspec/host-account-config info',
  ],
  'microsoft-Azure-Key-Vault-Plugin-gMSA__README-credspec.json': ['credspec/readable error'],
  'k8s-windows-gmsa__credspec-0.yml': ['credspec/placeholders warning'],
  'k8s-windows-gmsa__credspec-1-v1alpha1.yml': ['credspec/k8s-resource warning', 'credspec/placeholders warning'],
  'k8s-windows-gmsa__credspec-with-hostagentconfig.yml': [
    'credspec/placeholders warning',
    'credspec/placeholders warning',
    'credspec/plugin-guid error',
  ],
  'kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml': [
    'credspec/k8s-resource error',
    'credspec/k8s-resource warning',
  ],
  'macsux-kerberos-buildpack__CcgPlugin__ccg.json': ['credspec/placeholders warning'],
  'macsux-kerberos-buildpack__CcgPlugin__gmsa-spec.yaml': ['credspec/k8s-resource warning'],
  'xiaoping8385-TKGi-GMSA__gmsa_non_domain_joined__gmsaspec.yaml': ['credspec/plaintext-secret warning'],
  'xiaoping8385-TKGi-GMSA__operation-log-credspec-rbac-deployment-bundle.yaml': ['credspec/k8s-documents-glued error'],
  'aws-credentials-fetcher__kube_support__contosoeks_webapp01.json': [],
  'aws-credentials-fetcher__no-grpc-mode-master__sample_credspec2.json': [],
  'briantist-CcgVault__test-integration-credspec.json': [],
  'macsux-kerberos-buildpack__CcgPlugin__vault.json': [],
  'xiaoping8385-TKGi-GMSA__WebApp01.json': [],
  'xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml': [],
};

describe('credspec lint on the real samples gives the expert verdicts', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, () => {
      expect(verdict(lintSample(file))).toEqual(expected);
    });
  }

  it('the AWS CDK template is broken as-is: $ in the account name, unrendered placeholders, PluginInput object', () => {
    const findings = lintSample('aws-credentials-fetcher__cdk-domainless-mode__credspec_template.json');
    const ids = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.id));
    expect(ids).toEqual(
      new Set([
        'credspec/machine-account-name',
        'credspec/dns-names',
        'credspec/netbios-name',
        'credspec/gmsa-entries',
      ]),
    );
    // Each name field is "$...$" never filled in: substitute it, not "remove the $".
    const names = findings.filter((f) => f.id === 'credspec/machine-account-name');
    expect(names.map((f) => f.remediation?.text)).toEqual([
      expect.stringMatching(/^Substitute the placeholder \$gmsaName\$/),
    ]);
    expect(findings.filter((f) => f.id === 'credspec/placeholders').length).toBe(9);
  });

  it('covers every sample file', () => {
    const listed = new Set([
      ...Object.keys(EXPECTED),
      'aws-credentials-fetcher__cdk-domainless-mode__credspec_template.json',
    ]);
    expect(readdirSync(SAMPLES).filter((f) => !listed.has(f))).toEqual([]);
  });

  it('points a JSON syntax error at its line and column (AKV README, line 8 col 17)', () => {
    const [finding] = lintSample('microsoft-Azure-Key-Vault-Plugin-gMSA__README-credspec.json').filter(
      (f) => f.severity === 'error',
    );
    expect(finding?.location).toMatchObject({ line: 8, column: 17 });
    expect(finding?.message).toMatch(/JSON syntax error/);
  });

  it('names the non-hex characters of the guide example PluginGUID, on its line', () => {
    const finding = lintSample(NON_DOMAIN_JOINED).find((f) => f.id === 'credspec/plugin-guid');
    expect(finding?.message).toContain('G, M, P, J');
    expect(finding?.location).toMatchObject({ line: 26, field: 'ActiveDirectoryConfig.HostAccountConfig.PluginGUID' });
  });

  it('reads the credspec inside a glued bundle and reports the glue at line 1', () => {
    const findings = lintSample('xiaoping8385-TKGi-GMSA__operation-log-credspec-rbac-deployment-bundle.yaml');
    expect(findings.find((f) => f.id === 'credspec/k8s-documents-glued')?.message).toMatch(/lines 1, 24, 33/);
    expect(findings.find((f) => f.id === 'credspec/gmsa-entries')?.severity).toBe('pass');
  });
});
