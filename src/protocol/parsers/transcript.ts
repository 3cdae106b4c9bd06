/**
 * Splits a console transcript (a PowerShell session pasted into an issue or a doc) into the commands typed and
 * the output each printed. A line `PS C:\path> command` starts a command; a transcript that starts without a
 * prompt starts with its command on the first non-blank line.
 */
export interface TranscriptEntry {
  command: string;
  output: string;
}

const PROMPT = /^PS [^>]*>\s?(.*)$/;

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(common, l.length - l.trimStart().length)));
}

export function splitTranscript(text: string): TranscriptEntry[] {
  const lines = dedent(text.replace(/\r\n?/g, '\n').split('\n'));
  const entries: { command: string; output: string[] }[] = [];
  let current: { command: string; output: string[] } | undefined;
  for (const line of lines) {
    const prompt = PROMPT.exec(line);
    if (prompt) {
      current = { command: (prompt[1] ?? '').trim(), output: [] };
      entries.push(current);
    } else if (!current) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      current = { command: line.trim(), output: [] };
      entries.push(current);
    } else {
      current.output.push(line);
    }
  }
  return entries
    .filter((e) => e.command !== '')
    .map((e) => ({ command: e.command, output: e.output.join('\n').replace(/^\n+|\s+$/g, '') + '\n' }));
}

/** The output of the first command in the transcript whose text matches, e.g. /^nltest(\.exe)? \/query/i. */
export function outputOf(text: string, command: RegExp): string | undefined {
  return splitTranscript(text).find((e) => command.test(e.command))?.output;
}
