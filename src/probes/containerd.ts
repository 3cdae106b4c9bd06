/**
 * The containers of a Kubernetes Windows node, asked of containerd through `crictl` (the CRI): Kubernetes nodes run
 * containerd, not Docker, and a pod's credential spec reaches containerd as contents through the CRI, not as a file.
 * `crictl pods`, `crictl ps -a`, then `crictl inspect` of each container's latest attempt and `crictl inspectp` of
 * the pods of the containers judged. Read-only.
 */
import type { ContainerFacts } from '../facts/docker.js';
import type { CommandCapture } from '../facts/common.js';
import {
  containerFromCrictlInspect,
  latestAttempts,
  parseCrictlPods,
  parseCrictlPs,
} from '../protocol/parsers/crictl.js';
import type { CriContainer } from '../protocol/parsers/crictl.js';
import { usesCredentialSpec } from '../credspec/container-spec.js';
import type { CommandRunner, RunCommandOptions } from './commands.js';

/** Where crictl lives on the nodes of the major distributions, after the PATH. */
export const CRICTL_CANDIDATES = ['crictl', 'C:\\k\\crictl.exe', 'C:\\Program Files\\containerd\\crictl.exe'];
/** crictl calls in flight at once (each is a process and a CRI round trip). */
const CONCURRENCY = 4;

/** containerd could not be asked (crictl missing, failing, or answering what crictl does not print). */
export class CrictlError extends Error {}

function failure(capture: CommandCapture): string {
  if (capture.timedOut) return `${capture.command}: no answer before the deadline`;
  const detail = (capture.stderr || capture.stdout).trim().split(/\r?\n/).pop() ?? '';
  return `${capture.command} failed (exit code ${capture.exitCode ?? '?'})${detail ? `: ${detail}` : ''}`;
}

class Crictl {
  constructor(
    private readonly runner: CommandRunner,
    private readonly options: RunCommandOptions,
  ) {}

  async text(args: string[]): Promise<string> {
    const capture = await runCrictl(this.runner, args, this.options);
    if (capture.notFound) throw new CrictlError(capture.stderr);
    if (capture.exitCode !== 0) throw new CrictlError(failure(capture));
    return capture.stdout;
  }

  async parsed(args: string[]): Promise<unknown> {
    const text = await this.text(args);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CrictlError(`crictl ${args.join(' ')}: the answer is not JSON`);
    }
  }
}

/** The crictl that answered last, per runner: the next calls go straight to it. */
const located = new WeakMap<CommandRunner, string>();

/** Runs crictl with `args`: the one found before, else the first of CRICTL_CANDIDATES that exists. */
export async function runCrictl(
  runner: CommandRunner,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandCapture> {
  const known = located.get(runner);
  const candidates = known ? [known, ...CRICTL_CANDIDATES.filter((c) => c !== known)] : CRICTL_CANDIDATES;
  let last: CommandCapture | undefined;
  for (const file of candidates) {
    last = await runner.run(file, args, options);
    if (last.notFound) continue;
    located.set(runner, file);
    return last;
  }
  return { ...last!, stderr: `crictl not found (${CRICTL_CANDIDATES.join(', ')}): is this a containerd node?` };
}

function matches(c: ContainerFacts, only: readonly string[]): boolean {
  const names = [c.name, c.pod?.name, c.pod ? `${c.pod.namespace}/${c.pod.name}` : undefined];
  return only.some((f) => c.id.startsWith(f) || names.includes(f));
}

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY)
    out.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(work))));
  return out;
}

/**
 * The containers containerd runs that a gMSA run judges: those given a credential spec, and those named in `only`
 * (id prefix, `ns/pod/container`, pod name or `ns/pod`). Throws CrictlError when containerd cannot be asked.
 */
export async function listCriContainers(
  runner: CommandRunner,
  only: readonly string[],
  options: RunCommandOptions = {},
): Promise<ContainerFacts[]> {
  const crictl = new Crictl(runner, options);
  const sandboxes = parseCrictlPods(await crictl.text(['pods', '-o', 'json']));
  if (!sandboxes.ok) throw new CrictlError(sandboxes.reason);
  const listed = parseCrictlPs(await crictl.text(['ps', '-a', '-o', 'json']));
  if (!listed.ok) throw new CrictlError(listed.reason);
  const inspected = await inBatches(latestAttempts(listed.value, sandboxes.value), async (c: CriContainer) => ({
    c,
    inspect: await crictl.parsed(['inspect', '-o', 'json', c.id]),
  }));
  const wanted = inspected.flatMap(({ c, inspect }) => {
    const facts = containerFromCrictlInspect(inspect);
    if ('reason' in facts) return [];
    const selected = only.length > 0 && matches(facts, only);
    return (only.length === 0 && usesCredentialSpec(facts)) || selected ? [{ c, inspect, selected }] : [];
  });
  const sandboxIds = [...new Set(wanted.flatMap(({ c }) => c.sandboxId ?? []))];
  const sandboxInfo = new Map(
    await inBatches(sandboxIds, async (id) => [id, await crictl.parsed(['inspectp', '-o', 'json', id])] as const),
  );
  return wanted.flatMap(({ c, inspect, selected }) => {
    const facts = containerFromCrictlInspect(inspect, c.sandboxId ? sandboxInfo.get(c.sandboxId) : undefined);
    return 'reason' in facts ? [] : [selected ? { ...facts, selected: true } : facts];
  });
}
