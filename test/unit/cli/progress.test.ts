import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../../src/cli/progress.js';
import type { ProbeEvent } from '../../../src/engine/runner.js';
import { FACT_KEYS } from '../../../src/facts/index.js';

function fakeStream(isTTY: boolean, columns = 200): NodeJS.WriteStream & { written: string } {
  const stream = {
    isTTY,
    columns,
    written: '',
    write(chunk: string) {
      stream.written += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { written: string };
}

const event = (id: string, title: string, state: ProbeEvent['state']): ProbeEvent => ({
  id,
  title,
  state,
  total: 3,
  deadlineMs: 6000,
});

function withoutCi<T>(run: () => T): T {
  const saved = process.env.CI;
  delete process.env.CI;
  try {
    return run();
  } finally {
    if (saved !== undefined) process.env.CI = saved;
  }
}

describe('progress line', () => {
  it('says in plain words what runs, done of total, and the time against the latest end; clears the line at the end', () => {
    withoutCi(() => {
      const stream = fakeStream(true);
      let clock = 0;
      const progress = terminalProgress(stream, () => clock)!;
      progress(event('net.dns', "asking DNS for the domain's SRV records", 'start'));
      progress(event('ldap.ad', 'reading the gMSA and the host from Active Directory', 'start'));
      clock = 1200;
      progress(event('net.dns', "asking DNS for the domain's SRV records", 'end'));
      expect(stream.written).toContain(
        "asking DNS for the domain's SRV records, reading the gMSA and the host from Active Directory (0/3 done, 0.0 s of at most 6.0 s)",
      );
      expect(stream.written).toContain(
        'reading the gMSA and the host from Active Directory (1/3 done, 1.2 s of at most 6.0 s)',
      );
      // A probe skipped for want of a fact ends without starting: it counts as done.
      progress(event('net.tls', 'checking the LDAPS certificates', 'end'));
      expect(stream.written).toContain('(2/3 done,');
      progress(event('ldap.ad', 'reading the gMSA and the host from Active Directory', 'end'));
      expect(stream.written.endsWith('\r\u001b[2K')).toBe(true);
      expect(stream.written).not.toMatch(new RegExp(FACT_KEYS.map((k) => k.replace('.', '\\.')).join('|')));
    });
  });

  it('stays on one screen line, so that it can be rewritten', () => {
    withoutCi(() => {
      const stream = fakeStream(true, 40);
      terminalProgress(stream, () => 0)!(
        event('a', 'a title far longer than the forty columns of this terminal', 'start'),
      );
      const line = stream.written.replace('\r\u001b[2K', '');
      expect(line.length).toBeLessThanOrEqual(39);
      expect(line.endsWith('…')).toBe(true);
    });
  });

  it('prints nothing when standard error is not a terminal', () => {
    expect(terminalProgress(fakeStream(false))).toBeUndefined();
  });
});
