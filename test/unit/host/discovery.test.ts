/**
 * Discovery on a Windows container host whose running containers use two different gMSAs: the Docker Engine API
 * is served on a unix socket with the real inspect payload (two containers made from it, each with its own
 * credential spec), and the specs are real files in <DockerRootDir>\CredentialSpecs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDockerApi } from '../../helpers/docker-daemon.js';
import type { CheckOptions } from '../../../src/engine/options.js';
import { ReplayRunner } from '../../../src/probes/commands.js';
import { discoverHost } from '../../../src/plan/discovery.js';

const fixturePath = (name: string): string => new URL(`../../fixtures/host/${name}`, import.meta.url).pathname;

let root: string;
let stopDocker: () => Promise<void>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gmsa-discovery-'));
  mkdirSync(join(root, 'CredentialSpecs'));
  copyFileSync(
    fixturePath('MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json'),
    join(root, 'CredentialSpecs', 'webapp01.json'),
  );
  copyFileSync(
    fixturePath('macsux-kerberos-buildpack__CcgPlugin__ccg.json'),
    join(root, 'CredentialSpecs', 'gmsa1.json'),
  );
  const info = {
    ...(JSON.parse(readFileSync(fixturePath('docker-api-info-windows10-1909.json'), 'utf8')) as Record<
      string,
      unknown
    >),
    DockerRootDir: root,
  };
  const sample = (
    JSON.parse(
      readFileSync(fixturePath('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json'), 'utf8'),
    ) as Record<string, any>[]
  )[0]!;
  const container = (id: string, spec: string) => ({
    ...sample,
    Id: id,
    Name: `/${spec}`,
    HostConfig: { ...sample.HostConfig, SecurityOpt: [`credentialspec=file://${spec}.json`] },
  });
  const web = container('a'.repeat(64), 'webapp01');
  const other = container('b'.repeat(64), 'gmsa1');
  const answers: Record<string, unknown> = {
    '/info': info,
    '/containers/json': [web, other].map((c) => ({ Id: c.Id, Names: [c.Name] })),
    [`/containers/${web.Id}/json`]: web,
    [`/containers/${other.Id}/json`]: other,
  };
  stopDocker = await serveDockerApi(root, answers);
});

afterAll(async () => {
  await stopDocker();
  rmSync(root, { recursive: true, force: true });
});

const options: CheckOptions = {
  gmsas: [],
  credspec: [],
  clientNames: [],
  inspect: [],
  events: [],
  containers: [],
  timeoutMs: 3000,
  ldap: { transport: 'ldaps', insecureTls: false, kerberos: false },
};
const host = { windows: true, docker: true, runner: new ReplayRunner([]) };

describe('discovery of the gMSAs in use', () => {
  it('makes every gMSA the running containers use a subject of the run', async () => {
    const discovered = await discoverHost(options, host);
    expect(discovered.options.gmsas).toEqual(['webapp01', 'gmsa1']);
    expect(discovered.options.credspec.map((f) => f.split(/[\\/]/).pop()).sort()).toEqual([
      'gmsa1.json',
      'webapp01.json',
    ]);
  });

  it('judges only the gMSA named by --gmsa', async () => {
    const discovered = await discoverHost({ ...options, gmsas: ['webapp01'] }, host);
    expect(discovered.options.gmsas).toEqual(['webapp01']);
  });
});
