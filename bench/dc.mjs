// `gmsa-doctor dc` (DNS SRV over UDP and TCP, A/AAAA, LDAP ping, 12 ports, LDAPS + StartTLS, AS-REQ over UDP and
// TCP) against the lab DC, side by side with the same facts gathered by the standard tools run in sequence:
// dig (SRV over UDP, SRV over TCP, A), bash /dev/tcp per TCP port, openssl s_client on 636, kinit (AS exchange).
// Healthy, then with port 88 dropped. Medians of 5 runs, ratios, a Markdown table for the README.
// Run: npm run build && node bench/dc.mjs   (needs root and scripts/lab/start)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, table, timeCommand } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAB = join(ROOT, 'scripts/lab');
const RUNS = 5;
const TIMEOUT_S = 3;
const TCP_PORTS = [53, 88, 139, 389, 445, 464, 636, 3268, 3269];

function labEnv() {
  let out;
  try {
    out = execFileSync(join(LAB, 'env'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    console.error('bench/dc.mjs: lab not running: run scripts/lab/start (as root)');
    process.exit(2);
  }
  return Object.fromEntries([...out.matchAll(/^export ([A-Z0-9_]+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
}

const env = labEnv();
const ip = env.LAB_IP;
const domain = env.LAB_DNS_DOMAIN;
const realm = env.LAB_REALM;

/** The fault lock of test/helpers/lab.ts, so a bench never overlaps an integration test's fault. */
const FAULT_LOCK = join(LAB, 'state', 'fault.lock');
/** Runs fn while a lab fault is applied (`scripts/lab/<apply> args`), then reverts it with `scripts/lab/<revert>`. */
function withLockedFault(args, fn, apply = 'block', revert = 'unblock') {
  for (let i = 0; ; i++) {
    try {
      mkdirSync(FAULT_LOCK);
      writeFileSync(join(FAULT_LOCK, 'owner'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST' || i > 600) throw error;
      execFileSync('sleep', ['0.3']);
    }
  }
  try {
    execFileSync(join(LAB, apply), args, { stdio: 'ignore' });
    return fn();
  } finally {
    execFileSync(join(LAB, revert), { stdio: 'ignore' });
    rmSync(FAULT_LOCK, { recursive: true, force: true });
  }
}

/** Where the DC is reached: its own address, or the delay relay in front of it (then also named by --dc). */
function gmsaDoctor(target = ip) {
  const viaRelay = target === ip ? [] : ['--dc', target];
  return timeCommand(process.execPath, [
    join(ROOT, 'bin/gmsa-doctor.js'),
    'dc',
    '--domain',
    domain,
    '--dns-server',
    target,
    ...viaRelay,
    '--gmsa',
    'webapp01',
    '--ca',
    env.LAB_CA,
    '--timeout',
    String(TIMEOUT_S),
    '--format',
    'json',
  ]).ms;
}

function standardTools(ccacheDir, target = ip) {
  const krb5Config = target === env.LAB_IP ? env.KRB5_CONFIG : relayKrb5Config(ccacheDir, target);
  const steps = [
    ['dig', ['+time=3', '+tries=1', '+notcp', `@${target}`, `_ldap._tcp.dc._msdcs.${domain}`, 'SRV']],
    ['dig', ['+time=3', '+tries=1', '+tcp', `@${target}`, `_ldap._tcp.dc._msdcs.${domain}`, 'SRV']],
    ['dig', ['+time=3', '+tries=1', `@${target}`, env.LAB_DC_FQDN, 'A']],
    ...TCP_PORTS.map((port) => ['timeout', [String(TIMEOUT_S), 'bash', '-c', `exec 3<>/dev/tcp/${target}/${port}`]]),
    [
      'timeout',
      [
        String(TIMEOUT_S),
        'openssl',
        's_client',
        '-connect',
        `${target}:636`,
        '-servername',
        env.LAB_DC_FQDN,
        '-CAfile',
        env.LAB_CA,
        '-verify_return_error',
        '-brief',
      ],
    ],
    // The AS exchange: a wrong password makes kinit send the AS-REQ, read KRB-ERROR 25, retry with pre-auth.
    ['kinit', ['-V', `containerhost02$@${realm}`], 'not-the-password\n'],
  ];
  let total = 0;
  for (const [command, args, input] of steps) {
    total += timeCommand(command, args, {
      // Only kinit reads its input (the wrong password); the others get an empty standard input.
      ...(input ? { input, stdio: ['pipe', 'ignore', 'ignore'] } : { stdio: 'ignore' }),
      env: { ...process.env, KRB5_CONFIG: krb5Config, KRB5CCNAME: `FILE:${join(ccacheDir, 'cc')}` },
    }).ms;
  }
  return total;
}

/** The lab's krb5.conf with the KDC reached through the relay. */
function relayKrb5Config(dir, target) {
  const file = join(dir, 'krb5.conf');
  writeFileSync(file, readFileSync(env.KRB5_CONFIG, 'utf8').replaceAll(env.LAB_IP, target));
  return file;
}

function measure(label, target = ip) {
  const ccacheDir = mkdtempSync(join(tmpdir(), 'gmsa-doctor-bench-'));
  try {
    const ours = [];
    const theirs = [];
    // Interleaved, so both sides see the same machine load.
    for (let i = 0; i < RUNS; i++) {
      ours.push(gmsaDoctor(target));
      theirs.push(standardTools(ccacheDir, target));
    }
    return { label, ours: median(ours), theirs: median(theirs) };
  } finally {
    rmSync(ccacheDir, { recursive: true, force: true });
  }
}

/** Node start plus loading every command module: the fixed cost inside each gmsa-doctor figure. */
const startup = median(
  Array.from({ length: RUNS }, () => timeCommand(process.execPath, [join(ROOT, 'bin/gmsa-doctor.js'), '--version']).ms),
);

const LINK_DELAY_MS = 20;
const results = [
  measure('healthy lab DC'),
  // A DC across a WAN link: each request waits LINK_DELAY_MS in the lab's relay (the DC's address stays fast).
  withLockedFault(
    [String(LINK_DELAY_MS)],
    () => measure(`healthy DC, ${LINK_DELAY_MS} ms added per request`, labEnv().LAB_DELAY_IP),
    'delay',
    'undelay',
  ),
  withLockedFault(['88/both', 'drop'], () => measure('port 88 dropped (TCP+UDP)')),
];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `gmsa-doctor dc vs dig + bash /dev/tcp + openssl s_client + kinit in sequence; --timeout ${TIMEOUT_S}; median of ${RUNS} runs\n`,
);
console.log(
  table(
    ['scenario', 'gmsa-doctor dc (all facts, concurrent)', 'standard tools (in sequence)', 'ratio (tools / ours)'],
    results.map((r) => [r.label, s(r.ours), s(r.theirs), `${(r.theirs / r.ours).toFixed(1)}x`]),
  ),
);
console.log(
  `\nOf each gmsa-doctor figure, ${s(startup)} is the CLI starting up (median of \`gmsa-doctor --version\`).`,
);
