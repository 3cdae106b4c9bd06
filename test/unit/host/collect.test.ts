/**
 * collect on a Windows container host, analyze anywhere: the host is replayed (Docker Engine API served on a unix
 * socket with the real payloads, Windows commands answered from the real transcripts), the facts file is written
 * and read back, and judged by the same checks.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDockerApi } from '../../helpers/docker-daemon.js';
import { analyzeFacts, loadFactsFile } from '../../../src/cli/analyze.js';
import { collectFacts } from '../../../src/cli/collect.js';
import type { CheckOptions } from '../../../src/engine/options.js';
import { ReplayRunner } from '../../../src/probes/commands.js';

const fixturePath = (name: string): string => new URL(`../../fixtures/host/${name}`, import.meta.url).pathname;
const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');

let root: string;
let stopDocker: () => Promise<void>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gmsa-collect-'));
  mkdirSync(join(root, 'CredentialSpecs'));
  copyFileSync(
    fixturePath('macsux-kerberos-buildpack__CcgPlugin__ccg.json'),
    join(root, 'CredentialSpecs', 'ccg.json'),
  );
  const info = {
    ...(JSON.parse(fixture('docker-api-info-windows10-1909.json')) as Record<string, unknown>),
    DockerRootDir: root,
  };
  const inspect = (
    JSON.parse(fixture('tfenster-td19-workshop__docker-inspect-shared-process-isolation.json')) as {
      Id: string;
      HostConfig: Record<string, unknown>;
    }[]
  )[0]!;
  inspect.HostConfig.SecurityOpt = ['credentialspec=file://ccg.json'];
  const answers: Record<string, unknown> = {
    '/info': info,
    '/containers/json': [{ Id: inspect.Id, Names: ['/shared'] }],
    [`/containers/${inspect.Id}/json`]: inspect,
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

describe('collect, then analyze elsewhere', () => {
  it('saves discovered facts (secrets redacted) that analyze judges to the same cause', async () => {
    const runner = new ReplayRunner([
      ...ReplayRunner.fromTranscripts(
        fixture('macsux-kerberos-buildpack__NOTES-reg-query-CCG-COMClasses-AKV-plugin.txt'),
      ).asEntries(),
      ...ReplayRunner.inContainer(
        '1be91944c46e53ce2b44f3e8ff7e4e449f86b05025b51df3072e6b9b1185ddec',
        fixture('xiaoping8385-TKGi-GMSA__nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt'),
      ),
    ]);
    const host = { windows: true, docker: true, runner };
    const saved = await collectFacts(options, host, undefined);
    const text = JSON.stringify(saved);

    // Discovery found the spec in <DockerRootDir>\CredentialSpecs and the running container that names it.
    expect(saved.facts['host.credentialSpecs']).toMatchObject({ status: 'ok', value: { files: ['ccg.json'] } });
    expect(saved.subjects.container).toMatchObject({
      '1be91944c46e53ce2b44f3e8ff7e4e449f86b05025b51df3072e6b9b1185ddec': {
        'container.inspect': {
          status: 'ok',
          value: { name: 'shared', credentialSpecOption: 'credentialspec=file://ccg.json' },
        },
      },
    });
    expect(saved.facts['host.ccgPlugins']).toMatchObject({
      status: 'ok',
      value: { registered: ['{CCC2A336-D7F3-4818-A213-272B7924213E}'] },
    });
    // Commands that were never recorded are saved as what they are: unavailable, with the reason.
    expect(saved.facts['host.windows']).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/reg\.exe: not found/) as unknown,
    });
    // PluginInput never leaves the host.
    expect(text).not.toContain('contoso.com:gmsaccg:<password>');
    expect(text).toContain('[redacted]');

    const report = await analyzeFacts(loadFactsFile(text, 'facts.json'));
    expect(report.mostLikelyCause).toMatchObject({ link: 'container host', findingId: 'host/ccg-plugin-registered' });
    expect(report.findings.find((f) => f.id === 'container/credspec-applied')?.message).toMatch(
      /1786 ERROR_NO_TRUST_LSA_SECRET/,
    );
  });
});
