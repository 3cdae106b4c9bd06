// Runs Windows executables under Debian's wine64, for the exe's tests, its benchmark and its code cache.
// Node under wine cannot write to a pipe (EBADF), so output goes through files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CANDIDATES = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];

export function wineBinary() {
  return CANDIDATES.find((path) => existsSync(path));
}

function wineEnv(extra = {}) {
  return {
    ...process.env,
    WINEPREFIX: process.env.WINEPREFIX ?? join(ROOT, '.cache', 'wine-prefix'),
    WINEDEBUG: '-all',
    ...extra,
  };
}

/** Creates the wine prefix once, set to Windows 10 (Node refuses older Windows versions). */
export function prepareWine() {
  const wine = wineBinary();
  if (!wine) throw new Error('wine64 is not installed (apt-get install wine64)');
  const env = wineEnv();
  const marker = join(env.WINEPREFIX, '.gmsa-doctor-win10');
  if (!existsSync(marker)) {
    mkdirSync(env.WINEPREFIX, { recursive: true });
    const r = spawnSync(wine, ['winecfg', '-v', 'win10'], { env, stdio: 'ignore', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`winecfg -v win10 failed (status ${r.status})`);
    writeFileSync(marker, '');
  }
  return { wine, env };
}

/** Runs `exe args` under wine; stdin from `input` (a string) or nothing. */
export function runUnderWine(exe, args, { env: extraEnv = {}, input, cwd, timeoutMs = 120_000 } = {}) {
  const { wine, env } = prepareWine();
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-doctor-wine-'));
  const files = { stdin: join(dir, 'stdin'), stdout: join(dir, 'stdout'), stderr: join(dir, 'stderr') };
  writeFileSync(files.stdin, input ?? '');
  const fds = [openSync(files.stdin, 'r'), openSync(files.stdout, 'w'), openSync(files.stderr, 'w')];
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(wine, [exe, ...args], {
      env: wineEnv({ ...env, ...extraEnv }),
      cwd,
      stdio: fds,
      timeout: timeoutMs,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      status: r.status,
      signal: r.signal,
      ms,
      stdout: readFileSync(files.stdout, 'utf8'),
      stderr: readFileSync(files.stderr, 'utf8'),
    };
  } finally {
    fds.forEach((fd) => closeSync(fd));
    rmSync(dir, { recursive: true, force: true });
  }
}
