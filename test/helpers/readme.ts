/**
 * The README's commands, as a reader sees them: every fenced block, its commands (all lines of a `sh` block; the
 * `$ ` lines of a transcript, with their `\` continuations) and the output printed under each. A comment line just
 * before a block says where it runs: `<!-- readme-test: lab -->` (needs the lab DC: the integration project runs
 * it), `<!-- readme-test: skip REASON -->`; `powershell` blocks need Windows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ReadmeCommand {
  /** 1-based line of the README where the command starts. */
  line: number;
  text: string;
  /** What the README prints under it (transcripts only). */
  shown: string[];
}

export interface ReadmeBlock {
  line: number;
  lang: string;
  /** Where it runs: offline here, against the lab DC, or not here (with the reason). */
  where: { kind: 'here' } | { kind: 'lab' } | { kind: 'skip'; reason: string };
  commands: ReadmeCommand[];
  body: string[];
}

function whereOf(lang: string, marker: string | undefined): ReadmeBlock['where'] {
  if (lang === 'powershell') return { kind: 'skip', reason: 'PowerShell on Windows: it needs a Windows host' };
  const m = marker && /^<!-- readme-test: (lab|skip (.+)) -->$/.exec(marker.trim());
  if (!m) return { kind: 'here' };
  return m[1] === 'lab' ? { kind: 'lab' } : { kind: 'skip', reason: m[2]! };
}

/** Joins a command's `\` continuation lines; returns the command and the index after its last line. */
function joined(lines: readonly string[], start: number, prefix: string): { text: string; next: number } {
  let text = lines[start]!.slice(prefix.length);
  let i = start + 1;
  while (text.endsWith('\\') && i < lines.length) text = `${text.slice(0, -1).trimEnd()} ${lines[i++]!.trim()}`;
  return { text: text.trim(), next: i };
}

function commandsOf(lang: string, body: readonly string[], firstLine: number): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  const shell = lang === 'sh' || lang === 'bash' || lang === 'powershell';
  for (let i = 0; i < body.length;) {
    const line = body[i]!;
    if (shell ? line.trim() === '' || line.trim().startsWith('#') : !line.startsWith('$ ')) {
      if (!shell) commands.at(-1)?.shown.push(line);
      i++;
      continue;
    }
    const { text, next } = joined(body, i, shell ? '' : '$ ');
    commands.push({ line: firstLine + i, text, shown: [] });
    i = next;
  }
  return commands;
}

export function readmeBlocks(markdown: string = readFileSync(path.join(ROOT, 'README.md'), 'utf8')): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const lang = open[1]!;
    const end = lines.indexOf('```', i + 1);
    const body = lines.slice(i + 1, end);
    const marker = lines.slice(0, i).findLast((l) => l.trim() !== '');
    const commands = ['', 'sh', 'bash', 'powershell'].includes(lang) ? commandsOf(lang, body, i + 2) : [];
    blocks.push({ line: i + 1, lang, where: whereOf(lang, marker), commands, body });
    i = end;
  }
  return blocks;
}

/** The README's command lines outside blocks: `npx gmsa-doctor ...` and `gmsa-doctor ...` in inline code. */
export function inlineCommands(markdown: string = readFileSync(path.join(ROOT, 'README.md'), 'utf8')): string[] {
  const outside = markdown.replace(/^```[\s\S]*?^```/gm, '');
  // `npx gmsa-doctor ...` stands for any command.
  return [...outside.matchAll(/`((?:npx )?gmsa-doctor [^`]+)`/g)].map((m) => m[1]!).filter((c) => !c.endsWith(' ...'));
}

export interface CommandRun {
  command: ReadmeCommand;
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a block's commands in one bash, in order, from the repository's root (so `export` and `eval` carry over),
 * each command's output kept apart. `npx gmsa-doctor` runs the CLI built from this tree (`cli`): after `npm ci` it
 * runs the installed one (the fresh-machine test proves that it resolves); a bare `gmsa-doctor` is not on PATH.
 */
export function runBlock(block: ReadmeBlock, cli: string, env: NodeJS.ProcessEnv = {}): CommandRun[] {
  // The set-up and the suite itself are never run from inside a test (npm ci would replace node_modules under it).
  const setUp = block.commands.find((c) =>
    /\bnpm (ci|test|run test)|\.ci\/run|scripts\/lab\/(start|stop)/.test(c.text),
  );
  if (setUp)
    throw new Error(
      `README.md:${setUp.line}: "${setUp.text}" is set-up: mark its block <!-- readme-test: skip REASON -->`,
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'gmsa-readme-'));
  const script = [
    's=0',
    `npx() { if [ "$1" = gmsa-doctor ]; then shift; "${process.execPath}" "${cli}" "$@"; else command npx "$@"; fi; }`,
    ...block.commands.map(
      // `$?` is the command's status again for the next one (`$ echo $?`).
      (c, i) =>
        `{ (exit $s); ${c.text}\n} >"${dir}/${i}.out" 2>"${dir}/${i}.err" </dev/null; s=$?; echo $s >"${dir}/${i}.status"`,
    ),
  ].join('\n');
  spawnSync('bash', ['-c', script], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
    stdio: 'ignore',
  });
  const read = (file: string): string => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return '';
    }
  };
  return block.commands.map((command, i) => ({
    command,
    status: Number(read(`${i}.status`).trim() || NaN),
    stdout: read(`${i}.out`),
    stderr: read(`${i}.err`),
  }));
}

/** Times and dates change from run to run; the lab's address may be 127.0.0.10 instead of 10.213.37.2. */
function normalised(line: string, labIp?: string): string {
  let text = labIp ? line.split(labIp).join('10.213.37.2') : line;
  text = text
    .replace(/-?\d+(\.\d+)? (ms|s)\b/g, 'N $2')
    .replace(/\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?/g, 'DATE')
    .replace(/\s+/g, ' ');
  return text.trim();
}

/**
 * The lines the README shows under a command that its real output does not have: in order on standard output
 * ("..." skips), or anywhere on standard error (a terminal shows both).
 */
export function missingShownLines(run: CommandRun, labIp?: string): string[] {
  const actual = run.stdout.split('\n').map((l) => normalised(l, labIp));
  const errors = new Set(run.stderr.split('\n').map((l) => normalised(l, labIp)));
  const missing: string[] = [];
  let at = 0;
  for (const shown of run.command.shown) {
    const wanted = normalised(shown);
    if (wanted === '' || wanted === '...' || errors.has(wanted)) continue;
    const found = actual.indexOf(wanted, at);
    if (found === -1) missing.push(shown);
    else at = found + 1;
  }
  return missing;
}

/** What a command may exit with: 2 when the README shows it failing on its input, else 0 or 1 (a finding). */
export function expectedStatuses(run: CommandRun): number[] {
  return run.command.shown.some((l) => /^(✖ |gmsa-doctor: )/.test(l.trim())) ? [1, 2] : [0, 1];
}
