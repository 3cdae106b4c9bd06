/**
 * gmsa-doctor.exe, the Windows single executable, run under Debian's wine64: it must behave exactly as the CLI does
 * on Node (same reports, same exit codes), print no experimental warning, and bind to AD through SSPI.
 * The exe is built by scripts/release/build-exe.mjs unless GMSA_DOCTOR_EXE names one already built.
 * Run: npm run test:exe (needs wine64; the SSPI tests need the lab DC: scripts/lab/start).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareWine, runUnderWine, wineBinary } from '../../scripts/release/wine.mjs';
import { cli } from '../helpers/cli.js';
import { kinit, lab } from '../helpers/lab.js';
import { healthyCluster, startWebhook, WebhookPki } from '../unit/kubernetes/clusters.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXE = process.env.GMSA_DOCTOR_EXE ?? join(ROOT, 'build', 'test-release', 'gmsa-doctor.exe');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const CCG_SPEC = 'examples/credspecs/contoso_webapp01_ccg.json';
const FACTS = 'examples/facts/containerhost02.json';
const EVTX = 'test/fixtures/events/sbousseaden__kerberos_pwd_spray_4771.evtx';

function exe(args: string[], env: Record<string, string> = {}) {
  return runUnderWine(EXE, args, { cwd: ROOT, env });
}

/** As exe(), without blocking this process: for a server the test runs in-process (the test API server). */
async function exeWhileServing(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { wine, env } = prepareWine();
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-exe-run-'));
  const [stdout, stderr] = [join(dir, 'stdout'), join(dir, 'stderr')];
  const fds = [openSync(stdout, 'w'), openSync(stderr, 'w')];
  try {
    const child = spawn(wine, [EXE, ...args], { cwd: ROOT, env, stdio: ['ignore', fds[0], fds[1]], timeout: 120_000 });
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { status, stdout: readFileSync(stdout, 'utf8'), stderr: readFileSync(stderr, 'utf8') };
  } finally {
    fds.forEach((fd) => closeSync(fd));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JSON report without what differs from run to run (durations, timestamps). */
function stable(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === 'durationMs' || key === 'generatedAt' ? undefined : value));
}

