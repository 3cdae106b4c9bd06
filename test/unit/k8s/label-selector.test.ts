import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  matchesLabelSelector,
  matchesRequirements,
  parseLabelSelector,
} from '../../../src/protocol/k8s/label-selector.js';

describe('label selectors', () => {
  // charts/gmsa/templates/mutatingwebhook.yaml's namespaceSelector for release namespace "gmsa".
  const webhookNamespaces = {
    matchExpressions: [
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['gmsa'] },
      { key: 'windows.k8s.io/disabled', operator: 'NotIn', values: ['true'] },
    ],
  };

  it("the webhook's namespaceSelector skips its own namespace and namespaces labelled windows.k8s.io/disabled=true", () => {
    expect(matchesLabelSelector(webhookNamespaces, { 'kubernetes.io/metadata.name': 'web' })).toBe(true);
    expect(matchesLabelSelector(webhookNamespaces, { 'kubernetes.io/metadata.name': 'gmsa' })).toBe(false);
    expect(
      matchesLabelSelector(webhookNamespaces, {
        'kubernetes.io/metadata.name': 'diag',
        'windows.k8s.io/disabled': 'true',
      }),
    ).toBe(false);
  });

  it('{} selects everything; matchLabels all of its pairs; Exists/DoesNotExist the key; an unknown operator nothing', () => {
    expect(matchesLabelSelector({}, undefined)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { app: 'web', tier: 'fe' } }, { app: 'web' })).toBe(false);
    expect(
      matchesLabelSelector({ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, { app: 'web' }),
    ).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, {})).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Matches' }] }, { app: 'x' })).toBe(false);
  });

  it('parses the query form and evaluates it like the object form', () => {
    const parsed = parseLabelSelector('app=web,tier in (fe, be),!canary,env!=prod,version>2');
    expect(parsed.ok).toBe(true);
    const requirements = parsed.ok ? parsed.requirements : [];
    expect(matchesRequirements(requirements, { app: 'web', tier: 'be', env: 'dev', version: '3' })).toBe(true);
    expect(matchesRequirements(requirements, { app: 'web', tier: 'be', env: 'dev', version: '3', canary: '1' })).toBe(
      false,
    );
    expect(matchesRequirements(requirements, { app: 'web', tier: 'db', version: '3' })).toBe(false);
    expect(parseLabelSelector('app in (a')).toEqual({
      ok: false,
      error: 'unable to parse requirement: "app in (a" is not a label requirement',
    });
  });

  it('formats a selector object for ?labelSelector=, round trip included', () => {
    const text = formatLabelSelector({ matchLabels: { app: 'web' }, ...webhookNamespaces });
    expect(text).toBe('app=web,kubernetes.io/metadata.name notin (gmsa),windows.k8s.io/disabled notin (true)');
    const parsed = parseLabelSelector(text);
    expect(
      parsed.ok && matchesRequirements(parsed.requirements, { app: 'web', 'kubernetes.io/metadata.name': 'web' }),
    ).toBe(true);
  });
});
