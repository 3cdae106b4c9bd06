/**
 * "Use event logs to identify configuration issues": the CCG Admin log's events 1 to 9, Hyper-V-Compute 11507
 * and NETLOGON 5719/5720 turned into findings that say what failed, for which gMSA and plug-in, how often and
 * when, and which check finds the cause.
 */
import { defineCheck } from '../engine/check.js';
import type { Check } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import type { Plan } from '../engine/options.js';
import { sectionDocs } from '../engine/sections.js';
import { CCG_EVENTS, CCG_PROVIDER, eventText, knownEvent, RELATED_EVENTS } from '../protocol/ccg-events.js';
import type { KnownEvent } from '../protocol/ccg-events.js';
import { eventLogProbe } from '../probes/eventlog.js';
import type { EventLogFacts, EventRecord } from '../facts/events.js';

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

function parameterOf(event: KnownEvent, parameters: readonly string[], kind: 'gmsa' | 'plugin' | 'error'): string | undefined {
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

function subjectOf(group: EventGroup): string {
  const parts = [group.gmsa ? `gMSA ${group.gmsa}` : undefined, group.plugin ? `plug-in ${group.plugin}` : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : `${group.provider} event ${group.eventId}`;
}

function when(group: EventGroup): string {
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
function defined(evidence: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(evidence).filter(([, value]) => value !== undefined));
}

function failureFinding(event: KnownEvent, group: EventGroup): FindingDraft {
  const cause = event.cause;
  const errors = group.errors.length > 0 ? ` Error: ${group.errors[0]}${group.errors.length > 1 ? ` (and ${group.errors.length - 1} other error texts)` : ''}.` : '';
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

function eventsOf(facts: FactReader): EventLogFacts {
  return facts.get('events.log');
}

function sourcesText(log: EventLogFacts): string {
  const read = log.sources.filter((s) => !s.error);
  const records = read.reduce((n, s) => n + s.records, 0);
  return `${records} records in ${read.length} log${read.length === 1 ? '' : 's'}${log.since ? ` since ${log.since}` : ''}`;
}

/** One check per failure event of the table: each points at a different cause. */
function failureCheck(event: KnownEvent, id: string, title: string): Check {
  const cause = event.cause!;
  return defineCheck({
    meta: {
      id,
      title,
      section: 'events',
      looksAt: `${event.provider} event ${event.eventId} ("${event.text}") in the exported or live logs`,
      why: event.meaning,
      remediation: `Verify ${cause.verify}; the ${cause.checks} checks find the cause.`,
    },
    needs: ['events.log'],
    run(facts) {
      const log = eventsOf(facts);
      const groups = groupEvents(log.events, [event]);
      if (groups.length > 0) return groups.map((group) => failureFinding(event, group));
      return [{ severity: 'pass', message: `No ${event.provider} event ${event.eventId} in ${sourcesText(log)}.` }];
    },
  });
}

const byId = (provider: string, id: number): KnownEvent => [...CCG_EVENTS, ...RELATED_EVENTS].find((e) => e.provider === provider && e.eventId === id)!;

const CCG_FAILURE_CHECKS: Check[] = [
  failureCheck(byId(CCG_PROVIDER, 3), 'events/ccg-credspec-parse', 'CCG could parse the credential spec (event 3)'),
  failureCheck(byId(CCG_PROVIDER, 4), 'events/ccg-plugin-load', 'CCG could load the plug-in (event 4)'),
  failureCheck(byId(CCG_PROVIDER, 6), 'events/ccg-plugin-credentials', 'The plug-in returned credentials (event 6)'),
  failureCheck(byId(CCG_PROVIDER, 8), 'events/ccg-gmsa-fetch', 'CCG fetched the gMSA password with the plug-in\'s account (event 8)'),
  failureCheck(byId(CCG_PROVIDER, 9), 'events/ccg-plugin-guid', 'CCG could parse the PluginGUID (event 9)'),
];

const activityCheck = defineCheck({
  meta: {
    id: 'events/ccg-activity',
    title: 'CCG loaded plug-ins, fetched and refreshed gMSA credentials (events 1, 2, 7)',
    section: 'events',
    looksAt: 'Microsoft-Windows-Containers-CCG/Admin events 1 (plug-in instantiated), 2 (credentials fetched) and 7 (refetching)',
    why: 'They show which gMSAs and plug-ins worked, and when: a failure after a success points at a change (password expiry, a rotated secret).',
    remediation: 'No action needed for these events; read the failures next to them.',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const ccg = log.events.filter((e) => e.provider.toLowerCase() === CCG_PROVIDER.toLowerCase());
    if (ccg.length === 0) {
      return [
        {
          severity: 'info',
          message: `No Microsoft-Windows-Containers-CCG events in ${sourcesText(log)}: CCG is used only for hosts that are not domain-joined (a plug-in in the credential spec).`,
        },
      ];
    }
    const groups = groupEvents(ccg, [byId(CCG_PROVIDER, 1), byId(CCG_PROVIDER, 2), byId(CCG_PROVIDER, 7)]);
    const unknown = [...new Set(ccg.filter((e) => !knownEvent(e.provider, e.eventId)).map((e) => e.eventId))];
    const findings: FindingDraft[] = groups.map((group) => ({
      severity: 'pass',
      subject: subjectOf(group),
      message: `CCG event ${group.eventId}, ${when(group)}: ${group.example}`,
      evidence: defined({ eventId: group.eventId, gmsa: group.gmsa, plugin: group.plugin, count: group.count, first: group.first, last: group.last }),
    }));
    if (unknown.length > 0) {
      findings.push({
        severity: 'info',
        message: `CCG events not in the guide's table: ${unknown.join(', ')}; read their text in Event Viewer.`,
        evidence: { eventIds: unknown },
      });
    }
    if (findings.length === 0) findings.push({ severity: 'info', message: 'CCG logged only failures: see the events/ccg-* findings.' });
    return findings;
  },
});

const hypervCheck = failureCheck(
  byId('Microsoft-Windows-Hyper-V-Compute', 11507),
  'events/hyperv-external-credentials',
  'Hyper-V-Compute set up the container\'s external credentials (event 11507)',
);

const netlogonCheck = defineCheck({
  meta: {
    id: 'events/netlogon-secure-channel',
    title: 'NETLOGON set up a secure channel with a DC (events 5719, 5720)',
    section: 'events',
    looksAt: 'System log, NETLOGON events 5719 (no DC for the domain) and 5720 (no computer account on the DC)',
    why: 'Without a secure channel the host cannot retrieve the gMSA password, and containers cannot authenticate.',
    remediation: 'For 5719 check DNS and the DC ports; for 5720 check the computer account and reset the secure channel.',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const findings: FindingDraft[] = [];
    for (const id of [5719, 5720]) {
      const event = byId('NETLOGON', id);
      findings.push(...groupEvents(log.events, [event]).map((group) => ({ ...failureFinding(event, group), subject: group.computers.join(', ') || undefined })));
    }
    return findings.length > 0 ? findings : [{ severity: 'pass', message: `No NETLOGON 5719 or 5720 in ${sourcesText(log)}.` }];
  },
});

const readableCheck = defineCheck({
  meta: {
    id: 'events/log-readable',
    title: 'The event logs could be read',
    section: 'events',
    looksAt: 'every file given with --events (binary .evtx, wevtutil XML, Get-WinEvent JSON) or the live logs',
    why: 'A damaged or unreadable log hides the events that explain the failure.',
    remediation: 'Export the log again: wevtutil epl Microsoft-Windows-Containers-CCG/Admin ccg.evtx',
  },
  needs: ['events.log'],
  run(facts) {
    const log = eventsOf(facts);
    const findings: FindingDraft[] = [];
    for (const source of log.sources) {
      if (source.error) {
        findings.push({ severity: 'error', subject: source.file, message: `Could not read ${source.error}`, location: { file: source.file } });
      } else if (source.warnings.length > 0) {
        findings.push({
          severity: 'warning',
          subject: source.file,
          message: `${source.file}: read ${source.records} records around damage: ${source.warnings.slice(0, 3).join('; ')}${source.warnings.length > 3 ? `; and ${source.warnings.length - 3} more` : ''}`,
          evidence: { warnings: source.warnings },
          location: { file: source.file },
        });
      } else {
        findings.push({ severity: 'pass', subject: source.file, message: `${source.file}: ${source.records} records (${source.format}), ${source.relevant} about gMSA.` });
      }
    }
    return findings;
  },
});

export const EVENT_CHECKS: readonly Check[] = [readableCheck, ...CCG_FAILURE_CHECKS, activityCheck, hypervCheck, netlogonCheck];

/** `check --events FILE`: the same analysis as `gmsa-doctor events`. */
export function planEvents(options: { events: string[] }): Plan {
  if (options.events.length === 0) return { checks: [], probes: [] };
  return { checks: [...EVENT_CHECKS], probes: [eventLogProbe({ files: options.events })] };
}
