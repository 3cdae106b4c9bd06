#!/usr/bin/env node
// Fetches a binary package pinned in scripts/release/pins.json from the npm registry (npm pack: no install
// scripts run), checks its integrity sum, and unpacks it once under .cache/npm/NAME@VERSION/package.
// Usage: node scripts/release/fetch.mjs NAME   (prints the unpacked folder)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PINS = JSON.parse(readFileSync(join(ROOT, 'scripts', 'release', 'pins.json'), 'utf8'));
const CACHE = process.env.GMSA_DOCTOR_CACHE ?? join(ROOT, '.cache', 'npm');

export function pinOf(name) {
  const pin = PINS[name];
  if (!pin) throw new Error(`${name} is not pinned in scripts/release/pins.json`);
  return pin;
}

function integrityOf(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The unpacked package folder of the pinned NAME, fetched and verified on first use. */
export function fetchPinned(name) {
  const { version, integrity } = pinOf(name);
  const folder = join(CACHE, `${name.replace('/', '+')}@${version}`);
  const unpacked = join(folder, 'package');
  if (existsSync(join(folder, '.verified'))) return unpacked;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', folder], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const tarball = join(folder, packed.filename);
  const actual = integrityOf(tarball);
  if (actual !== integrity)
    throw new Error(`${name}@${version}: integrity ${actual} does not match the pin ${integrity}`);
  execFileSync('tar', ['xzf', tarball, '-C', folder]);
  rmSync(tarball);
  writeFileSync(join(folder, '.verified'), `${integrity}\n`);
  return unpacked;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: node scripts/release/fetch.mjs NAME');
    process.exit(2);
  }
  console.log(fetchPinned(name));
}
