/** Turning a rendered event into the record users see, and into XML text. */
import { textContent } from './binxml.js';
import type { XmlElement } from './binxml.js';
import type { EventRecord } from '../../facts/events.js';

const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

export function child(element: XmlElement, name: string): XmlElement | undefined {
  for (const c of element.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  if (!element) return undefined;
  for (const [key, value] of element.attributes) if (key === name) return value;
  return undefined;
}

function integer(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text.trim());
  return Number.isFinite(value) ? value : undefined;
}

function elements(parent: XmlElement | undefined): XmlElement[] {
  return parent ? parent.children.filter((c): c is XmlElement => typeof c !== 'string') : [];
}

/** Event data by name: `<EventData><Data Name="x">`, or `<UserData><Wrapper><x>` for providers that use UserData. */
export function eventData(event: XmlElement): Record<string, string> {
  const data: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    data[name] = name in data ? `${data[name]}, ${value}` : value;
  };
  const eventDataElement = child(event, 'EventData');
  if (eventDataElement) {
    let unnamed = 0;
    for (const item of elements(eventDataElement)) {
      const name = attribute(item, 'Name') ?? (item.name === 'Data' ? `Data[${unnamed++}]` : item.name);
      add(name, textContent(item));
    }
  }
  const wrapper = elements(child(event, 'UserData'))[0];
  for (const item of elements(wrapper)) add(item.name, textContent(item));
  return data;
}

/** Reads the System block and the event data of a rendered `<Event>` element. */
export function toEventRecord(event: XmlElement, fallbackRecordId: number, fallbackTime: string): EventRecord {
  const system = child(event, 'System');
  const text = (name: string): string | undefined => {
    const element = system ? child(system, name) : undefined;
    return element ? textContent(element) : undefined;
  };
  const provider = system ? child(system, 'Provider') : undefined;
  const eventIdElement = system ? child(system, 'EventID') : undefined;
  const execution = system ? child(system, 'Execution') : undefined;
  return {
    recordId: integer(text('EventRecordID')) ?? fallbackRecordId,
    timeCreated: attribute(system && child(system, 'TimeCreated'), 'SystemTime') ?? fallbackTime,
    provider: attribute(provider, 'Name') ?? attribute(provider, 'EventSourceName') ?? '',
    providerGuid: attribute(provider, 'Guid'),
    eventId: integer(eventIdElement ? textContent(eventIdElement) : undefined) ?? 0,
    qualifiers: integer(attribute(eventIdElement, 'Qualifiers')),
    version: integer(text('Version')),
    level: integer(text('Level')),
    task: integer(text('Task')),
    opcode: integer(text('Opcode')),
    keywords: text('Keywords'),
    channel: text('Channel') ?? '',
    computer: text('Computer') ?? '',
    processId: integer(attribute(execution, 'ProcessID')),
    threadId: integer(attribute(execution, 'ThreadID')),
    userId: attribute(system && child(system, 'Security'), 'UserID'),
    activityId: attribute(system && child(system, 'Correlation'), 'ActivityID'),
    data: eventData(event),
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
// Characters XML 1.0 cannot carry at all are dropped, as Windows' renderer does.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]!).replace(INVALID_XML, '');
}

/** Serialises a rendered element; the root `<Event>` gets the event namespace when it has none. */
export function toXml(element: XmlElement, indent = '', root = true): string {
  let attributes = '';
  if (root && element.name === 'Event' && attribute(element, 'xmlns') === undefined)
    attributes += ` xmlns="${EVENT_NS}"`;
  for (const [key, value] of element.attributes) attributes += ` ${key}="${escapeXml(value)}"`;
  if (element.children.length === 0) return `${indent}<${element.name}${attributes}/>`;
  const texts = element.children.filter((c): c is string => typeof c === 'string');
  if (texts.length === element.children.length)
    return `${indent}<${element.name}${attributes}>${escapeXml(texts.join(''))}</${element.name}>`;
  const inner = element.children
    .map((c) => (typeof c === 'string' ? `${indent}  ${escapeXml(c)}` : toXml(c, `${indent}  `, false)))
    .join('\n');
  return `${indent}<${element.name}${attributes}>\n${inner}\n${indent}</${element.name}>`;
}
