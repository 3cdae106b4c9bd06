import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FactStore } from '../../../src/engine/facts.js';
import { ProcessRunner, ReplayRunner } from '../../../src/probes/commands.js';
import { toolMissing } from '../../../src/protocol/parsers/capture.js';
import { checks, findingsOf } from '../../helpers/checks.js';
import { hostCommandsProbe } from '../../../src/probes/windows-host.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/host/${name}`, import.meta.url), 'utf8');
const node = process.execPath;

describe('ProcessRunner (node:child_process, no shell)', () => {
  const runner = new ProcessRunner();

  it('captures stdout, stderr and the exit code', async () => {
    const r = await runner.run(node, [
      '-e',
      'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)',
    ]);
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err', timedOut: false, notFound: false });
    expect(r.command).toBe(
      `${node} -e "process.stdout.write(\\"out\\"); process.stderr.write(\\"err\\"); process.exit(3)"`,
    );
  });

  it('kills a command at its deadline', async () => {
    const r = await runner.run(node, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null });
  });

  it('stops when the probe is aborted', async () => {
    const controller = new AbortController();
    const pending = runner.run(node, ['-e', 'setTimeout(() => {}, 60000)'], { signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ timedOut: true, exitCode: null });
  });

  it('says when the program does not exist', async () => {
    const r = await runner.run('nltest.exe', ['/sc_verify:contoso.com']);
    expect(r).toMatchObject({ notFound: true, exitCode: null, stderr: 'nltest.exe: not found' });
    expect(toolMissing(r)).toBe(true);
  });
});

describe('host commands replayed from transcripts', () => {
  it("runs nltest /sc_verify for the host's domain and Test-ADServiceAccount for each gMSA; a missing AD module stops the loop", async () => {
    const runner = ReplayRunner.fromTranscripts(
      fixture('microsoft-Azure-Key-Vault-Plugin-gMSA__README-nltest-sc_verify.txt'),
    );
    const facts = new FactStore();
    facts.set('host.windows', {
      build: 17763,
      domainJoined: true,
      domain: 'contoso.com',
      computerName: 'CONTAINERHOST01',
    });
    const out = await hostCommandsProbe(runner, { gmsas: ['webapp01$'] }).run({
      signal: AbortSignal.timeout(2000),
      facts,
      timeoutMs: 2000,
    });
    expect(runner.asked).toEqual([
      'nltest.exe /sc_verify:contoso.com',
      'powershell.exe -NoProfile -NonInteractive -Command "Test-ADServiceAccount -Identity \'webapp01\'"',
    ]);
    facts.set('host.commands', out['host.commands'] as never);
    const findings = findingsOf(checks('host/'), facts);
    expect(findings.find((f) => f.id === 'host/dc-reachable')).toMatchObject({
      severity: 'pass',
      message: expect.stringMatching(/dc01\.contoso\.com is verified/) as unknown,
    });
    expect(findings.find((f) => f.id === 'host/test-adserviceaccount')?.severity).toBe('skipped');
  });
});
