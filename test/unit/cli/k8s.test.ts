// The `k8s` and `k8s lint` commands as a user runs them: every output format (text, json, sarif, the greppable ci
// lines, html), exit codes (0 with warnings only, 1 with errors, 2 for usage and input errors), scope (-n), the
// kubectl plugin's name, standard input, and the kubeconfig and cluster errors that stop a scan before it starts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/program.js';
import { cli } from '../../helpers/cli.js';
import type { K8sApiServer } from '../../helpers/k8s-api-server.js';
import { healthyCluster, startWebhook, webhookBench, WINDOWS } from '../kubernetes/clusters.js';
import { rendered, sample } from '../kubernetes/helpers.js';

const bench = webhookBench('gmsa-k8s-cli-');

let server: K8sApiServer | undefined;
let webhook: { port: number; close(): Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  await webhook?.close();
  server = webhook = undefined;
});

/** A healthy cluster with one Deployment naming a credspec by the wrong case (an error) and one able to land on Linux (a warning). */
async function brokenCluster(): Promise<string> {
  webhook = await startWebhook(bench.serving);
  server = await healthyCluster({ webhookPki: bench.pki, serving: bench.serving, webhookPort: webhook.port });
  server.load(
    rendered('windows-gmsa__it-template__simple-with-gmsa.yml', {
      TestName: 'webapp-case',
      CredSpecNames: ['gmsa-WebApp0'],
      ExtraSpecLines: WINDOWS,
    }),
  );
  server.load(rendered('windows-gmsa__it-template__simple-with-gmsa.yml', { TestName: 'webapp-anywhere' }));
  return server.writeKubeconfig();
}

/** Runs the CLI as kubectl runs a plugin: argv[1] is the kubectl-gmsa_doctor program. */
async function plugin(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(['node', '/usr/local/bin/kubectl-gmsa_doctor', ...args]), out };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

