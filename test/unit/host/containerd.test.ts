/**
 * A Kubernetes Windows node runs containerd, not Docker: collect and check find its containers and the credential
 * specs the kubelet passed them through crictl (pods, ps -a, inspect, inspectp), answered from the crictl captures of
 * test/fixtures/containerd, and judge them with the container checks Docker containers get.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFacts, loadFactsFile } from '../../../src/cli/analyze.js';
import { collectFacts } from '../../../src/cli/collect.js';
import { FactStore } from '../../../src/engine/facts.js';
import { ReplayRunner } from '../../../src/probes/commands.js';
import { listCriContainers } from '../../../src/probes/containerd.js';
import { containerRuntimesProbe } from '../../../src/probes/runtimes.js';
import { containerFromCrictlInspect, parseCrictlPs } from '../../../src/protocol/parsers/crictl.js';
import { containerdFixture, CRI, crictlNode, NODE_OPTIONS, withoutDocker } from '../../helpers/crictl-node.js';

const containerd = containerdFixture;
const host = (name: string): string => readFileSync(new URL(`../../fixtures/host/${name}`, import.meta.url), 'utf8');
const { iis: IIS, pruned: PRUNED, prunedEarlier: PRUNED_EARLIER, sandboxes: SANDBOX } = CRI;
const node = crictlNode;

describe('crictl output', () => {
  it('reads the credential spec the kubelet passed (CRI credential_spec), the pod, hostname, user and isolation', () => {
    const facts = containerFromCrictlInspect(
      JSON.parse(containerd('crictl-inspect-6c6d8c7cc2ebe.json')),
      JSON.parse(containerd('crictl-inspectp-75387bc260d77.json')),
    );
    expect(facts).toMatchObject({
      id: IIS,
      name: 'web/webapp-7c9f6d8b5-x2kqp/iis',
      runtime: 'containerd',
      running: true,
      platform: 'windows',
      isolation: 'process',
      hostname: 'webapp-7c9f6d8b5-x2kqp',
      user: 'ContainerUser',
      pod: { namespace: 'web', name: 'webapp-7c9f6d8b5-x2kqp' },
      credentialSpec: { DomainJoinConfig: { MachineAccountName: 'webapp01', DnsName: 'contoso.com' } },
    });
    // Environment variables and mounts stay out of the facts: they often hold secrets.
    expect(JSON.stringify(facts)).not.toContain('KUBERNETES_SERVICE_HOST');
  });

  it('keeps the start error of a container that failed to start, and reads a spec that is not JSON as a problem', () => {
    const inspect = JSON.parse(containerd('crictl-inspect-51d3682fe084d.json')) as Record<string, any>;
    expect(containerFromCrictlInspect(inspect)).toMatchObject({
      running: false,
      credentialSpec: {},
      stateError: expect.stringMatching(
        /^StartError: .*hcs::CreateComputeSystem .*winapi error #3489660941/,
      ) as unknown,
    });
    inspect.info.config.windows.security_context.credential_spec = '{"CmsPlugins": [';
    inspect.info.runtimeSpec.windows.credentialSpec = '{"CmsPlugins": [';
    const broken = containerFromCrictlInspect(inspect);
    expect(broken).toMatchObject({ credentialSpecProblem: expect.stringMatching(/is not JSON/) as unknown });
    expect(broken).not.toHaveProperty('credentialSpec');
  });

  it('says what is wrong with output that is not crictl JSON', () => {
    expect(parseCrictlPs('time="2024-06-20T08:13:54Z" level=fatal msg="connect: connect endpoint"')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not JSON/) as unknown,
    });
    expect(containerFromCrictlInspect({ info: {} })).toEqual({
      reason: 'status.id missing: this is not `crictl inspect -o json` output',
    });
  });
});

describe('the containers of a containerd node', () => {
  it('inspects each container once at its latest attempt, and keeps those given a credential spec', async () => {
    const runner = node();
    const found = await listCriContainers(runner, []);
    expect(found.map((c) => c.name)).toEqual([
      'web/webapp-7c9f6d8b5-x2kqp/iis',
      'web/webapp-pruned-6f7d9c4b8-m8zrt/iis',
    ]);
    expect(runner.asked.some((c) => c.includes(PRUNED_EARLIER))).toBe(false);
    // Only the pods of the judged containers are inspected (not kube-proxy's).
    expect(runner.asked.filter((c) => c.startsWith('crictl inspectp'))).toEqual([
      `crictl inspectp -o json ${SANDBOX.web}`,
      `crictl inspectp -o json ${SANDBOX.pruned}`,
    ]);
  });

  it('finds crictl where AKS puts it when it is not on the PATH', async () => {
    const found = await listCriContainers(node('C:\\k\\crictl.exe'), []);
    expect(found).toHaveLength(2);
  });

  it('--container picks a container by pod name even without a credential spec', async () => {
    const found = await listCriContainers(node(), ['kube-proxy-windows-4lq9d']);
    expect(found).toMatchObject([{ name: 'kube-system/kube-proxy-windows-4lq9d/kube-proxy', selected: true }]);
  });

  it('names both runtimes when neither Docker nor containerd can be asked', async () => {
    const out = await containerRuntimesProbe({
      containers: [],
      endpoint: { socketPath: '/nonexistent/docker.sock', description: 'unix:///nonexistent/docker.sock' },
      crictl: new ReplayRunner([]),
    }).run({ signal: new AbortController().signal, facts: new FactStore().reader(), timeoutMs: 2000 });
    expect(out['container.inspect']).toMatchObject({
      reason: expect.stringMatching(
        /no Docker daemon at unix:\/\/\/nonexistent\/docker\.sock.*; crictl not found/,
      ) as unknown,
    });
  });
});

describe('collect on a Windows node, analyze anywhere', () => {
  it('judges the pods containerd runs with the container checks, and the gMSA they use is a subject', async () => {
    const runner = node(
      'crictl',
      ReplayRunner.execIn('crictl', IIS, host('xiaoping8385-TKGi-GMSA__nltest-query-success.txt')),
    );
    await withoutDocker(async () => {
      const saved = await collectFacts(NODE_OPTIONS, { windows: true, docker: false, runner }, undefined);
      expect(saved.options).toMatchObject({ gmsas: ['webapp01'] });
      expect(Object.keys(saved.subjects.container ?? {}).sort()).toEqual([PRUNED, IIS].sort());
      expect(runner.asked).toContain(`crictl exec ${IIS} nltest /query`);

      const report = await analyzeFacts(loadFactsFile(JSON.stringify(saved), 'node.json'));
      const of = (id: string, subject: string) => report.findings.find((f) => f.id === id && f.subject === subject);
      expect(of('container/credspec-applied', 'web/webapp-7c9f6d8b5-x2kqp/iis')).toMatchObject({ severity: 'pass' });
      expect(of('container/credspec-resolves', 'web/webapp-7c9f6d8b5-x2kqp/iis')).toMatchObject({ severity: 'pass' });
      expect(of('container/credspec-resolves', 'web/webapp-pruned-6f7d9c4b8-m8zrt/iis')).toMatchObject({
        severity: 'error',
        message: expect.stringMatching(/names no gMSA \(\{\}\).*windows-gmsa#31/) as unknown,
      });
      expect(of('container/start-error', 'web/webapp-pruned-6f7d9c4b8-m8zrt/iis')).toMatchObject({
        severity: 'error',
        message: expect.stringMatching(/0xD000000D|0xC000000D/i) as unknown,
      });
    });
  });
});
