import { credspecIdentity } from '../credspec/identity.js';
import { credentialSpecOf } from '../credspec/container-spec.js';
import type { SubjectOutput, Probe } from '../engine/probe.js';
import { unavailable } from '../engine/probe.js';
import type { CommandCapture } from '../facts/common.js';
import type { ContainerExecFacts } from '../facts/docker.js';
import { toolMissing } from '../protocol/parsers/capture.js';
import { dnsScript } from '../protocol/parsers/dns-script.js';
import type { CommandRunner } from './commands.js';
import { runCrictl } from './containerd.js';

const EXEC_TIMEOUT_MS = 20_000;

/**
 * Runs the guide's "Check the container" commands inside each container judged (those that use a credential spec,
 * or that were named with --container), when it runs: `docker exec`, or `crictl exec` for a container of containerd.
 */
export function containerExecProbe(runner: CommandRunner, options: { domain?: string }): Probe {
  return {
    id: 'container-exec',
    title: 'running nltest, klist and whoami inside the containers',
    provides: ['container.exec'],
    // docker exec starts a process in the container: seconds each, more on a loaded host.
    timeoutMs: EXEC_TIMEOUT_MS,
    needs: ['container.inspect', 'credspec.documents'],
    tolerant: true,
    async run({ signal, timeoutMs, facts }) {
      const documents = facts.optional('credspec.documents') ?? [];
      const subjects = await Promise.all(
        facts.each('container.inspect').map(async ({ subject, value: container }): Promise<SubjectOutput> => {
          if (!container.running)
            return {
              subject,
              facts: {
                'container.exec': unavailable(
                  `${container.name} is not running: ${container.runtime === 'containerd' ? 'crictl' : 'docker'} exec needs a running container`,
                ),
              },
            };
          const exec = (args: string[]): Promise<CommandCapture> =>
            container.runtime === 'containerd'
              ? runCrictl(runner, ['exec', container.id, ...args], { signal, timeoutMs })
              : runner.run('docker', ['exec', container.id, ...args], { signal, timeoutMs });
          const domain = credspecIdentity(credentialSpecOf(container, documents)).dnsName?.value ?? options.domain;
          // The commands are independent: run them side by side so one slow command does not eat the others' time.
          const [whoami, query, scVerify, klist, dns] = await Promise.all([
            exec(['whoami']),
            exec(['nltest', '/query']),
            domain ? exec(['nltest', `/sc_verify:${domain}`]) : undefined,
            domain ? exec(['klist', 'get', 'krbtgt']) : undefined,
            domain ? exec(['powershell', '-NoProfile', '-NonInteractive', '-Command', dnsScript(domain)]) : undefined,
          ]);
          const inside: ContainerExecFacts = { whoami, query };
          if (domain)
            Object.assign(inside, {
              domain,
              scVerify,
              klist,
              dns: dns && toolMissing(dns) ? { ...dns, notFound: true } : dns,
            });
          return { subject, facts: { 'container.exec': inside } };
        }),
      );
      return { subjects };
    },
  };
}
