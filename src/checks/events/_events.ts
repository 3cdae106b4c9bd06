/**
 * What the checks of "Use event logs to identify configuration issues" share: the CCG Admin log's events 1 to 9,
 * Hyper-V-Compute 11507 and NETLOGON 5719/5720 grouped by event, gMSA and plug-in, with how often and when, and
 * which check finds the cause. One check per failure event of the guide's table: each points at another cause.
 */
import type { ChainLinkId } from '../../engine/chain.js';
import { defineCheck } from '../../engine/check.js';
import type { Check } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { FaultKind } from '../../engine/faults.js';
import type { FindingDraft } from '../../engine/finding.js';
import { sectionDocs } from '../../engine/sections.js';
import { CCG_EVENTS, eventText, knownEvent, RELATED_EVENTS } from '../../protocol/ccg-events.js';
import type { CausePointer, KnownEvent } from '../../protocol/ccg-events.js';
import { statusesIn, statusText } from '../../protocol/parsers/win-errors.js';
import type { WinapiError } from '../../protocol/parsers/win-errors.js';
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

/**
 * The error of an event whose parameters have no error field (Hyper-V-Compute 11507): the first value, or the
 * rendered message, that names a status ("Failed to setup the external credentials for Container '...': The RPC
 * server is unavailable. (0xC0020017).").
 */
function statusBearing(event: KnownEvent, record: EventRecord): string | undefined {
  if (event.parameters.includes('error')) return undefined;
  return Object.values(record.data).find((value) => statusesIn(value).length > 0);
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
    // A rendered message wraps its lines: one error text, however it was wrapped.
    const error = (parameterOf(event, parameters, 'error') ?? statusBearing(event, record))?.replace(/\s+/g, ' ');
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
    if (record.timeCreated && (!group.first || record.timeCreated < group.first)) group.first = record.timeCreated;
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

/** `at T`, `3 times between T1 and T2`; events pasted as text may show no time at all. */
export function when(group: Pick<EventGroup, 'count' | 'first' | 'last'>): string {
  if (!group.first && !group.last)
    return group.count === 1 ? 'time not given' : `${group.count} times, times not given`;
  return group.count === 1 ? `at ${group.first}` : `${group.count} times between ${group.first} and ${group.last}`;
}

/** The pointer's command with the real values of the group filled in. */
function commandFor(event: KnownEvent, cause: CausePointer, group: EventGroup): string[] {
  if (cause === event.cause && event.eventId === 4 && group.plugin) {
    return [`reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\${group.plugin}"`];
  }
  let command = cause.command;
  if (group.gmsa) command = command.replace('<gmsa>', group.gmsa.replace(/\$$/, ''));
  if (group.plugin) command = command.replace('<plugin>', group.plugin);
  return [command];
}

/** The statuses the group's most frequent error names, and the cause its text points at (the event's own else). */
function causeOf(
  event: KnownEvent,
  group: EventGroup,
): { statuses: WinapiError[]; meaning: string; cause?: CausePointer } {
  const statuses = group.errors.length > 0 ? statusesIn(group.errors[0]!) : [];
  const names = new Set(statuses.flatMap((s) => (s.name ? [s.name] : [])));
  const byError = event.byError?.find((e) => e.statuses.some((name) => names.has(name)));
  return byError
    ? { statuses, meaning: byError.meaning, cause: byError.cause }
    : { statuses, meaning: event.meaning, ...(event.cause ? { cause: event.cause } : {}) };
}

/** Evidence without the fields an event does not have (no gMSA in event 3, no plug-in in event 9). */
export function defined(evidence: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(evidence).filter(([, value]) => value !== undefined));
}

export function failureFinding(event: KnownEvent, group: EventGroup): FindingDraft {
  const { statuses, meaning, cause } = causeOf(event, group);
  const decoded = statuses.filter((s) => s.name);
  const errors =
    group.errors.length > 0
      ? ` Error: ${group.errors[0]!.replace(/\.$/, '')}${decoded.length ? ` [${decoded.map(statusText).join('; ')}]` : ''}${group.errors.length > 1 ? ` (and ${group.errors.length - 1} other error texts)` : ''}.`
      : '';
  return {
    severity: 'error',
    subject: subjectOf(group),
    message: `${event.provider} event ${event.eventId}, ${when(group)}: ${meaning}${errors}`,
    evidence: defined({
      provider: group.provider,
      eventId: group.eventId,
      gmsa: group.gmsa,
      plugin: group.plugin,
      count: group.count,
      first: group.first || undefined,
      last: group.last || undefined,
      errors: group.errors.slice(0, 5),
      decoded: decoded.length ? decoded.map((s) => `${s.hex} ${s.name}`) : undefined,
      computers: group.computers,
      example: group.example,
    }),
    remediation: cause
      ? {
          text: `Verify ${cause.verify}. The ${cause.checks} checks find the cause (${sectionDocs(cause.section)}).`,
          commands: commandFor(event, cause, group),
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

/** Where a failure event sits in the cause chain, and what it is: the link of the cause it points at. */
export interface EventPlace {
  link: ChainLinkId;
  fault: FaultKind;
}

/** One check per failure event of the table: each points at a different cause, and takes part in the chain. */
export function failureCheck(event: KnownEvent, id: string, title: string, place: EventPlace): Check {
  const cause = event.cause!;
  return defineCheck({
    meta: {
      id,
      title,
      section: 'events',
      ...place,
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
