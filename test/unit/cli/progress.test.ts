import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../../src/cli/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string } {
  const stream = {
    isTTY,
    written: '',
    write(chunk: string) {
      stream.written += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { written: string };
}

describe('progress line', () => {
  it('shows the running probes on a terminal and clears the line when the last one ends', () => {
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const stream = fakeStream(true);
      const progress = terminalProgress(stream)!;
      progress({ id: 'net.dns', state: 'start' });
      progress({ id: 'ldap', state: 'start' });
      progress({ id: 'net.dns', state: 'end' });
      expect(stream.written).toContain('probing net.dns, ldap (0 done)');
      expect(stream.written).toContain('probing ldap (1 done)');
      progress({ id: 'ldap', state: 'end' });
      expect(stream.written.endsWith('\r\u001b[2K')).toBe(true);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });

  it('prints nothing when standard error is not a terminal', () => {
    expect(terminalProgress(fakeStream(false))).toBeUndefined();
  });
});
