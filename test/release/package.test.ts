/**
 * The npm package as a user gets it: `npm pack`, then installed into an empty folder without dev dependencies and
 * without the optional native addons. The CLI must run from it (npx) and the library example must run against it.
 * Run: npm run test:package (needs the npm registry for the package's dependencies).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let work: string;
let packed: PackResult;
let app: string;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gmsa-doctor-package-'));
  packed = (JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT)) as PackResult[])[0]!;
  app = join(work, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(
    join(app, 'package.json'),
    '{ "name": "app", "version": "1.0.0", "private": true, "type": "module" }\n',
  );
  npm(['install', '--omit=dev', '--omit=optional', '--no-package-lock', join(work, packed.filename)], app);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('holds only the built code, its type declarations, the examples, README and LICENSE', () => {
    const paths = packed.files.map((f) => f.path);
    for (const path of paths)
      expect(path).toMatch(
        /^(package\.json|README\.md|LICENSE|bin\/(gmsa-doctor|kubectl-gmsa_doctor)\.js|dist\/.+\.(js|d\.ts)|examples\/.+)$/,
      );
    expect(paths).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/index.js',
        'examples/facts/containerhost02.json',
        'examples/library.mjs',
      ]),
    );
  });

  it('depends on exactly the packages its code imports', () => {
    const dist = join(app, 'node_modules', MANIFEST.name, 'dist');
    const imported = new Set<string>();
    for (const file of walk(dist).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(file, 'utf8');
      // `... from 'x';` ends a static import or re-export (also one spread over lines); `import 'x';` stands alone.
      const statics = code.matchAll(/(?:\bfrom\s+|^\s*import\s+)'([^'.][^']*)';$/gm);
      const dynamics = code.matchAll(/\bimport\(\s*'([^'.][^']*)'\s*\)/g);
      for (const [, specifier] of [...statics, ...dynamics]) imported.add(packageOf(specifier!));
    }
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const external = [...imported].filter((name) => !builtins.has(name) && !name.startsWith('node:'));
    // kerberos and koffi are named by variable specifiers (they are optional), so list them by hand.
    expect(new Set([...external, 'kerberos', 'koffi'])).toEqual(
      new Set([...Object.keys(MANIFEST.dependencies), ...Object.keys(MANIFEST.optionalDependencies)]),
    );
  });
});

describe('installed with --omit=dev --omit=optional', () => {
  it('has no optional native addon', () => {
    expect(readdirSync(join(app, 'node_modules'))).not.toEqual(expect.arrayContaining(['kerberos']));
    expect(readdirSync(join(app, 'node_modules'))).not.toContain('koffi');
  });

  it('npx gmsa-doctor analyze judges the bundled example: its cause, exit code 1', () => {
    const run = spawnSync(
      'npx',
      ['gmsa-doctor', 'analyze', `node_modules/${MANIFEST.name}/examples/facts/containerhost02.json`],
      { cwd: app, encoding: 'utf8' },
    );
    expect(run.stdout).toMatch(/Most likely cause .*\[host\/can-retrieve-password\]/);
    expect(run.status).toBe(1);
  });

  it('npx gmsa-doctor --version is the package version', () => {
    expect(execFileSync('npx', ['gmsa-doctor', '--version'], { cwd: app, encoding: 'utf8' }).trim()).toBe(
      MANIFEST.version,
    );
  });

  it('kubectl finds the plugin kubectl-gmsa_doctor on PATH, and it is `kubectl gmsa-doctor`', () => {
    const bin = join(app, 'node_modules', '.bin');
    const help = spawnSync('kubectl-gmsa_doctor', ['--help'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kubectl gmsa-doctor \[options\] \[command\]/);
    expect(help.stdout).toContain('lint [options] <paths...>');
  });

  it('runs the library example of the README', () => {
    const run = spawnSync(process.execPath, [`node_modules/${MANIFEST.name}/examples/library.mjs`], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('credspec/plugin-guid');
    expect(run.stdout).toContain('most likely cause: host/can-retrieve-password');
    expect(run.stdout).toMatch(/EVTX: \d+ records/);
  });
});

describe('the library API', () => {
  it('comes with type declarations a TypeScript consumer compiles against (strict)', () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      [
        "import { checks, judgeFacts, lintCredentialSpec, readEventLog, renderReport, runChecks } from 'gmsa-doctor';",
        "import type { CheckMeta, EventRecord, Finding, Report, Severity } from 'gmsa-doctor';",
        "const findings: Finding[] = lintCredentialSpec('{}', 'x.json');",
        'const severities: Severity[] = findings.map((f) => f.severity);',
        'const catalogue: readonly CheckMeta[] = checks;',
        "const judged: Promise<Report> = judgeFacts('{}');",
        "const run: Promise<Report> = runChecks({ gmsa: 'webapp01', ldap: { kerberos: true } });",
        "const text: Promise<string> = judged.then((r) => renderReport(r, 'json'));",
        "const records: AsyncGenerator<EventRecord> = readEventLog('x.evtx');",
        '// @ts-expect-error a gMSA name is a string, not a number',
        'void runChecks({ gmsa: 1 });',
        'void [severities, catalogue, run, text, records];',
      ].join('\n'),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2023',
    ];
    const run = spawnSync(
      process.execPath,
      [tsc, ...args, '--typeRoots', join(ROOT, 'node_modules', '@types'), '--types', 'node', 'consumer.ts'],
      { cwd: app, encoding: 'utf8' },
    );
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
