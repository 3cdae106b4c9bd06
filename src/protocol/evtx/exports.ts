/**
 * Event exports made on Windows: `wevtutil qe LOG /f:xml` (or Event Viewer "Save as XML") and
 * `Get-WinEvent ... | ConvertTo-Json`. Both become the same EventRecord as a binary .evtx record.
 */
import { NestingLimitError, parseBoundedJson } from '../json-depth.js';
import { eventData, toEventRecord, toXml } from './record.js';
import { findEvents, parseXmlForest } from './xml.js';
import type { EventRecord } from '../../facts/events.js';

export class ExportFormatError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Every `<Event>` of an XML export, in document order. */
export function parseEventXml(text: string): EventRecord[] {
  return findEvents(parseXmlForest(text)).map((event, index) => {
    const record = toEventRecord(event, index + 1, '');
    // RenderingInfo (wevtutil /f:RenderedXml) carries the message; event data stays what the provider wrote.
    record.data = eventData(event);
    record.xml = toXml(event);
    return record;
  });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * TimeCreated as ConvertTo-Json writes it: Windows PowerShell 5.1 gives "\/Date(1606391234567)\/",
 * PowerShell 7 an ISO 8601 string with an offset.
 */
export function jsonTime(value: Json | undefined, field: string): string {
  if (typeof value === 'string') {
    const legacy = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
    const date = legacy ? new Date(Number(legacy[1])) : new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  if (isObject(value) && typeof value.DateTime === 'string') return jsonTime(value.value ?? value.DateTime, field);
  throw new ExportFormatError(`${field}: not a date (${JSON.stringify(value)})`, field);
}

function numberField(value: Json | undefined): number | undefined {
  return typeof value === 'number'
    ? value
    : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
      ? Number(value)
      : undefined;
}

function stringField(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value) && typeof value.Value === 'string') return value.Value; // SecurityIdentifier, Guid objects
  return undefined;
}

/** Properties: [{ "Value": ... }, ...], positional (the JSON export carries no data names). */
function properties(value: Json | undefined): Record<string, string> {
  const data: Record<string, string> = {};
  if (!Array.isArray(value)) return data;
  value.forEach((item, index) => {
    const inner = isObject(item) && 'Value' in item ? item.Value : item;
    data[`Data[${index}]`] = Array.isArray(inner)
      ? inner.map((v) => stringField(v) ?? JSON.stringify(v)).join(', ')
      : (stringField(inner) ?? (inner === null ? '' : JSON.stringify(inner)));
  });
  return data;
}

function keywordsText(value: Json | undefined): string | undefined {
  const n = numberField(value);
  if (n === undefined) return undefined;
  return `0x${BigInt.asUintN(64, BigInt(Math.trunc(n)))
    .toString(16)
    .padStart(16, '0')}`;
}

export function fromWinEventJson(item: Json, index: number): EventRecord {
  if (!isObject(item)) throw new ExportFormatError(`[${index}]: not an event object`, `[${index}]`);
  const id = numberField(item.Id);
  if (id === undefined) throw new ExportFormatError(`[${index}].Id: missing or not a number`, `[${index}].Id`);
  const record: EventRecord = {
    recordId: numberField(item.RecordId) ?? index + 1,
    timeCreated: jsonTime(item.TimeCreated, `[${index}].TimeCreated`),
    provider: stringField(item.ProviderName) ?? '',
    providerGuid: stringField(item.ProviderId)
      ?.toUpperCase()
      .replace(/^([^{].*)$/, '{$1}'),
    eventId: id,
    qualifiers: numberField(item.Qualifiers),
    version: numberField(item.Version),
    level: numberField(item.Level),
    task: numberField(item.Task),
    opcode: numberField(item.Opcode),
    keywords: keywordsText(item.Keywords),
    channel: stringField(item.LogName) ?? '',
    computer: stringField(item.MachineName) ?? '',
    processId: numberField(item.ProcessId),
    threadId: numberField(item.ThreadId),
    userId: stringField(item.UserId),
    data: properties(item.Properties),
  };
  const message = stringField(item.Message);
  if (message !== undefined && message !== '') record.data.Message = message;
  return record;
}

/** A `Get-WinEvent | ConvertTo-Json` export: one object for one event, an array for several. */
export function parseWinEventJson(text: string): EventRecord[] {
  let parsed: Json;
  try {
    parsed = parseBoundedJson(text.replace(/^\uFEFF/, '')) as Json;
  } catch (error) {
    if (error instanceof NestingLimitError) throw new ExportFormatError(error.message);
    throw new ExportFormatError(`not JSON: ${(error as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map(fromWinEventJson);
}
