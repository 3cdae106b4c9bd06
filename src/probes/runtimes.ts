/**
 * The containers of this host, from every runtime it has: Docker (a container host) and containerd through crictl
 * (a Kubernetes Windows node; Mirantis/Docker hosts may have both). Each container is judged by the same checks,
 * whichever runtime runs it.
 */
import type { Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import type { ContainerFacts } from '../facts/docker.js';
import type { CommandRunner } from './commands.js';
import { listCriContainers } from './containerd.js';
import type { DockerEndpoint } from './docker.js';
import { askDocker, judgedContainers, noContainerReason } from './docker.js';

/** crictl runs one process per call: a node with many containers needs more than one probe's usual deadline. */
const CRICTL_TIMEOUT_MS = 30_000;

export function containerRuntimesProbe(options: {
  containers: readonly string[];
  endpoint?: DockerEndpoint;
  /** Runs crictl; without it only Docker is asked. */
  crictl?: CommandRunner;
}): Probe {
  const crictl = options.crictl;
  return {
    id: crictl ? 'container-runtimes' : 'docker-engine',
    title: crictl
      ? 'asking Docker, or containerd through crictl, for the containers'
      : 'asking Docker for its containers',
    provides: ['docker.info', 'container.inspect'],
    ...(crictl ? { timeoutMs: CRICTL_TIMEOUT_MS } : {}),
    async run({ signal, timeoutMs }) {
      const [[info, docker], containerd] = await Promise.all([
        askDocker(options, signal),
        crictl
          ? listCriContainers(crictl, options.containers, { signal, timeoutMs }).then(
              (value): PromiseSettledResult<ContainerFacts[]> => ({ status: 'fulfilled', value }),
              (reason: unknown): PromiseSettledResult<ContainerFacts[]> => ({ status: 'rejected', reason }),
            )
          : undefined,
      ]);
      const found = [docker, containerd].flatMap((r) => (r?.status === 'fulfilled' ? r.value : []));
      const asked = docker.status === 'fulfilled' || containerd?.status === 'fulfilled';
      const reasons = [docker, containerd].flatMap((r) =>
        r?.status === 'rejected' ? [(r.reason as Error).message] : [],
      );
      return {
        'docker.info': info.status === 'fulfilled' ? info.value : unavailable((info.reason as Error).message),
        ...(asked
          ? judgedContainers(found, noContainerReason(options.containers))
          : { 'container.inspect': unavailable(reasons.join('; ')) }),
      };
    },
  };
}
