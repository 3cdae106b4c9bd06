import { request } from 'node:http';
import type { Probe, ProbeOutput } from '../engine/probe.js';
import { NO_GMSA_CONTAINER } from '../facts/file.js';
import { containerSubject } from '../facts/subjects.js';
import { usesCredentialSpec } from '../credspec/container-spec.js';
import { unavailable } from '../engine/probe.js';
import { containerFromInspect, parseDockerInspect } from '../protocol/parsers/docker-inspect.js';
import { fromDockerInfoJson, parseDockerInfo } from '../protocol/parsers/docker-info.js';
import { parseBoundedJson } from '../protocol/json-depth.js';
import type { ContainerFacts, DockerInfo, InspectProblem } from '../facts/docker.js';
import { INPUT_LIMITS, InputFileError, readInputText } from './input-file.js';

export interface DockerEndpoint {
  /** Unix socket or Windows named pipe path. */
  socketPath?: string;
  host?: string;
  port?: number;
  /** For messages: where the daemon was asked. */
  description: string;
}

export const WINDOWS_PIPE = '\\\\.\\pipe\\docker_engine';

/** DOCKER_HOST (unix://, npipe://, tcp://) or the platform default: //./pipe/docker_engine or /var/run/docker.sock. */
export function dockerEndpoint(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): DockerEndpoint {
  const configured = env.DOCKER_HOST?.trim();
  if (configured) {
    const unix = /^unix:\/\/(.+)$/.exec(configured);
    if (unix?.[1]) return { socketPath: unix[1], description: configured };
    const npipe = /^npipe:\/\/(.+)$/.exec(configured);
    if (npipe?.[1]) return { socketPath: npipe[1].replace(/\//g, '\\'), description: configured };
    const tcp = /^tcp:\/\/\[?([^\]]+?)\]?:(\d+)\/?$/.exec(configured);
    if (tcp?.[1]) return { host: tcp[1], port: Number(tcp[2]), description: configured };
    throw new Error(`DOCKER_HOST=${configured}: not a unix://, npipe:// or tcp://host:port address`);
  }
  return platform === 'win32'
    ? { socketPath: WINDOWS_PIPE, description: 'npipe:////./pipe/docker_engine' }
    : { socketPath: '/var/run/docker.sock', description: 'unix:///var/run/docker.sock' };
}

/** A minimal Engine API client over node:http: GET requests returning JSON. */
export class DockerClient {
  constructor(readonly endpoint: DockerEndpoint) {}

  getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const { socketPath, host, port } = this.endpoint;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          ...(socketPath ? { socketPath } : { host, port }),
          path,
          method: 'GET',
          headers: { Host: 'docker', Accept: 'application/json' },
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(new Error(`Docker Engine API GET ${path}: HTTP ${res.statusCode ?? '?'} ${apiMessage(body)}`));
              return;
            }
            try {
              resolve(JSON.parse(body));
            } catch {
              reject(new Error(`Docker Engine API GET ${path}: the answer is not JSON`));
            }
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => reject(new Error(explainConnectError(error, this.endpoint))));
      req.end();
    });
  }
}

function apiMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

function explainConnectError(error: NodeJS.ErrnoException, endpoint: DockerEndpoint): string {
  if (error.name === 'AbortError')
    return `no answer from the Docker daemon at ${endpoint.description} before the deadline`;
  if (error.code === 'ENOENT')
    return `no Docker daemon at ${endpoint.description} (the socket or pipe does not exist: is Docker running?)`;
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return `not allowed to talk to the Docker daemon at ${endpoint.description}: run as an administrator (or a member of docker-users)`;
  }
  if (error.code === 'ECONNREFUSED') return `the Docker daemon at ${endpoint.description} refused the connection`;
  return `Docker daemon at ${endpoint.description}: ${error.message}`;
}

