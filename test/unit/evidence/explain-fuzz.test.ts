/**
 * `explain` of a paste, end to end: recognise -> facts -> every check -> most likely cause -> every output format,
 * on random bytes, random text and the corpus's real pastes mutated the ways pastes get mangled (lines shuffled,
 * cut anywhere, blocks repeated, control characters and terminal escapes injected, CRLF and UTF-16 re-encodings,
 * markdown quotes and fences, pastes glued together), some with a credential spec whose PluginInput holds a secret.
 * Whatever comes in, explain never throws, no check fails internally, the report is well-formed (a verdict, exit
 * code 0, 1 or 2, quotes on lines the paste has), and no output holds a raw control character or the secret.
 *
 * Deterministic: every case has its own seed, derived from BASE_SEED; a failing case names its seed, saves its
 * input and says how to rerun just it (EXPLAIN_FUZZ_CASE=<seed>); EXPLAIN_FUZZ_SEED=<n> explores other cases.
 * Bounded iterations, no timing: speed on 10 MB pastes is measured in bench/evidence.mjs.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { explainPaste } from '../../../src/cli/explain-paste.js';
import { render, type Format } from '../../../src/cli/output.js';
import { SEVERITIES } from '../../../src/engine/finding.js';
import { PASTE_SOURCE } from '../../../src/evidence/facts.js';
import { recognise } from '../../../src/evidence/recognise.js';
import { exitCodeOf, type PasteSummary, type Report } from '../../../src/report/model.js';

const BASE_SEED = Number(process.env.EXPLAIN_FUZZ_SEED ?? 0x6d5a_2013) >>> 0;
const ONLY_CASE = process.env.EXPLAIN_FUZZ_CASE === undefined ? undefined : Number(process.env.EXPLAIN_FUZZ_CASE) >>> 0;

const DIR = new URL('../../fixtures/evidence/', import.meta.url);
const SAMPLES = new URL('../../fixtures/evidence-samples/', import.meta.url);
const CORPUS: { name: string; text: string }[] = [
  ...readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => ({ name: f, text: readFileSync(new URL(f, DIR), 'utf8') })),
  ...readdirSync(SAMPLES)
    .filter((f) => /\.(txt|json)$/.test(f))
    .map((f) => ({ name: f, text: readFileSync(new URL(f, SAMPLES), 'utf8') })),
];

/** A credential spec from the Microsoft docs (test/fixtures/credspec/PROVENANCE.md), given a PluginInput below. */
const SPEC = JSON.parse(
  readFileSync(
    new URL(
      '../../fixtures/credspec/samples/MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__non-domain-joined-example.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as { ActiveDirectoryConfig: { HostAccountConfig: Record<string, string> } };

// ---------------------------------------------------------------------------------------------------------------
// A seeded PRNG (mulberry32) and the seed of each case.

interface Rng {
  next(): number;
  int(n: number): number;
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(values: readonly T[]): T;
}

function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: (values) => values[int(values.length)]!,
  };
}

function caseSeed(suite: string, i: number): number {
  let h = (BASE_SEED ^ 0x811c9dc5) >>> 0;
  for (const c of `${suite}#${i}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// What a case is, and what every case must satisfy.

/** A secret in the paste: its value as written in PluginInput, and pieces of it that must not appear anywhere. */
interface Secret {
  form: string;
  value: string;
  tokens: string[];
}

interface Case {
  input: string | Uint8Array;
  /** How it was made, for the failure message. */
  label: string;
  /** The text the tool will decode, when the test knows it (a string, or bytes with a BOM or in UTF-8). */
  text?: string;
  source?: string;
  secrets: Secret[];
}

const VERDICTS: Record<PasteSummary['verdict'], true> = {
  'gmsa-failure': true,
  'not-gmsa': true,
  healthy: true,
  undecided: true,
};
const FORMATS: Format[] = ['text', 'json', 'html', 'sarif', 'ci'];

/** C0 controls but tab and line feed, DEL, C1, and the bidi marks and overrides (src/engine/printable.ts). */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** What a template prints for a value that is not there: never in an output, unless the paste says it. */
const PLACEHOLDERS = /\bundefined\b|\bNaN\b|\[object Object\]/;

/** Markup injected into pastes: the HTML report must show it as text. */
const MARKUP = ['<script>alert("gmsa-fuzz")</script>', '<img src=x onerror=alert(1)>', '<iframe src="javascript:1">'];
const MARKUP_RAW = /<script>alert|<img src=x|<iframe src=/;

class CaseFailure extends Error {}
function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CaseFailure(message);
}

const countLines = (text: string): number => {
  const parts = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  return Math.max(1, parts.length);
};

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Every spelling a leaked value could take in an output: as is, JSON-escaped (once, twice), HTML-escaped. */
function spellings(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  return [...new Set([value, once, twice, escapeHtml(value), escapeHtml(once)])];
}

function checkReport(c: Case, report: Report): void {
  assert(report.command === 'explain', `command is ${report.command}`);
  const paste = report.paste;
  assert(paste, 'the report has no paste summary');
  assert(VERDICTS[paste.verdict], `verdict ${String(paste.verdict)} is none of ${Object.keys(VERDICTS).join(', ')}`);
  assert(Number.isInteger(paste.lines) && paste.lines >= 1, `the paste has ${paste.lines} lines`);
  if (c.text !== undefined) {
    const lines = countLines(c.text);
    assert(paste.lines === lines, `the paste has ${lines} lines, the report says ${paste.lines}`);
  }
  const exit = exitCodeOf(report);
  assert(exit === 0 || exit === 1 || exit === 2, `exit code ${exit}`);
  if (report.inputErrors.length > 0) {
    assert(exit === 2, 'an input error, but exit code is not 2');
    assert(report.findings.length === 0, 'findings beside an input error');
    assert(paste.verdict === 'undecided', `verdict ${paste.verdict} on a paste with nothing recognised`);
    for (const e of report.inputErrors) assert(e.reason.length > 0, 'an input error without a reason');
  }
  const cause = report.mostLikelyCause;
  assert(
    (paste.verdict === 'gmsa-failure') === (cause !== undefined),
    `verdict ${paste.verdict}, cause ${cause?.findingId}`,
  );
  if (cause) {
    const finding = report.findings.find((f) => f.id === cause.findingId && f.severity === 'error');
    assert(finding, `the most likely cause ${cause.findingId} is not an error finding of the report`);
    assert(exit === 1, `a most likely cause, but exit code ${exit}`);
  }
  if (paste.verdict === 'not-gmsa') assert(paste.notGmsa, 'verdict not-gmsa without saying what it is instead');
  for (const code of paste.codes)
    assert(code.line >= 1 && code.line <= paste.lines, `code ${code.match} on line ${code.line} of ${paste.lines}`);
  for (const f of report.findings) {
    assert(!f.internal, `check ${f.id} failed internally: ${f.message}`);
    assert(SEVERITIES.includes(f.severity), `${f.id}: severity ${f.severity}`);
    assert(f.id && f.title && typeof f.message === 'string', `a finding without id, title or message: ${f.id}`);
    for (const q of f.quote ?? [])
      assert(
        Number.isInteger(q.line) && q.line >= 1 && q.line <= paste.lines,
        `${f.id} quotes line ${q.line} of a paste of ${paste.lines} lines`,
      );
    const file = f.location?.file;
    if (f.location?.line !== undefined && (file === PASTE_SOURCE || file === paste.source))
      assert(
        f.location.line >= 1 && f.location.line <= paste.lines,
        `${f.id} points at line ${f.location.line} of a paste of ${paste.lines} lines`,
      );
  }
}

/** What is wrong with one format's output of the report: nothing, or a line per problem. */
function outputProblems(c: Case, format: string, out: string, report: Report): string[] {
  const problems: string[] = [];
  // CI output leaves passes out: a paste where everything passed prints nothing.
  const quiet =
    format === 'ci' && report.inputErrors.length === 0 && report.findings.every((f) => f.severity === 'pass');
  if (typeof out !== 'string' || (out.length === 0 && !quiet)) problems.push(`${format}: empty output`);
  const control = RAW_CONTROL.exec(out);
  if (control) {
    const at = control.index;
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    problems.push(`${format}: raw U+${code} at ${at}: ${JSON.stringify(out.slice(Math.max(0, at - 50), at + 20))}`);
  }
  const placeholder = PLACEHOLDERS.exec(out);
  if (placeholder && c.text !== undefined && !c.text.includes(placeholder[0])) {
    const at = placeholder.index;
    problems.push(`${format}: prints ${placeholder[0]}: ${JSON.stringify(out.slice(Math.max(0, at - 50), at + 20))}`);
  }
  for (const secret of c.secrets)
    for (const leaked of [...spellings(secret.value), ...secret.tokens.flatMap(spellings)]) {
      const at = out.indexOf(leaked);
      if (at >= 0) {
        problems.push(`${format}: the PluginInput value (${secret.form}) appears at ${at}`);
        break;
      }
    }
  if (format === 'json' || format === 'sarif') {
    try {
      const parsed = JSON.parse(out) as { version?: string; runs?: unknown[]; paste?: { verdict?: string } };
      if (format === 'sarif' && !(parsed.version === '2.1.0' && Array.isArray(parsed.runs)))
        problems.push('sarif: no SARIF 2.1.0 runs');
      if (format === 'json' && parsed.paste?.verdict !== report.paste?.verdict)
        problems.push('json: the verdict differs from the report');
    } catch (error) {
      problems.push(`${format}: not JSON: ${(error as Error).message}`);
    }
  }
  if (format === 'html') {
    if (!(/^<!DOCTYPE html>/i.test(out) && out.trimEnd().endsWith('</html>'))) problems.push('html: not a whole page');
    const live = MARKUP_RAW.exec(out);
    if (live) problems.push(`html: pasted markup is live: ${live[0]}`);
  }
  return problems;
}

async function judge(c: Case): Promise<void> {
  const recognised = recognise(c.input);
  assert(
    recognised.failures.length === 0,
    `recogniser ${recognised.failures[0]?.recogniser} threw: ${recognised.failures[0]?.message}`,
  );
  const report = await explainPaste(c.input, c.source);
  checkReport(c, report);
  const problems: string[] = [];
  for (const format of FORMATS)
    problems.push(...outputProblems(c, format, await render(report, { format, color: false }), report));
  const verbose = await render(report, { format: 'text', color: false, verbose: true });
  problems.push(...outputProblems(c, 'text --verbose', verbose, report));
  assert(problems.length === 0, problems.join('\n    '));
}

/** Runs the cases of a suite; after a failure it goes on, and reports every failing case (the first few in full). */
async function fuzz(suite: string, count: number, make: (r: Rng) => Case): Promise<void> {
  const seeds = ONLY_CASE !== undefined ? [ONLY_CASE] : Array.from({ length: count }, (_, i) => caseSeed(suite, i));
  const failed: string[] = [];
  for (const seed of seeds) {
    const c = make(rng(seed));
    try {
      await judge(c);
    } catch (error) {
      if (failed.length >= 5) {
        failed.push(`case seed ${seed}`);
        continue;
      }
      const file = join(tmpdir(), `explain-fuzz-${seed}.${typeof c.input === 'string' ? 'txt' : 'bin'}`);
      writeFileSync(file, c.input);
      const what = error instanceof CaseFailure ? error.message : `threw ${(error as Error).stack ?? String(error)}`;
      const size = typeof c.input === 'string' ? `${c.input.length} chars` : `${c.input.byteLength} bytes`;
      failed.push(
        `case seed ${seed}:\n    ${what}\n  input: ${c.label} (${size}), saved to ${file}\n` +
          `  rerun just it: EXPLAIN_FUZZ_CASE=${seed} npx vitest run --project unit test/unit/evidence/explain-fuzz.test.ts`,
      );
    }
  }
  if (failed.length > 0)
    throw new Error(
      `${suite}: ${failed.length} of ${seeds.length} cases failed (base seed ${BASE_SEED}):\n${failed.join('\n')}`,
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Random input.

/** Pieces of the syntax the recognisers key on, so that random text reaches the checks behind them. */
const PIECES = [
  '\n',
  '\r\n',
  '\r',
  '    ',
  '\t',
  '> ',
  '```',
  '~~~',
  '**',
  'PS C:\\> ',
  'C:\\>',
  '$ ',
  'nltest /sc_verify:contoso.com',
  'nltest /query',
  'Flags: 30 HAS_IP  HAS_TIMESERV',
  'Trusted DC Name \\\\dc01.contoso.com',
  'Trusted DC Connection Status Status = 1311 0x51f ERROR_NO_LOGON_SERVERS',
  'The command completed successfully',
  'klist get krbtgt',
  '#0>\tClient: webapp01$ @ CONTOSO.COM',
  'klist failed with 0xc0000022/-1073741790',
  'Test-ADServiceAccount webapp01',
  'True',
  'False',
  'At line:1 char:1',
  '    + CategoryInfo          : NotSpecified: (:) [Install-ADServiceAccount], ADException',
  '    + FullyQualifiedErrorId : InstallADServiceAccount:PerformOperation',
  'Error response from daemon: ',
  'hcs::System::Start: failure in a Windows system call: ',
  '(0xc0370106)',
  'winapi error #3489661022',
  'credential spec for container x does not have a valid ActiveDirectoryConfig',
  'EventID : 5720',
  'Source: NETLOGON',
  'Container Credential Guard failed to fetch gmsa credentials for webapp01. Error: 0x8009030e',
  '"SecurityOpt": [',
  '"credentialspec=file://webapp01.json"',
  '"Hostname": "webapp01",',
  '{',
  '}',
  '[',
  ']',
  '"',
  'failed calling webhook "admission-webhook.windows-gmsa.sigs.k8s.io": ',
  'no endpoints available for service "webhook-svc"',
  'admission webhook "admission-webhook.windows-gmsa.sigs.k8s.io" denied the request: ',
  'no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"',
  '06/18 16:18:39 [SESSION] [1] D: NlSetStatusClientSession: Set connection status to c000005e',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses',
  'kinit: KDC has no support for encryption type while getting initial credentials',
  'The trust relationship between this workstation and the primary domain failed.',
  'An account failed to log on.',
  '0xC000015B',
  '"PluginInput": ',
  '__proto__',
  'constructor',
];

/** Characters from everywhere: ASCII, C0/C1 controls, escapes, accents, CJK, astral, lone surrogates, bidi. */
const ODD = [
  '\u0000',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u001b[31m',
  '\u001b]0;pwned\u0007',
  '\u001b[2J\u001b[H',
  '\u007f',
  '\u0085',
  '\u009b31m',
  '\u00a0',
  'ä',
  'ß',
  'é',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u061c',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '漢字',
  '\ud83d\ude00',
  '\ud800',
  '\udfff',
];

function randomText(r: Rng, tokens: number): string {
  let out = '';
  for (let i = 0; i < tokens; i++) {
    const roll = r.next();
    if (roll < 0.45) out += r.pick(PIECES);
    else if (roll < 0.65) out += r.pick(ODD);
    else if (roll < 0.9) out += String.fromCharCode(r.between(0x20, 0x7e)).repeat(r.between(1, 12));
    else out += String.fromCodePoint(r.int(0x110000)).replace(/[\ud800-\udfff]/, '');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations of a paste, as text, and its encoding into what explain is given.

type Mutation = (text: string, r: Rng) => [string, string];

const splitLines = (text: string): string[] => text.split('\n');

const MUTATIONS: Record<string, Mutation> = {
  shuffle(text, r) {
    const lines = splitLines(text);
    const from = r.int(lines.length);
    const to = r.chance(0.3) ? lines.length : Math.min(lines.length, from + r.between(2, 12));
    for (let i = to - 1; i > from; i--) {
      const j = from + r.int(i - from + 1);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    return [lines.join('\n'), `shuffle lines ${from + 1}-${to}`];
  },
  truncate(text, r) {
    const at = r.int(text.length + 1);
    return [text.slice(0, at), `truncate at ${at}`];
  },
  'cut the start'(text, r) {
    const at = r.int(text.length + 1);
    return [text.slice(at), `cut the first ${at}`];
  },
  duplicate(text, r) {
    const lines = splitLines(text);
    const from = r.int(lines.length);
    const block = lines.slice(from, from + r.between(1, 15));
    const times = r.chance(0.2) ? r.between(20, 200) : r.between(1, 4);
    const at = r.int(lines.length + 1);
    lines.splice(at, 0, ...Array.from({ length: times }, () => block).flat());
    return [lines.join('\n'), `${block.length} lines from ${from + 1} repeated ${times}x at ${at + 1}`];
  },
  'delete lines'(text, r) {
    const lines = splitLines(text);
    const from = r.int(lines.length);
    const n = r.between(1, 8);
    lines.splice(from, n);
    return [lines.join('\n'), `delete ${n} lines from ${from + 1}`];
  },
  'inject controls'(text, r) {
    let out = text;
    const n = r.between(1, 10);
    for (let i = 0; i < n; i++) {
      const at = r.int(out.length + 1);
      out = out.slice(0, at) + r.pick(ODD) + out.slice(at);
    }
    return [out, `${n} odd characters`];
  },
  'inject syntax'(text, r) {
    let out = text;
    const n = r.between(1, 6);
    for (let i = 0; i < n; i++) {
      const at = r.int(out.length + 1);
      out = out.slice(0, at) + randomText(r, r.between(1, 4)) + out.slice(at + r.int(20));
    }
    return [out, `${n} splices of syntax`];
  },
  'inject markup'(text, r) {
    const lines = splitLines(text);
    const at = r.int(lines.length);
    lines[at] = `${lines[at]!.slice(0, r.int(lines[at]!.length + 1))}${r.pick(MARKUP)}${lines[at]!}`;
    return [lines.join('\n'), `markup on line ${at + 1}`];
  },
  crlf(text) {
    return [text.replace(/\r?\n/g, '\r\n'), 'CRLF'];
  },
  'lone CR'(text) {
    return [text.replace(/\r?\n/g, '\r'), 'CR line ends'];
  },
  'mixed line ends'(text, r) {
    return [text.replace(/\n/g, () => r.pick(['\n', '\r\n', '\r', '\r\r\n'])), 'mixed line ends'];
  },
  quote(text, r) {
    const marker = r.pick(['> ', '>', '> > ', '>> ']);
    return [
      splitLines(text)
        .map((l) => marker + l)
        .join('\n'),
      `quoted with ${JSON.stringify(marker)}`,
    ];
  },
  fence(text, r) {
    const fence = r.pick(['```', '~~~', '````']);
    const info = r.pick(['', 'powershell', 'console', 'json', 'text', 'yaml']);
    const close = r.chance(0.8) ? `\n${fence}` : '';
    return [`${r.chance(0.5) ? 'I get this:\n\n' : ''}${fence}${info}\n${text}${close}\n`, `fenced ${fence}${info}`];
  },
  indent(text, r) {
    const pad = r.pick(['    ', '\t', '  ']);
    return [
      splitLines(text)
        .map((l) => pad + l)
        .join('\n'),
      'indented',
    ];
  },
  'strip indentation'(text) {
    return [text.replace(/^[ \t]+/gm, ''), 'indentation stripped'];
  },
  rewrap(text, r) {
    const width = r.pick([40, 80, 120]);
    return [
      splitLines(text)
        .flatMap((l) => (l.length <= width ? [l] : (l.match(new RegExp(`[^]{1,${width}}`, 'g')) ?? [l])))
        .join('\n'),
      `rewrapped at ${width}`,
    ];
  },
  'join lines'(text, r) {
    const lines = splitLines(text);
    const at = r.int(Math.max(1, lines.length - 1));
    lines.splice(at, 2, `${lines[at] ?? ''} ${lines[at + 1] ?? ''}`);
    return [lines.join('\n'), `lines ${at + 1}-${at + 2} joined`];
  },
  glue(text, r) {
    const other = r.pick(CORPUS);
    const sep = r.pick(['', '\n', '\n\n', ' ', '\n---\n']);
    return r.chance(0.5)
      ? [text + sep + other.text, `glued to ${other.name}`]
      : [other.text + sep + text, `${other.name} glued before`];
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);
/** The mutations that keep a line whole: a secret's line stays as it was written. */
const LINE_SAFE = ['shuffle', 'duplicate', 'crlf', 'lone CR', 'mixed line ends', 'quote', 'fence', 'indent', 'glue'];

function mutate(text: string, r: Rng, names: readonly string[], n: number): [string, string[]] {
  const steps: string[] = [];
  let out = text;
  for (let i = 0; i < n; i++) {
    const name = r.pick(names);
    const [next, step] = MUTATIONS[name]!(out, r);
    // A paste past 2 MB says nothing more here (bench/evidence.mjs reads 10 MB ones); keep the cases quick.
    if (next.length > 2_000_000) continue;
    out = next;
    steps.push(step);
  }
  return [out, steps];
}

const UTF16_BOM_LE = Buffer.from([0xff, 0xfe]);
const UTF16_BOM_BE = Buffer.from([0xfe, 0xff]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The text as given to explain: a string, or bytes in an encoding a paste or a redirected file comes in. */
function encode(text: string, r: Rng): { input: string | Uint8Array; encoding: string; known: boolean } {
  const roll = r.next();
  if (roll < 0.55) return { input: text, encoding: 'string', known: true };
  if (roll < 0.7) return { input: Buffer.from(text, 'utf8'), encoding: 'UTF-8', known: true };
  if (roll < 0.78)
    return { input: Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]), encoding: 'UTF-8 BOM', known: true };
  // PowerShell 5's `>` writes UTF-16 LE with a BOM.
  if (roll < 0.9)
    return {
      input: Buffer.concat([UTF16_BOM_LE, Buffer.from(text, 'utf16le')]),
      encoding: 'UTF-16 LE BOM',
      known: true,
    };
  if (roll < 0.95) {
    const le = Buffer.from(text, 'utf16le');
    return { input: Buffer.concat([UTF16_BOM_BE, le.swap16()]), encoding: 'UTF-16 BE BOM', known: true };
  }
  return { input: Buffer.from(text, 'utf16le'), encoding: 'UTF-16 LE, no BOM', known: false };
}

/** Source names as the CLI passes them: its default, standard input, a file (one named with an escape, even). */
function sourceName(r: Rng): string | undefined {
  return r.pick([undefined, undefined, 'standard input', 'C:\\Users\\me\\paste.txt', 'paste\u001b[31m.txt']);
}

// ---------------------------------------------------------------------------------------------------------------
// Credential specs with a secret in PluginInput.

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const randomWord = (r: Rng, n: number): string => Array.from({ length: n }, () => r.pick([...ALNUM])).join('');

/** A PluginInput value with a secret in it, in the forms real plug-ins document. */
function secretOf(r: Rng): Secret & { guid: string } {
  const word = randomWord(r, 10);
  switch (r.int(4)) {
    case 0: {
      // AWS (ECS tutorial, EKS docs): a JSON string naming the Secrets Manager secret.
      const arn = `arn:aws:secretsmanager:us-west-2:111122223333:secret:gmsa-plugin-input-${word}`;
      return {
        form: 'AWS credentialArn',
        value: JSON.stringify({ credentialArn: arn }).replace(':"', ': "'),
        tokens: [arn, word],
        guid: '{859E1386-BDB4-49E8-85C7-3070B13920E1}',
      };
    }
    case 1: {
      // Azure Key Vault plug-in: ObjectId of the managed identity and the secret's URI.
      const id = `3f2b1c4d-5e6f-4a7b-8c9d-${randomWord(r, 12)}`;
      return {
        form: 'Azure Key Vault',
        value: `ObjectId=${id};SecretUri=https://contoso-kv.vault.azure.net/secrets/gmsa-${word}`,
        tokens: [id, word],
        guid: '{CCC2A336-D7F3-4818-A213-272B7924213E}',
      };
    }
    case 2: {
      // The Microsoft docs' example: domain:user:password, with a password full of awkward characters.
      const odd = r.pick(['!', '#', '$', '%', '"', '\\', ';', ',', '}', "'", '&', '<', ' ', ':', '=']);
      const password = `${word}${odd}${randomWord(r, 4)}`;
      return {
        form: 'domain:user:password',
        value: `contoso.com:gmsaccg:${password}`,
        tokens: [password, word],
        guid: '{GDMA0342-266A-4D1P-831J-20990E82944F}',
      };
    }
    default: {
      const password = `${word}!${randomWord(r, 4)}`;
      return {
        form: 'key=value',
        value: `USERNAME=gmsaccg;PASSWORD=${password};DOMAIN=contoso.com`,
        tokens: [password, word],
        guid: '{859E1386-BDB4-49E8-85C7-3070B13920E1}',
      };
    }
  }
}

/** The spec as it gets pasted: pretty or one-line JSON, Get-Content after a prompt, a raw:// option, kubectl YAML. */
function specText(r: Rng, secret: Secret & { guid: string }): [string, string] {
  const spec = structuredClone(SPEC);
  spec.ActiveDirectoryConfig.HostAccountConfig = {
    PortableCcgVersion: '1',
    PluginGUID: secret.guid,
    PluginInput: secret.value,
  };
  switch (r.int(5)) {
    case 0:
      return [JSON.stringify(spec, null, 4), 'pretty JSON'];
    case 1:
      return [JSON.stringify(spec), 'one-line JSON'];
    case 2:
      return [
        `PS C:\\> Get-Content C:\\ProgramData\\Docker\\CredentialSpecs\\webapp01.json\n${JSON.stringify(spec, null, 2)}`,
        'Get-Content',
      ];
    case 3:
      return [
        JSON.stringify(
          [{ Id: 'a1b2c3', HostConfig: { SecurityOpt: [`credentialspec=raw://${JSON.stringify(spec)}`] } }],
          null,
          4,
        ),
        'docker inspect raw://',
      ];
    default: {
      const h = spec.ActiveDirectoryConfig.HostAccountConfig;
      return [
        [
          'apiVersion: windows.k8s.io/v1',
          'kind: GMSACredentialSpec',
          'metadata:',
          '  name: webapp01',
          'credspec:',
          '  ActiveDirectoryConfig:',
          '    GroupManagedServiceAccounts:',
          '    - Name: webapp01',
          '      Scope: contoso.com',
          '    HostAccountConfig:',
          '      PortableCcgVersion: "1"',
          `      PluginGUID: "${h.PluginGUID}"`,
          `      PluginInput: ${JSON.stringify(h.PluginInput)}`,
          '  CmsPlugins:',
          '  - ActiveDirectory',
          '  DomainJoinConfig:',
          '    DnsName: contoso.com',
          '    MachineAccountName: webapp01',
        ].join('\n'),
        'kubectl YAML',
      ];
    }
  }
}

/** A paste with a credential spec in it; mutations after the spec went in keep its PluginInput line whole. */
function withSecret(r: Rng, text: string, steps: string[]): { text: string; steps: string[]; secrets: Secret[] } {
  const secret = secretOf(r);
  const [spec, form] = specText(r, secret);
  const lines = splitLines(text);
  const at = r.int(lines.length + 1);
  lines.splice(at, 0, ...splitLines(spec));
  const [out, after] = mutate(lines.join('\n'), r, LINE_SAFE, r.between(0, 3));
  return {
    text: out,
    steps: [...steps, `${form} spec with a ${secret.form} PluginInput at line ${at + 1}`, ...after],
    secrets: [secret],
  };
}

function corpusCase(r: Rng, secretChance: number): Case {
  const paste = r.pick(CORPUS);
  let [text, steps] = mutate(paste.text, r, MUTATION_NAMES, r.between(1, 5));
  let secrets: Secret[] = [];
  if (r.chance(secretChance)) ({ text, steps, secrets } = withSecret(r, text, steps));
  const { input, encoding, known } = encode(text, r);
  return {
    input,
    label: [paste.name, ...steps, encoding].join(' | '),
    ...(known ? { text } : {}),
    source: sourceName(r),
    secrets,
  };
}

// ---------------------------------------------------------------------------------------------------------------

describe('explain of any paste: never throws, a well-formed report, no control character or secret in any format', () => {
  it('random bytes', async () => {
    await fuzz('bytes', 60, (r) => {
      const n = r.int(r.chance(0.2) ? 20_000 : 1_500);
      const bytes = new Uint8Array(n);
      const shape = r.pick(['uniform', 'mostly ASCII', 'zeros between', 'BOM then noise']);
      for (let i = 0; i < n; i++)
        bytes[i] =
          shape === 'uniform'
            ? r.int(256)
            : shape === 'zeros between' && i % 2 === 1
              ? 0
              : r.chance(0.9)
                ? r.between(9, 126)
                : r.int(256);
      if (shape === 'BOM then noise') bytes.set(r.pick([UTF8_BOM, UTF16_BOM_LE, UTF16_BOM_BE]).subarray(0, n), 0);
      return { input: bytes, label: `${n} random bytes, ${shape}`, source: sourceName(r), secrets: [] };
    });
  }, 60_000);

  it("random text built from the recognisers' syntax and odd characters", async () => {
    await fuzz('text', 70, (r) => {
      const text = randomText(r, r.int(300));
      const { input, encoding, known } = encode(text, r);
      return {
        input,
        label: `random text, ${encoding}`,
        ...(known ? { text } : {}),
        source: sourceName(r),
        secrets: [],
      };
    });
  }, 60_000);

  it("the corpus's real pastes, mutated, encoded, some with a credential spec", async () => {
    await fuzz('corpus', 150, (r) => corpusCase(r, 0.25));
  }, 120_000);

  it('a credential spec with a secret PluginInput pasted among real pastes: the secret is in no output', async () => {
    await fuzz('secrets', 70, (r) => corpusCase(r, 1));
  }, 60_000);

  it('many pastes glued into one', async () => {
    await fuzz('glued', 4, (r) => {
      const pastes = Array.from({ length: r.between(10, CORPUS.length) }, () => r.pick(CORPUS));
      let text = pastes.map((p) => p.text).join(r.pick(['\n', '\n\n', '']));
      let steps: string[] = [`${pastes.length} pastes glued`];
      let secrets: Secret[] = [];
      if (r.chance(0.5)) ({ text, steps, secrets } = withSecret(r, text, steps));
      const { input, encoding, known } = encode(text, r);
      return {
        input,
        label: [...steps, encoding].join(' | '),
        ...(known ? { text } : {}),
        secrets,
      };
    });
  }, 60_000);
});
