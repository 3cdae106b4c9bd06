/**
 * What the checks of "Use event logs to identify configuration issues" share: the CCG Admin log's events 1 to 9,
 * Hyper-V-Compute 11507 and NETLOGON 5719/5720 grouped by event, gMSA and plug-in, with how often and when, and
 * which check finds the cause. One check per failure event of the guide's table: each points at another cause.
 */
import { defineCheck } from '../../engine/check.js';
import type { Check } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { FindingDraft } from '../../engine/finding.js';
import { sectionDocs } from '../../engine/sections.js';
import { CCG_EVENTS, eventText, knownEvent, RELATED_EVENTS } from '../../protocol/ccg-events.js';
import type { KnownEvent } from '../../protocol/ccg-events.js';
import type { EventLogFacts, EventRecord } from '../../facts/events.js';

/** The parameters %1, %2... of an event, in the order the provider wrote them (names differ between exports). */
export function eventParameters(record: EventRecord): string[] {
  return Object.entries(record.data)
    .filter(([name]) => name !== 'Message')
    .map(([, value]) => value);
}

export interface EventGroup {
  eventId: number;
  provider: string;
  gmsa?: string;
  plugin?: string;
  count: number;
  first: string;
  last: string;
  /** Distinct error texts, most frequent first. */
  errors: string[];
  /** The first event's text with its parameters filled in. */
  example: string;
  computers: string[];
}

function parameterOf(
  event: KnownEvent,
  parameters: readonly string[],
  kind: 'gmsa' | 'plugin' | 'error',
): string | undefined {
  const index = event.parameters.indexOf(kind);
  const value = index === -1 ? undefined : parameters[index]?.trim();
  return value === '' ? undefined : value;
}

/** Groups events by event id, gMSA and plug-in, with counts and the first and last time. */
export function groupEvents(records: readonly EventRecord[], wanted: readonly KnownEvent[]): EventGroup[] {
  const groups = new Map<string, EventGroup & { errorCounts: Map<string, number> }>();
  for (const record of records) {
    const event = knownEvent(record.provider, record.eventId);
    if (!event || !wanted.includes(event)) continue;
    const parameters = eventParameters(record);
    const gmsa = parameterOf(event, parameters, 'gmsa');
    const plugin = parameterOf(event, parameters, 'plugin');
    const error = parameterOf(event, parameters, 'error');
    const key = JSON.stringify([event.provider, event.eventId, gmsa?.toLowerCase(), plugin?.toUpperCase()]);
    let group = groups.get(key);
    if (!group) {
      group = {
        eventId: event.eventId,
        provider: event.provider,
        gmsa,
        plugin,
        count: 0,
        first: record.timeCreated,
        last: record.timeCreated,
        errors: [],
        errorCounts: new Map(),
        example: eventText(event, parameters),
        computers: [],
      };
      groups.set(key, group);
    }
    group.count++;
    if (record.timeCreated < group.first) group.first = record.timeCreated;
    if (record.timeCreated > group.last) group.last = record.timeCreated;
    if (error) group.errorCounts.set(error, (group.errorCounts.get(error) ?? 0) + 1);
    if (record.computer && !group.computers.includes(record.computer)) group.computers.push(record.computer);
  }
  return [...groups.values()].map(({ errorCounts, ...group }) => ({
    ...group,
    errors: [...errorCounts.entries()].sort((a, b) => b[1] - a[1]).map(([text]) => text),
  }));
}

export function subjectOf(group: EventGroup): string {
  const parts = [
    group.gmsa ? `gMSA ${group.gmsa}` : undefined,
    group.plugin ? `plug-in ${group.plugin}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : `${group.provider} event ${group.eventId}`;
}

export function when(group: EventGroup): string {
  return group.count === 1 ? `at ${group.first}` : `${group.count} times between ${group.first} and ${group.last}`;
}

/** The pointer's command with the real values of the group filled in. */
function commandFor(event: KnownEvent, group: EventGroup): string[] {
  if (!event.cause) return [];
  let command = event.cause.command;
  if (group.gmsa) command = command.replace('<gmsa>', group.gmsa.replace(/\$$/, ''));
  if (event.eventId === 4 && group.plugin) {
    return [`reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\${group.plugin}"`];
  }
  return [command];
}

/** Evidence without the fields an event does not have (no gMSA in event 3, no plug-in in event 9). */
export function defined(evidence: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(evidence).filter(([, value]) => value !== undefined));
}

export function failureFinding(event: KnownEvent, group: EventGroup): FindingDraft {
  const cause = event.cause;
  const errors =
    group.errors.length > 0
      ? ` Error: ${group.errors[0]}${group.errors.length > 1 ? ` (and ${group.errors.length - 1} other error texts)` : ''}.`
      : '';
  return {
    severity: 'error',
    subject: subjectOf(group),
    message: `${event.provider} event ${event.eventId}, ${when(group)}: ${event.meaning}${errors}`,
    evidence: defined({
      provider: group.provider,
      eventId: group.eventId,
      gmsa: group.gmsa,
      plugin: group.plugin,
      count: group.count,
      first: group.first,
      last: group.last,
      errors: group.errors.slice(0, 5),
      computers: group.computers,
      example: group.example,
    }),
    remediation: cause
      ? {
          text: `Verify ${cause.verify}. The ${cause.checks} checks find the cause (${sectionDocs(cause.section)}).`,
          commands: commandFor(event, group),
        }
      : undefined,
  };
}

export function eventsOf(facts: FactReader<'events.log'>): EventLogFacts {
  return facts.get('events.log');
}

export function sourcesText(log: EventLogFacts): string {
  const read = log.sources.filter((s) => !s.error);
  const records = read.reduce((n, s) => n + s.records, 0);
  return `${records} records in ${read.length} log${read.length === 1 ? '' : 's'}${log.since ? ` since ${log.since}` : ''}`;
}

/**
 * A check over logs that hold no record judges nothing: skipped, with the reason, rather than "no event N in 0
 * records". Undefined when there are records to look at.
 */
export function nothingToJudge(log: EventLogFacts): FindingDraft | undefined {
  const read = log.sources.filter((s) => !s.error);
  if (read.some((s) => s.records > 0)) return undefined;
  const why =
    read.length === 0
      ? 'no event log could be read (see the input errors)'
      : `the ${read.length === 1 ? 'log holds' : `${read.length} logs hold`} no event record (${read.map((s) => s.file).join(', ')})`;
  return { severity: 'skipped', message: `not judged: ${why}.` };
}

/** One check per failure event of the table: each points at a different cause. */
export function failureCheck(event: KnownEvent, id: string, title: string): Check {
  const cause = event.cause!;
  return defineCheck({
    meta: {
      id,
      title,
      section: 'events',
      link: null,
      looksAt: `${event.provider} event ${event.eventId} ("${event.text}") in the exported or live logs`,
      why: event.meaning,
      remediation: `Verify ${cause.verify}; the ${cause.checks} checks find the cause.`,
    },
    needs: ['events.log'],
    run(facts) {
      const log = eventsOf(facts);
      const groups = groupEvents(log.events, [event]);
      if (groups.length > 0) return groups.map((group) => failureFinding(event, group));
      const empty = nothingToJudge(log);
      if (empty) return [empty];
      return [{ severity: 'pass', message: `No ${event.provider} event ${event.eventId} in ${sourcesText(log)}.` }];
    },
  });
}

export const byId = (provider: string, id: number): KnownEvent =>
  [...CCG_EVENTS, ...RELATED_EVENTS].find((e) => e.provider === provider && e.eventId === id)!;
