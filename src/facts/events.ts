/** Event logs read from .evtx, `wevtutil qe /f:xml` or `Get-WinEvent | ConvertTo-Json` exports, event text, or live. */
import { z } from 'zod';

/**
 * One event, the same whether it came from .evtx, `wevtutil qe /f:xml`, `Get-WinEvent | ConvertTo-Json` or text (a
 * Security event's labelled text gets its schema's data names; a pasted record has no time or computer it did not show).
 */
export const eventRecord = z.object({
  recordId: z.number().int(),
  /** ISO 8601 UTC, 7-digit fraction when the source has it. */
  timeCreated: z.string(),
  provider: z.string(),
  providerGuid: z.string().optional(),
  eventId: z.number().int(),
  qualifiers: z.number().int().optional(),
  version: z.number().int().optional(),
  level: z.number().int().optional(),
  task: z.number().int().optional(),
  opcode: z.number().int().optional(),
  keywords: z.string().optional(),
  channel: z.string(),
  computer: z.string(),
  processId: z.number().int().optional(),
  threadId: z.number().int().optional(),
  userId: z.string().optional(),
  activityId: z.string().optional(),
  /** Event data by name (`<Data Name=...>`, or the elements of `<UserData>`); unnamed items are `Data[0]`, `Data[1]`... */
  data: z.record(z.string(), z.string()),
  /** The rendered event XML (absent for JSON exports, which do not carry it). */
  xml: z.string().optional(),
});
export type EventRecord = z.infer<typeof eventRecord>;

export const EVENT_SOURCE_FORMATS = ['evtx', 'xml', 'json', 'text', 'live'] as const;
export type EventSourceFormat = (typeof EVENT_SOURCE_FORMATS)[number];

export const eventSourceSummary = z.object({
  file: z.string(),
  format: z.enum(EVENT_SOURCE_FORMATS).optional(),
  /** Records read from the source (before --since). */
  records: z.number().int().nonnegative(),
  /** Records kept: CCG, Hyper-V-Compute 11507, NETLOGON 5719/5720, Security 4625 with 0xC000015B, at or after --since. */
  relevant: z.number().int().nonnegative(),
  /** Damage that was read around, naming chunk and record. */
  warnings: z.array(z.string()),
  /** Set when the source could not be read at all. */
  error: z.string().optional(),
});
export type EventSourceSummary = z.infer<typeof eventSourceSummary>;

export const eventLog = z.object({
  sources: z.array(eventSourceSummary),
  /** The events the checks judge, oldest first, without their XML. */
  events: z.array(eventRecord),
  since: z.string().optional(),
});
export type EventLogFacts = z.infer<typeof eventLog>;