describe('gmsa-doctor k8s (scan)', () => {
  it('text: findings under Kubernetes with their ns/Kind/name, the cause, what was not checked; exit 1', async () => {
    const kubeconfig = await brokenCluster();
    const { code, out } = await cli('k8s', '--kubeconfig', kubeconfig, '--no-color');
    expect(code).toBe(1);
    expect(out).toMatch(
      /^Observed from: https:\/\/127\.0\.0\.1:\d+ \(kubeconfig .*, context test\), Kubernetes v1\.30\.4, all namespaces\n/,
    );
    expect(out).toContain('  ✖ error   k8s/credspec-exists  web/Deployment/webapp-case\n');
    expect(out).toContain('  ⚠ warning k8s/windows-nodes-only  web/Deployment/webapp-anywhere\n');
    // The YAML a fix carries stays indented under its finding.
    expect(out).toContain(
      '      fix: Select Windows nodes in the pod template (tolerations only let it onto tainted Windows nodes):\n        spec:\n          template:\n            spec:\n              nodeSelector:\n                kubernetes.io/os: windows\n        $ kubectl -n web patch',
    );
    expect(out).toContain('\nNot checked here (');
    expect(out).toMatch(
      /\nMost likely cause \(pod\): The pod is not set up to use the gMSA \(web\/Deployment\/webapp-case\): the pod names .* \[k8s\/credspec-exists\]\n/,
    );
    expect(out).toMatch(/\n2 errors, 1 warning, \d+ info, \d+ passed, 0 skipped \(\d+ ms\)\n$/);
  });

  it('ci: one greppable line per finding, `[SEVERITY] ns/Kind/name: (id) message`', async () => {
    const kubeconfig = await brokenCluster();
    const { code, out } = await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'ci');
    expect(code).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(
      lines.every((l) => /^\[(ERROR|WARNING|INFO|SKIPPED|NOT CHECKED)\] \S+: \([a-z0-9-]+\/[a-z0-9-]+\) \S/.test(l)),
    ).toBe(true);
    // The wrong name is not one the RoleBinding grants either: the webhook would refuse it for both reasons.
    expect(lines.filter((l) => l.startsWith('[ERROR] '))).toEqual([
      expect.stringMatching(/^\[ERROR\] web\/Deployment\/webapp-case: \(k8s\/credspec-exists\) the pod names /),
      expect.stringMatching(/^\[ERROR\] web\/Deployment\/webapp-case: \(k8s\/credspec-use-permitted\) /),
    ]);
    expect(lines.filter((l) => l.startsWith('[WARNING] '))).toEqual([
      expect.stringMatching(/^\[WARNING\] web\/Deployment\/webapp-anywhere: \(k8s\/windows-nodes-only\) /),
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^\[NOT CHECKED\] -: \(account\/exists\) against AD/));
  });

  it('sarif and html render the scan; SARIF describes the Kubernetes rules', async () => {
    const kubeconfig = await brokenCluster();
    const sarif = JSON.parse((await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'sarif')).out);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['k8s/credspec-exists', 'k8s/webhook-service', 'credspec/domain-sid']),
    );
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'k8s/credspec-exists');
    expect(result).toMatchObject({ level: 'error', properties: { subject: 'web/Deployment/webapp-case' } });
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('k8s/credspec-exists');
    const html = (await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'html')).out;
    expect(html).toContain('<h2>Most likely cause (pod)</h2>');
    expect(html).toContain('<b>cluster</b>');
  });

  it('a warning alone exits 0; -n limits the pods and workloads to a namespace, the webhook is still judged', async () => {
    webhook = await startWebhook(bench.serving);
    server = await healthyCluster({ webhookPki: bench.pki, serving: bench.serving, webhookPort: webhook.port });
    server.load(rendered('windows-gmsa__it-template__simple-with-gmsa.yml', { TestName: 'anywhere' }));
    const kubeconfig = server.writeKubeconfig();
    const all = await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json');
    expect(all.code).toBe(0);
    const warnings = (json: { findings: { severity: string }[] }) =>
      json.findings.filter((f) => f.severity === 'warning');
    expect(warnings(JSON.parse(all.out))).toEqual([
      expect.objectContaining({ id: 'k8s/windows-nodes-only', subject: 'web/Deployment/anywhere' }),
    ]);
    const other = JSON.parse(
      (await cli('k8s', '--kubeconfig', kubeconfig, '-n', 'kube-system', '--format', 'json')).out,
    );
    expect(other.vantagePoint).toMatch(/, namespace kube-system$/);
    expect(warnings(other)).toEqual([]);
    expect(other.findings).toContainEqual(expect.objectContaining({ id: 'k8s/webhook-service', severity: 'pass' }));
    expect(server.requests.some((r) => r.path === '/api/v1/namespaces/kube-system/pods')).toBe(true);
    expect(server.requests.some((r) => r.path === '/apis/apps/v1/namespaces/gmsa-webhook/deployments')).toBe(true);
  });

  it('as the kubectl plugin: usage names `kubectl gmsa-doctor`, and it scans', async () => {
    const help = await plugin('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: kubectl gmsa-doctor \[options\] \[command\]/);
    expect(help.out).toContain('lint [options] <paths...>');
    const kubeconfig = await brokenCluster();
    const scan = await plugin('--kubeconfig', kubeconfig, '--format', 'ci');
    expect(scan.code).toBe(1);
    expect(scan.out).toContain('[ERROR] web/Deployment/webapp-case: (k8s/credspec-exists)');
    const lint = await plugin('lint', join(dirSample(), 'windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml'));
    expect(lint.code).toBe(1);
  });

  it('exit 2, with the reason and no stack, for a cluster that cannot be reached, a bad kubeconfig, -n with -A, --nodes', async () => {
    await brokenCluster();
    const url = server!.url;
    // Kept outside the server's folder, which closing removes.
    const kubeconfig = join(bench.dir, 'kubeconfig-down');
    writeFileSync(kubeconfig, server!.kubeconfig());
    await server!.close();
    server = undefined;
    const down = await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json');
    expect(down.code).toBe(2);
    expect(JSON.parse(down.out).inputErrors).toEqual([
      {
        file: `cluster ${url}`,
        reason: expect.stringMatching(/^unreachable: https:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/),
      },
    ]);
    const missing = await cli('k8s', '--kubeconfig', join(bench.dir, 'nope'));
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toBe(`gmsa-doctor: config: --kubeconfig ${join(bench.dir, 'nope')}: no such file\n`);
    const garbage = join(bench.dir, 'garbage');
    writeFileSync(garbage, 'clusters: [');
    expect((await cli('k8s', '--kubeconfig', garbage)).err).toMatch(
      /^gmsa-doctor: config: .*garbage: not a usable kubeconfig: /,
    );
    expect((await cli('k8s', '-n', 'web', '-A')).err).toBe(
      'gmsa-doctor: -n and -A are exclusive: pick one namespace, or all\n',
    );
    const nodes = await cli('k8s', '--nodes', '--kubeconfig', kubeconfig, '--yes');
    expect(nodes.code).toBe(2);
    expect(nodes.err).toBe(
      'gmsa-doctor: --nodes needs --image IMAGE: the HostProcess image built from deploy/Dockerfile (see README)\n',
    );
  });
});

