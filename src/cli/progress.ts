/**
 * A one-line "probing ..." status on a terminal's standard error while probes run; nothing when stderr is not a
 * terminal (pipes, files, CI), so reports and logs stay clean.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): ((event: { id: string; state: 'start' | 'end' }) => void) | undefined {
  if (!stream.isTTY || process.env.CI) return undefined;
  const running = new Set<string>();
  let done = 0;
  return ({ id, state }) => {
    if (state === 'start') running.add(id);
    else {
      running.delete(id);
      done++;
    }
    const names = [...running].slice(0, 4).join(', ') + (running.size > 4 ? ', ...' : '');
    // \r and "erase line" rewrite the same line; an empty line is left when the last probe ends.
    stream.write(`\r\u001b[2K${running.size ? `probing ${names} (${done} done)` : ''}`);
  };
}
