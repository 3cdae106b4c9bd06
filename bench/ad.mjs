// The AD part of `gmsa-doctor check` (one LDAPS session: bind, rootDSE, domain, crossRefs, the gMSA, similar
// names, the host and its tokenGroups, SID names, SPN holders) against the lab DC, side by side with the very
// same searches made by `ldapsearch` in sequence (one process, TLS handshake and bind per search, as a shell
// script would). The searches are recorded from the tool's own run, then replayed. Medians of 5, ratio, Markdown.
// Run: npm run build && node bench/ad.mjs   (needs scripts/lab/start)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'ldapts';
import { run } from '../dist/engine/runner.js';
import { planProbes } from '../dist/plan/plan.js';
import { adProbes } from '../dist/plan/probes.js';
import { median, table, timeCommand } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 5;

function labEnv() {
  try {
    const out = execFileSync(join(ROOT, 'scripts/lab/env'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return Object.fromEntries([...out.matchAll(/^export ([A-Z0-9_]+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
  } catch {
    console.error('bench/ad.mjs: lab not running: run scripts/lab/start (as root)');
    process.exit(2);
  }
}

const env = labEnv();
const options = {
  dc: env.LAB_IP,
  gmsas: ['webapp01'],
  host: 'containerhost03',
  credspec: [],
  clientNames: ['lb.contoso.com'],
  inspect: [],
  events: [],
  containers: [],
  timeoutMs: 5000,
  ldap: {
    transport: 'ldaps',
    caFile: env.LAB_CA,
    insecureTls: false,
    user: env.LAB_ADMIN_USER,
    password: env.LAB_ADMIN_PASSWORD,
    kerberos: false,
  },
};

async function toolRun() {
  const t0 = performance.now();
  // The AD family alone, planned and run as `check` plans and runs it.
  const report = await run({ ...planProbes(adProbes(options), options), timeoutMs: options.timeoutMs });
  const ms = performance.now() - t0;
  const connection = report.findings.find((f) => f.id === 'account/ldap-connection');
  if (connection?.severity !== 'pass') throw new Error(`the tool could not read AD: ${connection?.message}`);
  return ms;
}

// Record the searches of one run, exactly as the tool makes them.
const recorded = [];
const original = Client.prototype.search;
Client.prototype.search = function (base, opts = {}, controls) {
  recorded.push({
    base,
    scope: opts.scope ?? 'base',
    filter: opts.filter ?? '(objectClass=*)',
    attributes: opts.attributes ?? [],
    paged: Boolean(opts.paged),
  });
  return original.call(this, base, opts, controls);
};
await toolRun();
Client.prototype.search = original;

const dir = mkdtempSync(join(tmpdir(), 'bench-ad-'));
const passwordFile = join(dir, 'pw');
writeFileSync(passwordFile, env.LAB_ADMIN_PASSWORD, { mode: 0o600 });
const SCOPE = { base: 'base', one: 'one', sub: 'sub' };
const ldapsearchArgs = recorded.map((q) => [
  '-LLL',
  '-x',
  '-H',
  `ldaps://${env.LAB_IP}`,
  '-D',
  env.LAB_ADMIN_USER,
  '-y',
  passwordFile,
  ...(q.paged ? ['-E', 'pr=500/noprompt'] : []),
  '-b',
  q.base,
  '-s',
  SCOPE[q.scope],
  q.filter,
  ...q.attributes,
]);
const ldapEnv = { ...process.env, LDAPTLS_CACERT: env.LAB_CA, LDAPTLS_REQCERT: 'demand' };

function ldapsearchRun() {
  const t0 = performance.now();
  for (const args of ldapsearchArgs) {
    const { status } = timeCommand('ldapsearch', args, { env: ldapEnv });
    // 0 found, 32 noSuchObject: both are answers (as in the tool's run).
    if (status !== 0 && status !== 32) throw new Error(`ldapsearch ${args.slice(-4).join(' ')} exited ${status}`);
  }
  return performance.now() - t0;
}

const tool = [];
const standard = [];
for (let i = 0; i < RUNS; i++) {
  tool.push(await toolRun());
  standard.push(ldapsearchRun());
}
rmSync(dir, { recursive: true, force: true });

const fmt = (ms) => `${ms.toFixed(0)} ms`;
const t = median(tool);
const s = median(standard);
console.log(
  `AD reads of one check run (${recorded.length} searches, gMSA webapp01, host containerhost03, 1 client name), lab DC ${env.LAB_IP}, LDAPS with strict certificate checks, medians of ${RUNS} runs\n`,
);
console.log(
  table(
    ['what', 'gmsa-doctor (1 session, in-process)', `ldapsearch x${recorded.length} in sequence`, 'ratio'],
    [['AD part of `check` (bind + every search)', fmt(t), fmt(s), `${(s / t).toFixed(1)}x faster`]],
  ),
);
