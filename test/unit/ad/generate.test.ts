import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  buildCredSpec,
  defaultCredSpecFileName,
  renderCredSpecJson,
  renderCredSpecResource,
} from '../../../src/credspec/generate.js';
import { lintCredSpecText } from '../../../src/plan/lint.js';

// The domain of the real sample, as Get-ADDomain printed it (transcripts/xiaoping8385-TKGi-GMSA__Get-ADDomain-gmsaping.txt).
const gmsaping = {
  dnsName: 'gmsaping.com',
  netbiosName: 'GMSAPING',
  forestDnsName: 'gmsaping.com',
  sid: 'S-1-5-21-922537405-2102905723-2121843970',
  guid: 'bae5a583-612f-4e8a-9b69-9df1c5c9b81a',
};
const realOutput = readFileSync(
  new URL('../../fixtures/ad/xiaoping8385-TKGi-GMSA__WebApp01.json', import.meta.url),
  'utf8',
);

describe('credspec new output', () => {
  it('is byte for byte the real New-CredentialSpec output (CRLF aside, which the log lost)', () => {
    const text = renderCredSpecJson(buildCredSpec(gmsaping, 'WebApp01$'));
    expect(text.replace(/\r\n/g, '\n')).toBe(realOutput);
    expect(text.split('\n').every((line) => line === '' || line.endsWith('\r'))).toBe(true);
    expect(text.endsWith('}\r\n')).toBe(true);
  });

  it('appends additional accounts with the domain as scope, after both scopes of the main one', () => {
    const spec = buildCredSpec(gmsaping, 'WebApp01', [{ name: 'LogApp01$' }]);
    expect(spec.ActiveDirectoryConfig?.GroupManagedServiceAccounts).toEqual([
      { Name: 'WebApp01', Scope: 'gmsaping.com' },
      { Name: 'WebApp01', Scope: 'GMSAPING' },
      { Name: 'LogApp01', Scope: 'gmsaping.com' },
    ]);
  });

  it('passes credspec lint, as JSON and as a Kubernetes resource', () => {
    const spec = buildCredSpec(gmsaping, 'WebApp01');
    const problems = (findings: ReturnType<typeof lintCredSpecText>): string[] =>
      findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.id}: ${f.message}`);
    expect(problems(lintCredSpecText(renderCredSpecJson(spec), 'gmsaping_webapp01.json'))).toEqual([]);
    const yaml = renderCredSpecResource(spec, 'WebApp01');
    expect(problems(lintCredSpecText(yaml, 'gmsa-webapp01.yaml'))).toEqual([]);
    expect(parse(yaml)).toMatchObject({
      apiVersion: 'windows.k8s.io/v1',
      kind: 'GMSACredentialSpec',
      metadata: { name: 'gmsa-webapp01' },
      credspec: spec,
    });
  });

  it('names the file as New-CredentialSpec does', () => {
    expect(defaultCredSpecFileName('CONTOSO', 'WebApp01$')).toBe('contoso_webapp01.json');
  });
});
