/**
 * Splits normalised lines into blocks: a command typed at a prompt (`PS C:\>`, `C:\>`, `$`, `#`, `[root@host dir]#`,
 * `>`), or a known command pasted without its prompt, with the output that follows it up to the next command. Lines
 * before the first command, or a paste without any, form one block without a command. Pure.
 */
import type { NormalisedLine } from './normalise.js';
import type { CommandData, LineSpan } from './types.js';

export interface Block {
  command?: CommandData & { lines: LineSpan };
  /** The lines that held the prompt and the command (a continued command spans several). */
  promptLines: NormalisedLine[];
  /** The output: every line up to the next prompt or command. */
  lines: NormalisedLine[];
}

interface PromptMatch {
  shell: CommandData['shell'];
  prompt?: string;
  remoteHost?: string;
  command: string;
}

const POWERSHELL = /^(?:\[([^\]]{1,100})\]:\s*)?(PS(?:\s([^>]{0,260}))?>)(?:\s?(.*))?$/;
const POWERSHELL_PATH = /^(?:[A-Za-z]:(?:\\|$)|\\\\|[A-Za-z][\w.]*\\[\w.]*::|\/|~|$)/;
const CMD = /^([A-Za-z]:\\[^>]{0,260}?)(?<![-=])>\s?(.*)$/;
const POSIX = /^(\[[^\]\s]{1,100}(?: [^\]]{1,100})?\]|[\w.-]{1,64}@[\w.-]{1,253}(?::[^\s$#]{0,200})?)\s?([$#])\s?(.*)$/;
const DOLLAR = /^\$\s(\S.*)$/;
const HASH_OR_GT = /^(?:#\s|>(?!>)\s?)(\S.*)$/;
const CONTINUATION = /^>>\s?(.*)$/;
/** The Kubernetes e2e framework logs each kubectl call it makes: `INFO: Running '/path/kubectl --server=... exec ...'`. */
const E2E_RUNNING = /\bINFO: Running '([^']{1,4000})'$/;

const CMDLET =
  /^(?:Get|Test|Install|Uninstall|Set|New|Add|Remove|Invoke|Use|Reset|Enter|Resolve|Import|Restart|Start|Stop|Format|Select|ConvertTo|Out|Where|Write)-[A-Z][A-Za-z]{1,60}$/i;
/** Programs whose command line a paste shows without a prompt, and what may follow their name. */
const PROGRAMS: Readonly<Record<string, RegExp>> = {
  nltest: /^\/\w/,
  klist: /^(?:$|(?:tickets|tgt|purge|sessions|kcd_cache|get|add_bind|query_bind|purge_bind|-li|-lh|-c|-k|-e|-l|-A)\b)/i,
  whoami: /^(?:$|\/)/,
  net: /^(?:config|user|group|localgroup|use|view|time)\b/i,
  reg: /^(?:query|export|add|delete|import)\b/i,
  docker:
    /^(?:run|start|create|info|inspect|ps|logs|exec|version|compose|container|image|pull|service|swarm|stack|network)\b/i,
  'docker-compose': /^(?:up|run|config|start|ps|logs|version)\b/i,
  kubectl:
    /^(?:apply|get|describe|exec|create|logs|delete|edit|patch|run|auth|rollout|version|config|cp|-n|--namespace)\b/i,
  crictl: /^(?:inspect|inspectp|pods|ps|logs|exec)\b/i,
  helm: /^(?:install|upgrade|list|template|uninstall)\b/i,
  kinit: /^(?:$|-|\S+@)/,
  ipconfig: /^(?:$|\/)/,
  nslookup: /^(?:-type|-q|\S+\.\S+)/i,
  curl: /^-/,
  powershell: /^(?:$|-|\()/i,
  pwsh: /^(?:$|-)/i,
  wevtutil: /^(?:qe|gl|el|epl)\b/i,
  sc: /^(?:query|qc|queryex)\b/i,
  gmsa_test_client: /^(?:$|-)/,
  'credentials-fetcherd': /^(?:$|-)/,
  gmsad: /^(?:$|-)/,
  'deploy-gmsa-webhook.sh': /^(?:$|-)/,
};

/** `NAME=value ./tool args`, `sudo tool`, `.\tool.exe`: the program as a lower-case name, and its arguments. */
export function programOf(command: string): { program: string; args: string } {
  let rest = command.trim();
  for (let i = 0; i < 8 && (rest.includes('=') || rest.startsWith('sudo')); i++) {
    const env =
      /^[A-Za-z_][A-Za-z0-9_]{0,100}=(?:'[^']{0,400}'|"[^"]{0,400}"|\S{0,400})\s+/.exec(rest) ?? /^sudo\s+/.exec(rest);
    if (!env) break;
    rest = rest.slice(env[0].length);
  }
  const first = /^(?:"([^"]{1,400})"|'([^']{1,400})'|(\S{1,400}))\s*/.exec(rest);
  if (!first) return { program: '', args: '' };
  const path = first[1] ?? first[2] ?? first[3] ?? '';
  const name = (path.split(/[\\/]/).pop() ?? path).replace(/\.exe$/i, '').toLowerCase();
  return { program: name, args: rest.slice(first[0].length).trim() };
}

/** Whether the first word could name a known program (a cheap test before the full parse). */
function mayBeProgram(text: string): boolean {
  const space = text.indexOf(' ');
  const end = space < 0 ? text.length : space;
  if (end > 300) return false;
  const word = text.slice(0, end).toLowerCase();
  if (word.includes('=') || word === 'sudo' || word.startsWith('"') || word.startsWith("'")) return true;
  const base = word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1);
  const name = base.endsWith('.exe') ? base.slice(0, -4) : base;
  return Object.hasOwn(PROGRAMS, name) || (name.includes('-') && CMDLET.test(name));
}

