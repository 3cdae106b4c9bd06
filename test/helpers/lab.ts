/**
 * The Samba AD DC lab for integration tests: its facts, faults that are always reverted, and kinit.
 * Everything goes through scripts/lab/* (they need root); the lab must have been started with scripts/lab/start.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Lab {
  ip: string;
  realm: string /* CONTOSO.COM */;
  dnsDomain: string /* contoso.com */;
  netbios: string /* CONTOSO */;
  baseDn: string;
  dcFqdn: string;
  adminUser: string;
  adminPassword: string;
  caFile: string;
  krb5Config: string;
  domainSid: string;
  domainGuid: string;
}

export type Fault =
  | { kind: 'block'; port: number; proto: 'tcp' | 'udp' | 'both'; mode: 'drop' | 'reject' }
  | { kind: 'delay'; ms: number };

const LAB_SCRIPTS = fileURLToPath(new URL('../../scripts/lab/', import.meta.url));
const NOT_RUNNING = 'lab not running: run scripts/lab/start';

/** The exports printed by scripts/lab/env, as a map. */
function labEnv(): Record<string, string> {
  let out: string;
  try {
    out = execFileSync(join(LAB_SCRIPTS, 'env'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new Error(NOT_RUNNING);
  }
  const vars: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const match = /^export ([A-Z0-9_]+)='([^']*)'$/.exec(line);
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

function required(vars: Record<string, string>, name: string): string {
  const value = vars[name];
  if (value === undefined || value === '') throw new Error(`scripts/lab/env printed no ${name}: ${NOT_RUNNING}`);
  return value;
}

/** The running lab's facts; throws a clear error ("lab not running: run scripts/lab/start") otherwise. */
export function lab(): Lab {
  const vars = labEnv();
  return {
    ip: required(vars, 'LAB_IP'),
    realm: required(vars, 'LAB_REALM'),
    dnsDomain: required(vars, 'LAB_DNS_DOMAIN'),
    netbios: required(vars, 'LAB_NETBIOS'),
    baseDn: required(vars, 'LAB_BASE_DN'),
    dcFqdn: required(vars, 'LAB_DC_FQDN'),
    adminUser: required(vars, 'LAB_ADMIN_USER'),
    adminPassword: required(vars, 'LAB_ADMIN_PASSWORD'),
    caFile: required(vars, 'LAB_CA'),
    krb5Config: required(vars, 'KRB5_CONFIG'),
    domainSid: required(vars, 'LAB_DOMAIN_SID'),
    domainGuid: required(vars, 'LAB_DOMAIN_GUID'),
  };
}

interface RunOptions {
  env?: Record<string, string>;
  input?: string;
}

/** Runs a command; rejects with its stderr when it fails. Never put a secret in args: use input. */
function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${[command, ...args].join(' ')} failed (exit ${code}): ${stderr.trim()}`));
    });
    child.stdin.end(options.input ?? '');
  });
}

const labScript = (name: string, ...args: string[]): Promise<string> => run(join(LAB_SCRIPTS, name), args);

// Faults and strong auth change the one lab DC for everybody: test processes take turns through a lock directory
// (mkdir is atomic). A lock left by a dead process is taken over, and whatever fault it left is cleared.
const FAULT_LOCK = join(LAB_SCRIPTS, 'state', 'fault.lock');
const LOCK_WAIT_MS = 180_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** true if the lock was free, false if it was taken over from a dead holder; throws after LOCK_WAIT_MS. */
async function acquireFaultLock(): Promise<boolean> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  mkdirSync(join(LAB_SCRIPTS, 'state'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(FAULT_LOCK);
      writeFileSync(join(FAULT_LOCK, 'owner'), String(process.pid));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockHolderGone()) {
      rmSync(FAULT_LOCK, { recursive: true, force: true });
      try {
        mkdirSync(FAULT_LOCK);
        writeFileSync(join(FAULT_LOCK, 'owner'), String(process.pid));
        return false;
      } catch {
        // somebody else took it over first: wait like everyone else
      }
    }
    if (Date.now() > deadline) throw new Error(`lab fault lock ${FAULT_LOCK} still held after ${LOCK_WAIT_MS} ms`);
    await sleep(100);
  }
}

function lockHolderGone(): boolean {
  try {
    const owner = Number(readFileSync(join(FAULT_LOCK, 'owner'), 'utf8'));
    return Number.isInteger(owner) && owner > 0 && !processAlive(owner);
  } catch {
    // no owner file yet: the holder is between mkdir and writeFile, unless that was long ago
    try {
      return Date.now() - statSync(FAULT_LOCK).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
}

async function withLabLock<T>(fn: () => Promise<T>): Promise<T> {
  const wasFree = await acquireFaultLock();
  try {
    if (!wasFree) await clearAllFaults();
    return await fn();
  } finally {
    rmSync(FAULT_LOCK, { recursive: true, force: true });
  }
}

async function clearAllFaults(): Promise<void> {
  await labScript('unblock');
  await labScript('undelay');
}

async function applyFault(fault: Fault): Promise<{ ip: string }> {
  if (fault.kind === 'block') {
    await labScript('block', `${fault.port}/${fault.proto}`, fault.mode);
    return { ip: lab().ip };
  }
  await labScript('delay', String(fault.ms));
  return { ip: required(labEnv(), 'LAB_DELAY_IP') };
}

async function revertFault(fault: Fault): Promise<void> {
  await labScript(fault.kind === 'block' ? 'unblock' : 'undelay');
}

/** Applies the fault, runs fn with the address to talk to (the relay's for a delay), always reverts the fault. */
export async function withFault<T>(fault: Fault, fn: (target: { ip: string }) => Promise<T>): Promise<T> {
  lab(); // fail fast and clearly when the lab is not running
  return withLabLock(async () => {
    let target: { ip: string };
    try {
      target = await applyFault(fault);
    } catch (error) {
      await revertFault(fault).catch(() => undefined); // a half-applied fault must not stay; report the first error
      throw error;
    }
    try {
      return await fn(target);
    } finally {
      await revertFault(fault);
    }
  });
}

/** Runs fn while the DC requires strong auth (`ldap server require strong auth = yes`), then restores. */
export async function withStrongAuth<T>(fn: () => Promise<T>): Promise<T> {
  lab();
  return withLabLock(async () => {
    const before = labEnv().LAB_STRONG_AUTH === 'yes' ? 'yes' : 'no';
    try {
      await labScript('strong-auth', 'yes');
      return await fn();
    } finally {
      await labScript('strong-auth', before);
    }
  });
}

const credentialCacheDirs: string[] = [];
process.once('exit', () => {
  for (const dir of credentialCacheDirs) rmSync(dir, { recursive: true, force: true });
});

/** kinit as a principal into a private credential cache; returns { ccache, env } for child processes / the kerberos addon. */
export async function kinit(
  principal: string,
  password: string,
): Promise<{ ccache: string; env: Record<string, string> }> {
  const { krb5Config } = lab();
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-lab-krb5-'));
  credentialCacheDirs.push(dir);
  const ccache = join(dir, 'ccache');
  const env = { KRB5_CONFIG: krb5Config, KRB5CCNAME: `FILE:${ccache}` };
  await run('kinit', [principal], { env, input: `${password}\n` });
  return { ccache, env };
}
