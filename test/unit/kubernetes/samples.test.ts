// `gmsa-doctor k8s lint` of every file in test/fixtures/k8s/samples gives the verdict of the samples' MANIFEST.md
// (copied into test/fixtures/k8s/PROVENANCE.md). Each file is linted together with the files of its own project, as
// `gmsa-doctor k8s lint` of that checkout would see them: the windows-gmsa integration-test templates rendered with
// their test values next to their credspecs, RBAC and CRD; the Kubernetes docs' Deployments next to the docs'
// credspec; the chart's templates together. Each project is written to a folder and linted by the CLI.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/finding.js';
import { cli } from '../../helpers/cli.js';
import type { TextFile } from './helpers.js';
import { credspecSample, file, integrationContext, rendered, sample } from './helpers.js';

type Verdict = 'VALID' | 'GOOD' | 'VALID, with a warning' | 'BROKEN' | 'BROKEN in context';

interface Row {
  verdict: Verdict;
  /** The other files of the same project, linted with it. */
  context: () => TextFile[];
  /** How the file is read: as is, or rendered with the integration tests' values. */
  text?: () => string;
  /** Our judgement disagrees with MANIFEST.md; the reason, checked below. */
  disagree?: string;
}

const it_ = (name: string, verdict: Verdict): [string, Row] => [
  name,
  { verdict, context: integrationContext, text: () => rendered(name) },
];
const chart = (name: string): [string, Row] => [
  name,
  {
    verdict: 'GOOD',
    context: () =>
      readdirSync(new URL('../../fixtures/k8s/samples/', import.meta.url))
        .filter((f) => f.startsWith('windows-gmsa__chart'))
        .map((f) => file(f)),
  },
];
const website = (name: string, verdict: Verdict): [string, Row] => [
  name,
  {
    verdict,
    context: () => [
      {
        file: 'kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml',
        text: credspecSample('kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml'),
      },
      file('kubernetes-website__configure-gmsa__clusterrole-resourceNames-gmsa-WebApp1.yaml'),
    ],
  },
];
const alone = (name: string, verdict: Verdict): [string, Row] => [name, { verdict, context: () => [] }];

const TABLE = new Map<string, Row>([
  // samples/podspecs
  it_('k8s-windows-gmsa__several-containers-with-gmsa.yml', 'VALID'),
  it_('k8s-windows-gmsa__simple-with-pre-set-unmatching-contents.yml', 'BROKEN'),
  it_('k8s-windows-gmsa__simple-with-preset-gmsa-pod-level-contents.yml', 'BROKEN'),
  it_('k8s-windows-gmsa__simple-with-unknown-gmsa.yml', 'BROKEN'),
  website('kubernetes-website__configure-gmsa__clusterrole-resourceNames-gmsa-WebApp1.yaml', 'BROKEN in context'),
  website('kubernetes-website__configure-gmsa__container-level-deployment-apps-v1beta1.yaml', 'BROKEN'),
  website('kubernetes-website__configure-gmsa__pod-level-deployment-apps-v1beta1.yaml', 'BROKEN'),
  [
    'macsux-kerberos-buildpack__CcgPlugin__gmsa-demo.yaml',
    {
      verdict: 'VALID, with a warning',
      context: () => [
        {
          file: 'macsux-kerberos-buildpack__CcgPlugin__gmsa-spec.yaml',
          text: credspecSample('macsux-kerberos-buildpack__CcgPlugin__gmsa-spec.yaml'),
        },
      ],
      disagree:
        'MANIFEST.md says it has no nodeSelector kubernetes.io/os: windows, but its Deployment has one (lines 71-72), so nothing warns',
    },
  ],
  [
    'xiaoping8385-TKGi-GMSA__gmsa__deployment.yaml',
    {
      verdict: 'VALID',
      context: () => [
        {
          file: 'xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml',
          text: credspecSample('xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml'),
        },
      ],
    },
  ],
  [
    'xiaoping8385-TKGi-GMSA__gmsa_non_domain_joined__deployment.yaml',
    {
      verdict: 'VALID',
      context: () => [
        {
          file: 'xiaoping8385-TKGi-GMSA__gmsa_non_domain_joined__gmsaspec.yaml',
          text: credspecSample('xiaoping8385-TKGi-GMSA__gmsa_non_domain_joined__gmsaspec.yaml'),
        },
      ],
    },
  ],
  // samples/k8s
  alone('windows-gmsa__deploy__gmsa-crd.yml', 'GOOD'),
  chart('windows-gmsa__charts__crds.yaml'),
  alone('windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml', 'BROKEN'),
  alone('windows-gmsa__1607040__gmsa-crd-without-HostAccountConfig.yml', 'BROKEN'),
  chart('windows-gmsa__chart-template__mutatingwebhook.yaml'),
  chart('windows-gmsa__chart-template__validatingwebhook.yaml'),
  chart('windows-gmsa__chart-template__clusterrole.yaml'),
  chart('windows-gmsa__chart-template__clusterrolebinding.yaml'),
  chart('windows-gmsa__chart-template__deployment.yaml'),
  chart('windows-gmsa__chart-template__service.yaml'),
  chart('windows-gmsa__chart-template__issuer.yaml'),
  chart('windows-gmsa__chart-template__credentialspec.yaml'),
  chart('windows-gmsa__chart-template___helpers.tpl'),
  chart('windows-gmsa__chart__values.yaml'),
  [
    'windows-gmsa__deploy__gmsa-webhook.yml.tpl',
    { verdict: 'GOOD', context: () => [file('windows-gmsa__deploy__gmsa-crd.yml')] },
  ],
  it_('windows-gmsa__it-template__credspec-2.yml', 'VALID'),
  it_('windows-gmsa__it-template__credspecs-users-rbac-role.yml', 'GOOD'),
  [
    'windows-gmsa__it-template__all-credspecs-users-rbac-role.yml',
    {
      verdict: 'GOOD',
      context: integrationContext,
      text: () =>
        rendered('windows-gmsa__it-template__all-credspecs-users-rbac-role.yml', {
          ClusterRoleName: 'webapp-use-all-credspecs',
        }),
    },
  ],
  it_('windows-gmsa__it-template__sa-rbac-binding.yml', 'GOOD'),
  it_('windows-gmsa__it-template__service-account.yml', 'GOOD'),
  it_('windows-gmsa__it-template__simple-with-gmsa.yml', 'VALID'),
  it_('windows-gmsa__it-template__simple-with-container-level-gmsa.yml', 'VALID'),
  it_('windows-gmsa__it-template__simple-with-gmsa-hostname.yml', 'VALID'),
  it_('windows-gmsa__it-template__simple-with-pre-set-matching-contents.yml', 'VALID'),
  it_('windows-gmsa__it-template__simple-with-preset-gmsa-container-level-contents.yml', 'BROKEN'),
  it_('windows-gmsa__it-template__single-pod-with-gmsa.yml', 'VALID'),
  it_('windows-gmsa__it-template__single-pod-with-container-level-gmsa.yml', 'VALID'),
  it_('windows-gmsa__it-template__simple-without-gmsa.yml', 'VALID'),
]);

