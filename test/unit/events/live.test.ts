import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplayRunner } from '../../../src/probes/commands.js';
import { eventLogProbe, parseSince } from '../../../src/probes/eventlog.js';
import { FactStore } from '../../../src/engine/facts.js';
import type { EventLogFacts } from '../../../src/facts/events.js';

const CCG_XML = readFileSync(join(import.meta.dirname, '../../fixtures/events/ccg-admin.wevtutil.xml'), 'utf8');

const COMMANDS = [
  'wevtutil qe Microsoft-Windows-Containers-CCG/Admin /f:xml',
  'wevtutil qe Microsoft-Windows-Hyper-V-Compute-Admin /f:xml /q:*[System[(EventID=11507)]]',
  `wevtutil qe System /f:xml "/q:*[System[Provider[@Name='NETLOGON'] and (EventID=5719 or EventID=5720)]]"`,
];

async function live(runner: ReplayRunner, since?: string): Promise<EventLogFacts> {
  const probe = eventLogProbe({ files: [], live: true, runner, since });
  const output = await probe.run({ signal: new AbortController().signal, facts: new FactStore(), timeoutMs: 5000 });
  return output['events.log'] as EventLogFacts;
}

describe('--live reads the logs through wevtutil', () => {
  it('asks wevtutil for the CCG log, Hyper-V-Compute 11507 and NETLOGON 5719/5720, and reads its XML', async () => {
    // wevtutil prints nothing when a query matches no event.
    const runner = new ReplayRunner([
      { command: COMMANDS[0]!, output: CCG_XML },
      { command: COMMANDS[1]!, output: '' },
      { command: COMMANDS[2]!, output: '' },
    ]);
    const log = await live(runner);
    expect(runner.asked).toEqual(COMMANDS);
    expect(log.sources).toEqual([
      { file: 'live: wevtutil qe', format: 'live', records: 11, relevant: 11, warnings: [] },
    ]);
    expect(log.events.map((e) => e.eventId)).toEqual([1, 2, 7, 8, 8, 8, 1, 6, 4, 3, 9]);
  });

  it('a log missing on this host is a warning; the others are read', async () => {
    const runner = new ReplayRunner([
      { command: COMMANDS[0]!, output: CCG_XML },
      {
        command: COMMANDS[1]!,
        output: 'Failed to read events. The specified channel could not be found.',
        exitCode: 15007,
      },
      { command: COMMANDS[2]!, output: '' },
    ]);
    const log = await live(runner, '2024-05-13T00:00:00Z');
    expect(log.sources[0]!.warnings).toEqual([
      'Microsoft-Windows-Hyper-V-Compute-Admin: Failed to read events. The specified channel could not be found.',
    ]);
    expect(log.events.map((e) => e.eventId)).toEqual([1, 6, 4, 3, 9]);
  });

  it('without wevtutil the log source says why', async () => {
    const log = await live(new ReplayRunner([]));
    expect(log.sources[0]!.error).toBe('wevtutil not found: --live works on a Windows host only');
  });

  it('--since takes a date or a duration back from now', () => {
    const now = Date.parse('2024-05-20T12:00:00Z');
    expect(parseSince('24h', now).toISOString()).toBe('2024-05-19T12:00:00.000Z');
    expect(parseSince('7d', now).toISOString()).toBe('2024-05-13T12:00:00.000Z');
    expect(parseSince('2024-05-01', now).toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(() => parseSince('soon', now)).toThrow('--since soon: not a date');
  });
});