beforeAll(() => {
  if (!wineBinary()) throw new Error('wine64 is not installed: apt-get install wine64 (scripts/install-deps.sh does)');
  if (!process.env.GMSA_DOCTOR_EXE) {
    execFileSync(process.execPath, ['scripts/release/build-exe.mjs', '--out', join(ROOT, 'build', 'test-release')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
});

describe('the exe build', () => {
  it('is reproducible: the same commit gives the same bytes', () => {
    const again = join(ROOT, 'build', 'test-release-again');
    execFileSync(process.execPath, ['scripts/release/build-exe.mjs', '--out', again], { cwd: ROOT, stdio: 'ignore' });
    const sums = (dir: string) => readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    expect(sums(again)).toBe(sums(join(EXE, '..')));
    expect(sums(again)).toMatch(/^[0-9a-f]{64} {2}gmsa-doctor\.exe\n$/);
  });
});

describe('gmsa-doctor.exe under wine', () => {
  it('prints its version, and no experimental warning', () => {
    const run = exe(['--version']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout.trim()).toBe(VERSION);
  });

  it('lints a credential spec as the CLI on Node does', async () => {
    const run = exe(['credspec', 'lint', CCG_SPEC, '--format', 'json']);
    const node = await cli('credspec', 'lint', CCG_SPEC, '--format', 'json');
    expect(run.status).toBe(1);
    expect(stable(run.stdout)).toEqual(stable(node.out));
    expect(run.stdout).toContain('credspec/plugin-guid');
  });

  it('reads an EVTX log with the same records', async () => {
    const run = exe(['events', '--dump', EVTX, '--format', 'json']);
    const node = await cli('events', '--dump', EVTX, '--format', 'json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(node.out));
    expect(run.stdout).toContain('4771');
  });

  it('analyzes the bundled facts to their cause, in text and in JSON', () => {
    const text = exe(['analyze', FACTS, '--no-color']);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/Most likely cause.*\[host\/can-retrieve-password\]/);
    const json = exe(['analyze', FACTS, '--format', 'json']);
    expect(json.status).toBe(1);
    expect((JSON.parse(json.stdout) as { mostLikelyCause: { findingId: string } }).mostLikelyCause.findingId).toBe(
      'host/can-retrieve-password',
    );
  });

  it('explains a check as the CLI does', async () => {
    const run = exe(['explain', 'host/can-retrieve-password']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe((await cli('explain', 'host/can-retrieve-password')).out);
  });
});

describe("gmsa-doctor.exe on Kubernetes (the Kubernetes packages load from the exe's own asset)", () => {
  const CRD = 'test/fixtures/k8s/samples/windows-gmsa__e4b2bbc__gmsa-crd-prunes-credspec.yml';

  it('lints manifests as the CLI on Node does, with no warning', async () => {
    const run = exe(['k8s', 'lint', CRD, '--format', 'json']);
    const node = await cli('k8s', 'lint', CRD, '--format', 'json');
    expect(run).toMatchObject({ status: 1, stderr: '' });
    expect(stable(run.stdout)).toEqual(stable(node.out));
    expect(run.stdout).toContain('k8s/crd-schema');
  });

  it('scans a cluster (the test API server) as the CLI on Node does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmsa-exe-k8s-'));
    const pki = new WebhookPki(dir);
    const serving = pki.serving();
    const webhook = await startWebhook(serving);
    const server = await healthyCluster({ webhookPki: pki, serving, webhookPort: webhook.port });
    try {
      const kubeconfig = relative(ROOT, server.writeKubeconfig());
      const run = await exeWhileServing(['k8s', '--kubeconfig', kubeconfig, '--format', 'json']);
      const node = await cli('k8s', '--kubeconfig', kubeconfig, '--format', 'json');
      expect(run).toMatchObject({ status: 0, stderr: '' });
      const verdict = (out: string) => findings(out).map((f) => [f.id, f.severity]);
      expect(verdict(run.stdout)).toEqual(verdict(node.out));
      expect(verdict(run.stdout)).toContainEqual(['k8s/webhook-certificate', 'pass']);
    } finally {
      await server.close();
      await webhook.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the kubectl plugin when named kubectl-gmsa_doctor.exe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gmsa-exe-plugin-'));
    try {
      const plugin = join(dir, 'kubectl-gmsa_doctor.exe');
      copyFileSync(EXE, plugin);
      const run = runUnderWine(plugin, ['--help'], { cwd: ROOT });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Usage: kubectl gmsa-doctor \[options\] \[command\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface JsonFinding {
  id: string;
  severity: string;
  message: string;
  evidence?: Record<string, unknown>;
  remediation?: { text: string };
}

function findings(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

describe('gmsa-doctor.exe binds to AD through SSPI (wine hands Kerberos to the Linux GSS-API library)', () => {
  const checkArgs = (extra: string[]) => {
    const { ip, dnsDomain, caFile } = lab();
    return [
      'check',
      '--dc',
      ip,
      '--domain',
      dnsDomain,
      '--gmsa',
      'webapp01',
      '--ca',
      caFile,
      '--format',
      'json',
      ...extra,
    ];
  };

  it('with a ticket for a domain user, --kerberos reads the gMSA over LDAPS', async () => {
    const { realm, adminPassword } = lab();
    const { env } = await kinit(`Administrator@${realm}`, adminPassword);
    const run = exe(checkArgs(['--kerberos']), env);
    const byId = new Map(findings(run.stdout).map((f) => [f.id, f]));
    expect(byId.get('account/ldap-connection')).toMatchObject({
      severity: 'pass',
      evidence: { bind: 'gssapi', transport: 'ldaps' },
    });
    expect(byId.get('account/exists')?.severity).toBe('pass');
  });

  it('without a ticket, --kerberos fails with the SSPI reason and says how to bind instead', () => {
    const run = exe(checkArgs(['--kerberos']), {
      KRB5CCNAME: 'FILE:/nonexistent/ccache',
      KRB5_CONFIG: lab().krb5Config,
    });
    const connection = findings(run.stdout).find((f) => f.id === 'account/ldap-connection');
    expect(connection?.severity).toBe('error');
    expect(connection?.message).toMatch(/InitializeSecurityContextW|SEC_E_/);
    expect(connection?.remediation?.text).toMatch(/kinit|domain logon/);
  });
});