const root = mkdtempSync(join(tmpdir(), 'gmsa-k8s-samples-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `gmsa-doctor k8s lint FOLDER --format json` of the file and its project; the findings on the file. */
async function judged(name: string, row: Row): Promise<Finding[]> {
  const project = join(root, name.replace(/[^\w.-]/g, '_'));
  mkdirSync(project);
  const own = { file: name, text: row.text ? row.text() : sample(name) };
  for (const f of [own, ...row.context().filter((c) => c.file !== name)]) writeFileSync(join(project, f.file), f.text);
  const { code, out } = await cli('k8s', 'lint', project, '--format', 'json');
  const report = JSON.parse(out) as { exitCode: number; findings: Finding[] };
  expect(code).toBe(report.exitCode);
  return report.findings.filter((f) => basename(f.location?.file ?? f.subject ?? '') === name);
}

function verdictOf(found: Finding[]): 'BROKEN' | 'VALID, with a warning' | 'VALID' {
  if (found.some((f) => f.severity === 'error')) return 'BROKEN';
  return found.some((f) => f.severity === 'warning') ? 'VALID, with a warning' : 'VALID';
}

const expected = (v: Verdict) =>
  v.startsWith('BROKEN') ? 'BROKEN' : v === 'VALID, with a warning' ? 'VALID, with a warning' : 'VALID';

describe('k8s lint of every sample gives its MANIFEST.md verdict', () => {
  it('the table covers every file of test/fixtures/k8s/samples', () => {
    const files = readdirSync(new URL('../../fixtures/k8s/samples/', import.meta.url)).sort();
    expect([...TABLE.keys()].sort()).toEqual(files);
  });

  for (const [name, row] of TABLE) {
    if (row.disagree) continue;
    it(`${name}: ${row.verdict}`, async () => {
      const found = await judged(name, row);
      const got = verdictOf(found);
      // GOOD and VALID allow warnings that are true of the file (a template pod selecting no OS); BROKEN needs an error.
      if (expected(row.verdict) === 'VALID')
        expect(got, JSON.stringify(found.filter((f) => f.severity === 'error').map((f) => [f.id, f.message]))).not.toBe(
          'BROKEN',
        );
      else expect(got, JSON.stringify(found.map((f) => [f.severity, f.id]))).toBe(expected(row.verdict));
    });
  }

  it('macsux gmsa-demo: MANIFEST.md expects a warning for a missing Windows nodeSelector, but the file has one', async () => {
    const row = TABLE.get('macsux-kerberos-buildpack__CcgPlugin__gmsa-demo.yaml')!;
    const text = sample('macsux-kerberos-buildpack__CcgPlugin__gmsa-demo.yaml');
    expect(text.split('\n').slice(70, 72)).toEqual(['      nodeSelector:', '        kubernetes.io/os: windows']);
    const found = await judged('macsux-kerberos-buildpack__CcgPlugin__gmsa-demo.yaml', row);
    expect(found.filter((f) => f.id === 'k8s/windows-nodes-only' && f.severity !== 'pass')).toEqual([]);
    expect(verdictOf(found)).toBe('VALID');
  });
});
