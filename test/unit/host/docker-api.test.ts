import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FactStore } from '../../../src/engine/facts.js';
import type { ProbeOutput } from '../../../src/engine/probe.js';
import {
  DockerClient,
  dockerEndpoint,
  dockerEngineProbe,
  inspectFilesProbe,
  listContainers,
} from '../../../src/probes/docker.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/host/${name}`, import.meta.url), 'utf8');
const fixturePath = (name: string): string => new URL(`../../fixtures/host/${name}`, import.meta.url).pathname;

// The sample inspect is the Engine API's GET /containers/{id}/json; the list entry carries the same Id and Names.
const inspect = (
  JSON.parse(fixture('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json')) as Record<
    string,
    unknown
  >[]
)[0]!;
const info = fixture('docker-api-info-windows10-1909.json');
const list = JSON.stringify([
  { Id: inspect.Id, Names: ['/shared'], Image: 'mcr.microsoft.com/windows/servercore:1809', State: 'running' },
]);

let dir: string;
let socketPath: string;
let server: Server;
const requests: string[] = [];
let hang = false;

function serve(req: IncomingMessage, res: ServerResponse): void {
  requests.push(`${req.method} ${req.url}`);
  if (hang) return; // never answers: the probe's deadline must end the request
  const body =
    req.url === '/info'
      ? info
      : req.url === '/containers/json'
        ? list
        : req.url === `/containers/${String(inspect.Id)}/json`
          ? JSON.stringify(inspect)
          : undefined;
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(body ?? JSON.stringify({ message: `page not found` }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gmsa-docker-'));
  socketPath = join(dir, 'docker.sock');
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const context = (ms = 2000) => ({ signal: AbortSignal.timeout(ms), facts: new FactStore(), timeoutMs: ms });
/** The containers a probe yields, each its own subject. */
const inspected = (out: ProbeOutput) => (out.subjects ?? []).map((s) => s.facts['container.inspect']);

describe('Docker Engine API over a unix socket', () => {
  it('reads /info, lists running containers and inspects each', async () => {
    hang = false;
    requests.length = 0;
    const out = await dockerEngineProbe({
      containers: [],
      endpoint: { socketPath, description: `unix://${socketPath}` },
    }).run(context());
    expect(out['docker.info']).toMatchObject({
      dockerRootDir: 'C:\\ProgramData\\Docker',
      defaultIsolation: 'hyperv',
      build: 18363,
      osType: 'windows',
    });
    expect(await listContainers(new DockerClient({ socketPath, description: 'test' }), [])).toEqual([
      expect.objectContaining({
        name: 'shared',
        platform: 'windows',
        isolation: 'process',
        hostname: '1be91944c46e',
        running: true,
        securityOpt: [],
      }),
    ]);
    expect(requests).toContain(`GET /containers/${String(inspect.Id)}/json`);
    // It uses no credential spec: not a container of this run, and the facts say so.
    expect(inspected(out)).toEqual([]);
    expect(out['container.inspect']).toMatchObject({ reason: 'no running container uses a credential spec' });
  });

  it('keeps only the containers asked for with --container', async () => {
    hang = false;
    const out = await dockerEngineProbe({
      containers: ['someother'],
      endpoint: { socketPath, description: 'test' },
    }).run(context());
    expect(out['container.inspect']).toMatchObject({ reason: 'no running container matches --container someother' });
    const byPrefix = await dockerEngineProbe({
      containers: ['1be919'],
      endpoint: { socketPath, description: 'test' },
    }).run(context());
    expect(byPrefix.subjects?.map((s) => s.subject)).toEqual([{ kind: 'container', id: inspect.Id }]);
    expect(inspected(byPrefix)).toEqual([expect.objectContaining({ name: 'shared', selected: true })]);
  });

  it('reports an API error with its message', async () => {
    hang = false;
    await expect(new DockerClient({ socketPath, description: 'test' }).getJson('/nope')).rejects.toThrow(
      /HTTP 404 page not found/,
    );
  });

  it('gives up at the deadline when the daemon does not answer', async () => {
    hang = true;
    const out = await dockerEngineProbe({ containers: [], endpoint: { socketPath, description: 'unix://test' } }).run(
      context(200),
    );
    expect(out['docker.info']).toMatchObject({ reason: expect.stringMatching(/before the deadline/) as unknown });
    hang = false;
  });

  it('says clearly when there is no daemon', async () => {
    const out = await dockerEngineProbe({
      containers: [],
      endpoint: { socketPath: join(dir, 'absent.sock'), description: 'unix://absent' },
    }).run(context());
    expect(out['docker.info']).toMatchObject({
      reason: expect.stringMatching(/no Docker daemon at unix:\/\/absent/) as unknown,
    });
  });
});

describe('dockerEndpoint', () => {
  it('follows DOCKER_HOST and the platform default', () => {
    expect(dockerEndpoint({}, 'win32').socketPath).toBe('\\\\.\\pipe\\docker_engine');
    expect(dockerEndpoint({}, 'linux').socketPath).toBe('/var/run/docker.sock');
    expect(dockerEndpoint({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, 'win32').socketPath).toBe(
      '\\\\.\\pipe\\docker_engine',
    );
    expect(dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, 'linux').socketPath).toBe(
      '/run/user/1000/docker.sock',
    );
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, 'linux')).toMatchObject({
      host: '127.0.0.1',
      port: 2375,
    });
    expect(() => dockerEndpoint({ DOCKER_HOST: 'ssh://me@host' }, 'linux')).toThrow(
      /not a unix:\/\/, npipe:\/\/ or tcp/,
    );
  });
});

describe('--inspect files', () => {
  it('judges saved docker inspect output', async () => {
    const out = await inspectFilesProbe([
      fixturePath('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
    ]).run(context());
    expect(inspected(out)).toEqual([expect.objectContaining({ id: inspect.Id, name: 'shared', selected: true })]);
    expect(out['docker.inspectProblems']).toEqual([]);
  });

  it('names the file and reason of a bad input (a whole file: no field), and goes on', async () => {
    const out = await inspectFilesProbe([
      fixturePath('xiaoping8385-TKGi-GMSA__WebApp01.json'),
      join(dir, 'missing.json'),
      fixturePath('PROVENANCE.md'),
    ]).run(context());
    expect(out['docker.inspectProblems']).toEqual([
      {
        file: fixturePath('xiaoping8385-TKGi-GMSA__WebApp01.json'),
        reason: 'no container in it ([0].Id: missing: this is not `docker inspect` output of a container)',
      },
      { file: join(dir, 'missing.json'), reason: 'no such file' },
      { file: fixturePath('PROVENANCE.md'), reason: expect.stringMatching(/^not JSON/) as unknown },
    ]);
  });

  it('takes a saved docker info (text or JSON) among the files: build, isolation, root dir', async () => {
    for (const info of ['moby-moby-40545__docker-info-windows10-1909.txt', 'docker-api-info-windows10-1909.json']) {
      const out = await inspectFilesProbe([
        fixturePath('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
        fixturePath(info),
      ]).run(context());
      expect(out['docker.info']).toMatchObject({
        build: 18363,
        defaultIsolation: 'hyperv',
        dockerRootDir: 'C:\\ProgramData\\Docker',
      });
      expect(inspected(out)).toHaveLength(1);
    }
    const without = await inspectFilesProbe([
      fixturePath('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'),
    ]).run(context());
    expect(without['docker.info']).toMatchObject({
      reason: expect.stringMatching(/no saved `docker info`/) as unknown,
    });
  });
});