function matchesFilter(container: { Id?: unknown; Names?: unknown }, filter: readonly string[]): boolean {
  if (filter.length === 0) return true;
  const id = typeof container.Id === 'string' ? container.Id : '';
  const names = Array.isArray(container.Names) ? container.Names.map((n) => String(n).replace(/^\//, '')) : [];
  return filter.some((f) => id.startsWith(f) || names.includes(f.replace(/^\//, '')));
}

/** Running containers and their inspect data. `only` keeps the containers named or whose id starts so. */
export async function listContainers(
  client: DockerClient,
  only: readonly string[],
  signal?: AbortSignal,
): Promise<ContainerFacts[]> {
  const list = await client.getJson('/containers/json', signal);
  if (!Array.isArray(list)) throw new Error('Docker Engine API GET /containers/json: the answer is not a list');
  const chosen = (list as { Id?: unknown; Names?: unknown }[]).filter((c) => matchesFilter(c, only));
  const inspected = await Promise.all(
    chosen.map((c) => client.getJson(`/containers/${encodeURIComponent(String(c.Id))}/json`, signal)),
  );
  return inspected
    .map(containerFromInspect)
    .filter((c): c is ContainerFacts => !('reason' in c))
    .map((c) => (only.length > 0 ? { ...c, selected: true } : c));
}

/**
 * The containers a run judges, each its own subject: those that use a credential spec, and those the user named.
 * The others say nothing about a gMSA and are left out (of saved facts too).
 */
export function judgedContainers(containers: readonly ContainerFacts[], nothingJudged: string): ProbeOutput {
  const judged = containers.filter((c) => usesCredentialSpec(c) || c.selected === true);
  if (judged.length === 0) return { 'container.inspect': unavailable(nothingJudged) };
  return { subjects: judged.map((c) => ({ subject: containerSubject(c.id), facts: { 'container.inspect': c } })) };
}

/** What a run found when no container is judged: none uses a credential spec, or none matches --container. */
export function noContainerReason(only: readonly string[]): string {
  return only.length > 0 ? `no running container matches --container ${only.join(', ')}` : NO_GMSA_CONTAINER;
}

/** `docker info` and the running containers, from the Engine API; each settles on its own. */
export async function askDocker(
  options: { containers: readonly string[]; endpoint?: DockerEndpoint },
  signal?: AbortSignal,
): Promise<[PromiseSettledResult<DockerInfo>, PromiseSettledResult<ContainerFacts[]>]> {
  let client: DockerClient;
  try {
    client = new DockerClient(options.endpoint ?? dockerEndpoint());
  } catch (error) {
    const rejected: PromiseRejectedResult = { status: 'rejected', reason: error };
    return [rejected, rejected];
  }
  return Promise.allSettled([
    client.getJson('/info', signal).then(fromDockerInfoJson),
    listContainers(client, options.containers, signal),
  ]);
}

/** Asks the local Docker daemon through its Engine API (named pipe, unix socket or DOCKER_HOST). */
export function dockerEngineProbe(options: { containers: readonly string[]; endpoint?: DockerEndpoint }): Probe {
  return {
    id: 'docker-engine',
    title: 'asking Docker for its containers',
    provides: ['docker.info', 'container.inspect'],
    async run({ signal }) {
      const [info, containers] = await askDocker(options, signal);
      return {
        'docker.info': info.status === 'fulfilled' ? info.value : unavailable((info.reason as Error).message),
        ...(containers.status === 'fulfilled'
          ? judgedContainers(containers.value, noContainerReason(options.containers))
          : { 'container.inspect': unavailable((containers.reason as Error).message) }),
      };
    },
  };
}

/** `docker info` output (text, or the JSON of --format '{{json .}}') rather than `docker inspect`. */
export function looksLikeDockerInfo(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const o = parseBoundedJson(trimmed) as Record<string, unknown>;
      return 'DockerRootDir' in o || 'ServerVersion' in o;
    } catch {
      return false;
    }
  }
  return /^\s*(Server Version|Docker Root Dir):/m.test(text);
}

/**
 * Judges saved output instead of asking a daemon (`--inspect FILE`, any OS): `docker inspect` files give the
 * containers; a saved `docker info` among them gives the build, default isolation and root dir.
 */
export function inspectFilesProbe(files: readonly string[], only: readonly string[] = []): Probe {
  return {
    id: 'docker-inspect-files',
    title: 'reading the saved docker inspect files',
    provides: ['container.inspect', 'docker.inspectProblems', 'docker.info'],
    run() {
      const containers: ContainerFacts[] = [];
      const problems: InspectProblem[] = [];
      let info: DockerInfo | undefined;
      for (const file of files) {
        let text: string;
        try {
          text = readInputText(file, INPUT_LIMITS.dockerInspect);
        } catch (error) {
          if (!(error instanceof InputFileError)) throw error;
          problems.push({ file, reason: error.reason });
          continue;
        }
        if (looksLikeDockerInfo(text)) {
          info = parseDockerInfo(text);
          continue;
        }
        const parsed = parseDockerInspect(text, file);
        const chosen = parsed.containers.filter((c) => matchesFilter({ Id: c.id, Names: [c.name] }, only));
        containers.push(...chosen.map((c) => ({ ...c, selected: true })));
        problems.push(...parsed.problems);
      }
      return Promise.resolve({
        ...judgedContainers(containers, 'no container in the --inspect files'),
        'docker.inspectProblems': problems,
        'docker.info': info ?? unavailable('no saved `docker info` output among the --inspect files'),
      });
    },
  };
}
