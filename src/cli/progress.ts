import type { ProbeEvent } from '../engine/runner.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * A one-line status on a terminal's standard error while probes run, in plain words: what is running, how many of
 * all have ended, and the time so far against the latest the run can end ("reading the gMSA and the host from
 * Active Directory, checking the DCs' LDAPS certificates (6/8 done, 1.1 s of at most 15.5 s)"). Nothing when
 * stderr is not a terminal (pipes, files, CI), so reports and logs stay clean.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): ((event: ProbeEvent) => void) | undefined {
  if (!stream.isTTY || process.env.CI) return undefined;
  const running = new Map<string, string>();
  let done = 0;
  let started: number | undefined;
  return ({ id, title, state, total, deadlineMs }) => {
    started ??= now();
    if (state === 'start') running.set(id, title);
    else {
      running.delete(id);
      done++;
    }
    const titles = [...running.values()];
    const names = titles.slice(0, 2).join(', ') + (titles.length > 2 ? ` and ${titles.length - 2} more` : '');
    const line = `${names} (${done}/${total} done, ${seconds(now() - started)} of at most ${seconds(deadlineMs)})`;
    // One screen line, so that \r and "erase line" can rewrite it; an empty line is left when the last probe ends.
    const width = (stream.columns ?? 120) - 1;
    const shown = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    stream.write(`\r\u001b[2K${running.size ? shown : ''}`);
  };
}