/** A line that is a known command without its prompt (conservative: output lines must not look like commands). */
function bareCommand(text: string): boolean {
  if (!mayBeProgram(text)) return false;
  const { program, args } = programOf(text);
  if (program === '' || args.startsWith(':')) return false;
  const pattern = Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program] : undefined;
  if (pattern) return pattern.test(args);
  return CMDLET.test(program) && /^(?:$|[-'"$\w{(@])/.test(args) && !/^[\w-]+ : /.test(text);
}

export function parsePrompt(line: NormalisedLine): PromptMatch | undefined {
  if (line.expanded) return undefined;
  const text = line.text;
  const c = text[0] ?? '';
  // Each prompt form is tried only when the line starts the way it must.
  const ps = c === 'P' || c === '[' ? POWERSHELL.exec(text) : null;
  if (ps && POWERSHELL_PATH.test(ps[3] ?? '')) {
    return {
      shell: 'powershell',
      prompt: ps[2] ?? 'PS>',
      ...(ps[1] ? { remoteHost: ps[1] } : {}),
      command: (ps[4] ?? '').trim(),
    };
  }
  const cmd = text[1] === ':' && text[2] === '\\' ? CMD.exec(text) : null;
  if (cmd) return { shell: 'cmd', prompt: `${cmd[1] ?? ''}>`, command: (cmd[2] ?? '').trim() };
  const posix = c === '[' || text.includes('@') ? POSIX.exec(text) : null;
  if (posix) return { shell: 'posix', prompt: `${posix[1] ?? ''}${posix[2] ?? ''}`, command: (posix[3] ?? '').trim() };
  const dollar = c === '$' ? DOLLAR.exec(text) : null;
  if (dollar) return { shell: 'posix', prompt: '$', command: (dollar[1] ?? '').trim() };
  const other = c === '#' || c === '>' ? HASH_OR_GT.exec(text) : null;
  if (other && bareCommand(other[1] ?? ''))
    return { shell: text.startsWith('#') ? 'posix' : 'cmd', prompt: text[0], command: (other[1] ?? '').trim() };
  const e2e = text.includes("INFO: Running '") ? E2E_RUNNING.exec(text) : null;
  if (e2e) return { shell: 'none', command: (e2e[1] ?? '').trim() };
  if (bareCommand(text)) return { shell: 'none', command: text.trim() };
  return undefined;
}

function commandOf(match: PromptMatch, text: string, lines: NormalisedLine[]): CommandData & { lines: LineSpan } {
  const { program, args } = programOf(text);
  const command: CommandData & { lines: LineSpan } = {
    shell: match.shell,
    text,
    program,
    args,
    lines: { from: lines[0]!.from, to: lines.at(-1)!.to },
  };
  if (match.prompt) command.prompt = match.prompt;
  if (match.remoteHost) command.remoteHost = match.remoteHost;
  return command;
}

const CONTINUED_POSIX = /\s\\$/;
const CONTINUED_POWERSHELL = /\s`$/;

export function segment(lines: readonly NormalisedLine[]): Block[] {
  return [...blocksOf(lines)];
}

/** The blocks one at a time: a reader that has enough can stop early. */
export function* blocksOf(lines: readonly NormalisedLine[]): Generator<Block> {
  let current: Block = { promptLines: [], lines: [] };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const match = parsePrompt(line);
    if (!match) {
      current.lines.push(line);
      i++;
      continue;
    }
    if (current.command || current.lines.length > 0 || current.promptLines.length > 0) yield current;
    const promptLines = [line];
    let text = match.command;
    i++;
    // A command continued with a backtick (PowerShell) or a backslash (sh), or on `>>` lines.
    const continued = match.shell === 'posix' ? CONTINUED_POSIX : CONTINUED_POWERSHELL;
    while (i < lines.length && lines[i]!.text !== '' && (continued.test(text) || lines[i]!.text.startsWith('>>'))) {
      const next = lines[i]!;
      const more = CONTINUATION.exec(next.text)?.[1] ?? next.text;
      text = `${text.replace(continued, '')} ${more.trim()}`.trim();
      promptLines.push(next);
      i++;
    }
    current =
      text !== ''
        ? { command: commandOf(match, text, promptLines), promptLines, lines: [] }
        : { promptLines, lines: [] };
  }
  if (current.command || current.lines.length > 0 || current.promptLines.length > 0) yield current;
}
