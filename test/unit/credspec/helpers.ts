import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../../src/engine/finding.js';
import { lintCredSpecText } from '../../../src/plan/lint.js';

export const SAMPLES = path.resolve(import.meta.dirname, '../../fixtures/credspec/samples');
export const DOMAIN_JOINED =
  'MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json';
export const NON_DOMAIN_JOINED =
  'MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__non-domain-joined-example.json';

export function sample(name: string): string {
  return readFileSync(path.join(SAMPLES, name), 'utf8');
}

/** The guide's domain-joined example as an object, to mutate one field at a time. */
export function validSpec(): Record<string, any> {
  return JSON.parse(sample(DOMAIN_JOINED)) as Record<string, any>;
}

export function problems(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error' || f.severity === 'warning' || f.severity === 'info');
}

/** `id severity` of every problem, sorted, to compare verdicts. */
export function verdict(findings: Finding[]): string[] {
  return problems(findings)
    .map((f) => `${f.id} ${f.severity}`)
    .sort();
}

export function lintObject(spec: unknown, file = 'spec.json'): Finding[] {
  return lintCredSpecText(JSON.stringify(spec, null, 2), file);
}
