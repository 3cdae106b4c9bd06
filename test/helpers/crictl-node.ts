/**
 * A Kubernetes Windows node as crictl shows it (test/fixtures/containerd: a pod given the guide's credential spec,
 * a pod given `{}` whose container fails to start, a HostProcess kube-proxy), answered by the replay runner.
 */
import { readFileSync } from 'node:fs';
import { collectFacts, factsOnStandardOutput } from '../../src/cli/collect.js';
import type { CheckOptions } from '../../src/engine/options.js';
import type { ReplayEntry } from '../../src/probes/commands.js';
import { ReplayRunner } from '../../src/probes/commands.js';

export const containerdFixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/containerd/${name}`, import.meta.url), 'utf8');

export const CRI = {
  iis: '6c6d8c7cc2ebe7a0aaadca138d1727b0dcbbeca6ca71d5731c89bcb54d781d97',
  pruned: '51d3682fe084d49a83551571255d32032575e16069730d10e93770ff6cf60da2',
  prunedEarlier: '52324163492f23565596194e3b4df2bb85a00f591bd4f557950e80c86c37d10f',
  proxy: '1be817391e27c1482515be295819aff595b3a1eacf581cbcb3772d31f008a1e1',
  sandboxes: {
    web: '75387bc260d7716eb1da7c47e6778f5749b8e7b4f7e6077517ddc833bd6ce6d5',
    pruned: 'f6ea4dbccf0c765204848a77318dde1652b8c2459f0c8de7145aa3c925ccd2ca',
    proxy: '49718a97a04b9f7c3c97d748b6d0bc1c612dc7cad55ae499b5af3712e6974c67',
  },
};

/** The node's crictl, found at `at` (the PATH, or C:\k on AKS), plus any other recorded commands. */
export function crictlNode(at = 'crictl', extra: ReplayEntry[] = []): ReplayRunner {
  const entry = (args: string, file: string): ReplayEntry => ({
    command: `${at} ${args}`,
    output: containerdFixture(file),
  });
  return new ReplayRunner([
    entry('pods -o json', 'crictl-pods.json'),
    entry('ps -a -o json', 'crictl-ps-a.json'),
    ...[CRI.iis, CRI.pruned, CRI.proxy].map((id) =>
      entry(`inspect -o json ${id}`, `crictl-inspect-${id.slice(0, 13)}.json`),
    ),
    ...Object.values(CRI.sandboxes).map((id) =>
      entry(`inspectp -o json ${id}`, `crictl-inspectp-${id.slice(0, 13)}.json`),
    ),
    ...extra,
  ]);
}

/** Runs `work` with DOCKER_HOST at a socket that does not exist: a node without Docker. */
export async function withoutDocker<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previous;
  }
}

/** What `collect` on a node is given: nothing named; it finds the pods, their credential specs and gMSAs itself. */
export const NODE_OPTIONS: CheckOptions = {
  gmsas: [],
  credspec: [],
  clientNames: [],
  inspect: [],
  events: [],
  containers: [],
  timeoutMs: 3000,
  ldap: { transport: 'ldaps', insecureTls: false, kerberos: false },
};

/**
 * What the pod of a node-check Job prints on this node (`gmsa-doctor collect -o -`: the summary on standard
 * error, the facts file on standard output), as the kubelet's log holds both streams. The `iis` container answers
 * `nltest /query` as a healthy one does; the pruned one never started.
 */
export async function collectLogOfNode(): Promise<string> {
  const runner = crictlNode(
    'crictl',
    ReplayRunner.execIn(
      'crictl',
      CRI.iis,
      readFileSync(
        new URL('../fixtures/host/xiaoping8385-TKGi-GMSA__nltest-query-success.txt', import.meta.url),
        'utf8',
      ),
    ),
  );
  const saved = await withoutDocker(() =>
    collectFacts(NODE_OPTIONS, { windows: true, docker: false, runner }, undefined),
  );
  const { stderr, stdout } = factsOnStandardOutput(saved);
  return stderr + stdout;
}
