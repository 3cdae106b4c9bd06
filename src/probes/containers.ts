import type { Probe } from '../engine/probe.js';
import { credspecIdentity } from '../credspec/identity.js';
import { specDocumentFor } from '../credspec/security-opt.js';
import type { CommandRunner } from './commands.js';
import { toolMissing } from './commands.js';
import type { CommandCapture } from '../facts/common.js';
import type { ContainerExecFacts, ContainerFacts } from '../facts/docker.js';

/** The JSON this prints: {"servers":["10.0.0.10"],"addresses":["10.0.0.10"],"error":null}. */
export function dnsScript(domain: string): string {
  const name = domain.replace(/'/g, "''");
  return [
    '$servers = @((Get-DnsClientServerAddress -AddressFamily IPv4).ServerAddresses | Select-Object -Unique)',
    '$addresses = @(); $err = $null',
    `try { $addresses = @([System.Net.Dns]::GetHostAddresses('${name}') | ForEach-Object { $_.IPAddressToString }) } catch { $err = $_.Exception.InnerException.Message }`,
    '[pscustomobject]@{ servers = $servers; addresses = $addresses; error = $err } | ConvertTo-Json -Compress',
  ].join('; ');
}

export interface DnsAnswer {
  servers: string[];
  addresses: string[];
  error?: string;
}

/** Pure: the DNS script's JSON (PowerShell prints a one-element array as a bare value). */
export function parseDnsAnswer(stdout: string): DnsAnswer | undefined {
  try {
    const o = JSON.parse(stdout.trim()) as { servers?: unknown; addresses?: unknown; error?: unknown };
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
    return { servers: list(o.servers), addresses: list(o.addresses), ...(typeof o.error === 'string' ? { error: o.error } : {}) };
  } catch {
    return undefined;
  }
}

/** The containers worth looking into: those that use a credential spec, or those named with --container. */
export function containersToExamine(containers: readonly ContainerFacts[], only: readonly string[]): ContainerFacts[] {
  const running = containers.filter((c) => c.running);
  if (only.length > 0) return running;
  return running.filter((c) => c.credentialSpecOption !== undefined);
}

const EXEC_TIMEOUT_MS = 20_000;

/** Runs the guide's "Check the container" commands in each container through `docker exec`. */
export function containerExecProbe(runner: CommandRunner, options: { domain?: string; containers: readonly string[] }): Probe {
  return {
    id: 'container-exec',
    provides: ['container.exec'],
    // docker exec starts a process in the container: seconds each, more on a loaded host.
    timeoutMs: EXEC_TIMEOUT_MS,
    needs: ['docker.containers', 'credspec.documents'],
    tolerant: true,
    async run({ signal, timeoutMs, facts }) {
      const containers = facts.optional('docker.containers') ?? [];
      const documents = facts.optional('credspec.documents') ?? [];
      const result: Record<string, ContainerExecFacts> = {};
      await Promise.all(
        containersToExamine(containers, options.containers).map(async (container) => {
          const exec = (args: string[]): Promise<CommandCapture> => runner.run('docker', ['exec', container.id, ...args], { signal, timeoutMs });
          const domain = credspecIdentity(specDocumentFor(container, documents)?.spec).dnsName?.value ?? options.domain;
          // The commands are independent: run them side by side so one slow command does not eat the others' time.
          const [whoami, query, scVerify, klist, dns] = await Promise.all([
            exec(['whoami']),
            exec(['nltest', '/query']),
            domain ? exec(['nltest', `/sc_verify:${domain}`]) : undefined,
            domain ? exec(['klist', 'get', 'krbtgt']) : undefined,
            domain ? exec(['powershell', '-NoProfile', '-NonInteractive', '-Command', dnsScript(domain)]) : undefined,
          ]);
          const facts: ContainerExecFacts = { whoami, query };
          if (domain) Object.assign(facts, { domain, scVerify, klist, dns: dns && toolMissing(dns) ? { ...dns, notFound: true } : dns });
          result[container.id] = facts;
        }),
      );
      return { 'container.exec': result };
    },
  };
}