function dirSample(): string {
  return join(import.meta.dirname, '../../fixtures/k8s/samples');
}

describe('gmsa-doctor k8s lint', () => {
  it('SARIF for code scanning: each result on its file, line and column, its rule described', async () => {
    const file = join(dirSample(), 'kubernetes-website__configure-gmsa__pod-level-deployment-apps-v1beta1.yaml');
    const { code, out } = await cli('k8s', 'lint', file, '--format', 'sarif');
    expect(code).toBe(1);
    const run = JSON.parse(out).runs[0];
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'k8s/api-version');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: {
        uri: 'test/fixtures/k8s/samples/kubernetes-website__configure-gmsa__pod-level-deployment-apps-v1beta1.yaml',
      },
      region: { startLine: 1, startColumn: 13 },
    });
    expect(result.locations[0].logicalLocations).toEqual([{ fullyQualifiedName: 'apiVersion', kind: 'member' }]);
    expect(run.tool.driver.rules[result.ruleIndex]).toMatchObject({
      id: 'k8s/api-version',
      helpUri: expect.stringMatching(/^https:/),
    });
  });

  it('the cause of a manifest kubectl refuses is the manifest; ci lines carry the file position', async () => {
    const file = join(dirSample(), 'kubernetes-website__configure-gmsa__pod-level-deployment-apps-v1beta1.yaml');
    const json = JSON.parse((await cli('k8s', 'lint', file, '--format', 'json')).out);
    expect(json.command).toBe('k8s lint');
    expect(json.mostLikelyCause).toMatchObject({ link: 'manifest', findingId: 'k8s/api-version' });
    expect(json.notChecked.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining(['k8s/crd-installed', 'k8s/contents-injected']),
    );
    const ci = (await cli('k8s', 'lint', file, '--format', 'ci')).out;
    expect(ci).toContain(
      `[ERROR] default/Deployment/with-creds: (k8s/api-version) Deployment with-creds is apps/v1beta1, which Kubernetes 1.16 removed: kubectl answers \`no matches for kind "Deployment" in version "apps/v1beta1"\` at ${file}:1:13\n`,
    );
  });

  it('Helm output on standard input (`helm template . | gmsa-doctor k8s lint -`), each finding naming its template', async () => {
    const helm = ['windows-gmsa__charts__crds.yaml', 'windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml']
      .map((name, i) => `---\n# Source: gmsa/${i === 0 ? 'crds/crds.yaml' : 'templates/old-crd.yaml'}\n${sample(name)}`)
      .join('\n');
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([helm]) as unknown as typeof process.stdin);
    const { code, out } = await cli('k8s', 'lint', '-', '--format', 'json');
    expect(code).toBe(1);
    const errors = JSON.parse(out).findings.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((f: { location: { file: string } }) => f.location.file === '<stdin>')).toBe(true);
    expect(errors.map((f: { evidence?: { helmSource?: string } }) => f.evidence?.helmSource)).toContain(
      'gmsa/templates/old-crd.yaml',
    );
  });

  it('a path that does not exist is an input error (exit 2), the others are still linted; no path is a usage error', async () => {
    const good = join(dirSample(), 'windows-gmsa__deploy__gmsa-crd.yml');
    const { code, out } = await cli('k8s', 'lint', join(bench.dir, 'missing.yaml'), good, '--format', 'json');
    expect(code).toBe(2);
    const json = JSON.parse(out);
    expect(json.inputErrors).toEqual([{ file: join(bench.dir, 'missing.yaml'), reason: 'no such file or folder' }]);
    expect(json.summary.pass).toBeGreaterThan(0);
    const none = await cli('k8s', 'lint');
    expect(none.code).toBe(2);
  });
});
