/**
 * Windows events as users paste them: the message text alone (copied from Event Viewer), `Get-WinEvent | Format-List`
 * (TimeCreated, ProviderName, Id, Message), `Get-EventLog | Format-List` (EventID, Source, ReplacementStrings,
 * Message, TimeGenerated), the same objects through `ConvertTo-Json`, and Security events' labelled text
 * (`Failure Information:` / `Status: 0xC000015B`). CCG (1-9), Hyper-V-Compute 11507, NETLOGON and Security events are
 * known by their message: provider, id and meaning are given even when the paste has only the text.
 */
import { CCG_EVENTS, RELATED_EVENTS, knownEvent, type KnownEvent } from '../../protocol/ccg-events.js';
import { fromWinEventJson, jsonTime } from '../../protocol/evtx/exports.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { WindowsEventData } from '../types.js';
import { codeOf, codesOn, compact, makeItem, type Recognition } from '../item.js';
import { listRecords, type ListRecord } from './format-list.js';
import { elementLines, jsonBlock } from './json.js';

interface MessageTemplate {
  key: string;
  provider?: string;
  eventId?: number;
  outcome: 'success' | 'failure' | 'info';
  meaning: string;
  pattern: RegExp;
  parameters: readonly string[];
  language?: 'de';
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A table text (`... for %1 using plug-in: %2`) as a pattern; `plug-in` and `plugin` are both written by Windows. */
function templatePattern(text: string): RegExp {
  const source = escape(text)
    .replace(/plug-in|plugin/gi, 'plug-?in')
    .replace(/: %(\d)/g, ':? %$1')
    .replace(/%\d/g, '(.+?)');
  return new RegExp(`${source}\\.?$`, 'i');
}

function fromTable(event: KnownEvent, parameters: readonly string[], text = event.text): MessageTemplate {
  return {
    key: `${event.provider}/${event.eventId}`,
    provider: event.provider,
    eventId: event.eventId,
    outcome: event.outcome,
    meaning: event.meaning,
    pattern: templatePattern(text),
    parameters,
  };
}

const related = (id: number): KnownEvent => RELATED_EVENTS.find((e) => e.eventId === id)!;

const TEMPLATES: readonly MessageTemplate[] = [
  ...CCG_EVENTS.map((e) => fromTable(e, e.parameters)),
  // The real 11507 text (microsoft/Windows-Containers#221), not the table's summary of it.
  {
    ...fromTable(related(11507), ['container', 'error', 'code']),
    pattern:
      /Failed to setup the external credentials for Container '([^']{1,200})': (.+?)\s*\((0x[0-9A-Fa-f]{1,8})\)\.?$/,
  },
  fromTable(related(5720), ['dc', 'domain', 'computer']),
  {
    ...fromTable(related(5719), ['domain']),
    pattern:
      /This computer was not able to set up a secure session with a domain controller in domain (\S+?) due to the following/,
  },
  {
    key: 'NETLOGON/3210',
    provider: 'NETLOGON',
    eventId: 3210,
    outcome: 'failure',
    meaning:
      "The computer's own account could not authenticate to a DC: the password it holds is not the one AD has, or another computer uses the same name. Its secure channel is broken; inside containers that share one gMSA, the shared name causes it.",
    pattern:
      /^This computer could not authenticate with (\S+?), a Windows domain controller for domain (\S+?), and therefore this computer might deny logon requests\./,
    parameters: ['dc', 'domain'],
  },
  {
    key: 'directory-service/gmsa-password-fetched',
    outcome: 'success',
    meaning:
      "A caller retrieved the gMSA's managed password from this DC: the account works and the caller is allowed to read its password.",
    pattern: /^Ein Aufrufer hat das Kennwort eines gruppenverwalteten Dienstkontos abgerufen\.$/,
    parameters: [],
    language: 'de',
  },
];

/** Labelled values that follow the password-fetched event's text on their own lines. */
const FOLLOWING_VALUES: readonly [RegExp, string][] = [
  [/^Objekt des gruppenverwalteten Dienstkontos:$/, 'gmsa'],
  [/^Aufrufer-SID:$/, 'callerSid'],
  [/^Aufrufer-IP:$/, 'callerIp'],
];

function matchTemplate(message: string): { template: MessageTemplate; parameters: Record<string, string> } | undefined {
  const text = message.trim();
  for (const template of TEMPLATES) {
    const m = template.pattern.exec(text);
    if (!m) continue;
    const parameters: Record<string, string> = {};
    template.parameters.forEach((name, i) => {
      const value = m[i + 1]?.trim();
      if (value) parameters[name === 'detail' ? `detail${i + 1}` : name] = value;
    });
    return { template, parameters };
  }
  return undefined;
}

function knownOf(
  provider: string | undefined,
  eventId: number | undefined,
  template: MessageTemplate | undefined,
): WindowsEventData['known'] {
  const table = provider && eventId !== undefined ? knownEvent(provider, eventId) : undefined;
  if (table) return { key: `${table.provider}/${table.eventId}`, outcome: table.outcome, meaning: table.meaning };
  return template ? { key: template.key, outcome: template.outcome, meaning: template.meaning } : undefined;
}

const MESSAGE_HINT =
  /Container Credential Guard|external credentials|session setup|secure session|could not authenticate with|Aufrufer|Dienstkonto/;

function messageTextItems(lines: readonly NormalisedLine[], skip: ReadonlySet<NormalisedLine>): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  lines.forEach((line, index) => {
    if (skip.has(line) || !MESSAGE_HINT.test(line.text)) return;
    const found = matchTemplate(line.text.replace(/^"|"$/g, ''));
    if (!found) return;
    const extent = [line];
    for (let i = index + 1; i < lines.length && i <= index + 8; i++) {
      const label = FOLLOWING_VALUES.find(([p]) => p.test(lines[i]!.text.trim()));
      const value = lines[i + 1];
      if (!label || !value) continue;
      found.parameters[label[1]] = value.text.trim();
      extent.push(lines[i]!, value);
    }
    const { template, parameters } = found;
    const data: WindowsEventData = compact({
      form: 'message-text',
      provider: template.provider,
      eventId: template.eventId,
      message: line.text.trim(),
      known: knownOf(template.provider, template.eventId, template),
      parameters,
      language: template.language,
    });
    items.push(makeItem('windows-event', [line], data, { extent }));
    for (const entry of extent) read.push(entry);
  });
  return { items, read };
}

/** Event Viewer's "Copy details as text": `Log Name:`, `Source:`, `Event ID:`, `Level:`, ..., `Description:` and the message. */
const VIEWER_FIELD =
  /^(Log Name|Source|Date|Event ID|Task Category|Level|Keywords|User|Computer|OpCode|Description):\s*(.*)$/i;

function viewerItems(lines: readonly NormalisedLine[]): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!VIEWER_FIELD.test(lines[i]!.text.trim()) || !/^(?:Log Name|Source)/i.test(lines[i]!.text.trim())) continue;
    const fields: Record<string, string> = {};
    const fieldLines: NormalisedLine[] = [];
    let j = i;
    for (; j < lines.length; j++) {
      const m = VIEWER_FIELD.exec(lines[j]!.text.trim());
      if (!m) break;
      fields[(m[1] ?? '').toLowerCase()] = (m[2] ?? '').trim();
      fieldLines.push(lines[j]!);
      if ((m[1] ?? '').toLowerCase() === 'description') {
        // The message follows on the same line or on the next ones, up to a blank line.
        for (j++; j < lines.length && lines[j]!.text.trim() !== '' && j - i < 60; j++) {
          fields.description = `${fields.description ?? ''} ${lines[j]!.text.trim()}`.trim();
          fieldLines.push(lines[j]!);
        }
        break;
      }
    }
    if (!fields.source || (fields['event id'] === undefined && fields.description === undefined)) continue;
    const eventId = fields['event id'] !== undefined ? Number(fields['event id']) : undefined;
    const message = fields.description || undefined;
    const found = message ? matchTemplate(message) : undefined;
    const id = eventId !== undefined && Number.isFinite(eventId) ? eventId : found?.template.eventId;
    const data: WindowsEventData = compact({
      form: 'event-viewer-text',
      provider: fields.source,
      eventId: id,
      channel: fields['log name'],
      time: fields.date,
      machine: fields.computer,
      level: fields.level,
      message,
      known: knownOf(fields.source, id, found?.template),
      parameters: found?.parameters ?? {},
    });
    const quote = fieldLines.filter((l) => /^(?:Source|Event ID|Description):/i.test(l.text.trim()));
    items.push(makeItem('windows-event', quote, data, { extent: fieldLines }));
    for (const line of fieldLines) read.push(line);
    i = j - 1;
  }
  return { items, read };
}

/**
 * NETLOGON writes the NTSTATUS of its failures as the event's binary data: `Data : {138, 1, 0, 192}` is the
 * little-endian 0xC000018A (STATUS_NO_TRUST_LSA_SECRET).
 */
function netlogonStatus(provider: string | undefined, bytes: readonly number[]): number | undefined {
  if (
    !/^(?:NETLOGON|Microsoft-Windows-Netlogon)$/i.test(provider ?? '') ||
    bytes.length !== 4 ||
    bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)
  )
    return undefined;
  return (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0 || undefined;
}

function dataBytes(text: string | undefined): number[] {
  const m = /^\{\s*(\d{1,3}(?:,\s*\d{1,3}){3})\s*\}$/.exec(text ?? '');
  return m?.[1] ? m[1].split(',').map((b) => Number(b.trim())) : [];
}

function levelOfEntryType(value: unknown): string | undefined {
  const names: Record<number, string> = {
    1: 'Error',
    2: 'Warning',
    4: 'Information',
    8: 'SuccessAudit',
    16: 'FailureAudit',
  };
  return typeof value === 'number' ? names[value] : typeof value === 'string' ? value : undefined;
}

function listRecordItem(record: ListRecord): Recognition['items'][number] | undefined {
  const f = record.fields;
  const winEvent = 'ProviderName' in f && 'Id' in f;
  const eventLog = 'EventID' in f && ('Source' in f || 'Message' in f);
  if (!winEvent && !eventLog) return undefined;
  const provider = winEvent ? f.ProviderName : f.Source;
  const eventId = Number(winEvent ? f.Id : f.EventID);
  const message = f.Message;
  const found = message ? matchTemplate(message) : undefined;
  const data: WindowsEventData = compact({
    form: winEvent ? 'format-list' : 'get-eventlog',
    provider,
    eventId: Number.isFinite(eventId) ? eventId : undefined,
    channel: f.LogName ?? f.ContainerLog,
    time: f.TimeCreated ?? f.TimeGenerated,
    machine: f.MachineName,
    level: f.LevelDisplayName ?? f.EntryType,
    message,
    known: knownOf(provider, Number.isFinite(eventId) ? eventId : undefined, found?.template),
    parameters: {
      ...(found?.parameters ?? {}),
      ...(f.ReplacementStrings ? { replacementStrings: f.ReplacementStrings } : {}),
    },
  });
  const status = netlogonStatus(provider, dataBytes(f.Data));
  const dataLine = record.fieldLines.Data;
  const quote = ['Id', 'EventID', 'ProviderName', 'Source', 'Message', ...(status ? ['Data'] : [])]
    .map((k) => record.fieldLines[k])
    .filter((l): l is NormalisedLine => !!l);
  const code = status && dataLine ? codeOf(status, dataLine.text, dataLine.from, 'ntstatus') : undefined;
  return makeItem('windows-event', quote, data, { extent: record.lines, codes: [code] });
}

/** `Get-WinEvent | ConvertTo-Json` and `Get-EventLog | ConvertTo-Json`: one item per event. */
function jsonItems(block: Block): Recognition {
  const json = jsonBlock(block.lines);
  if (!json) return { items: [], read: [] };
  const list = Array.isArray(json.value) ? json.value : [json.value];
  const elements = elementLines(json);
  const items: Recognition['items'] = [];
  list.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return;
    const o = entry as Record<string, unknown>;
    let data: WindowsEventData | undefined;
    try {
      if ('ProviderName' in o && 'Id' in o) {
        const record = fromWinEventJson(o as never, index);
        const message = record.data.Message;
        const found = message ? matchTemplate(message) : undefined;
        data = compact<WindowsEventData>({
          form: 'get-winevent-json',
          provider: record.provider,
          eventId: record.eventId,
          channel: record.channel || undefined,
          time: record.timeCreated,
          machine: record.computer || undefined,
          message,
          known: knownOf(record.provider, record.eventId, found?.template),
          parameters: found?.parameters ?? {},
        });
      } else if ('EventID' in o && ('Source' in o || 'Message' in o)) {
        const message = typeof o.Message === 'string' ? o.Message : undefined;
        const found = message ? matchTemplate(message) : undefined;
        const strings = Array.isArray(o.ReplacementStrings)
          ? o.ReplacementStrings.filter((s): s is string => typeof s === 'string')
          : [];
        data = compact<WindowsEventData>({
          form: 'get-eventlog-json',
          provider: typeof o.Source === 'string' ? o.Source : undefined,
          eventId: typeof o.EventID === 'number' ? o.EventID : undefined,
          time: 'TimeGenerated' in o ? jsonTime(o.TimeGenerated as never, `[${index}].TimeGenerated`) : undefined,
          machine: typeof o.MachineName === 'string' ? o.MachineName : undefined,
          level: levelOfEntryType(o.EntryType),
          message,
          known: knownOf(
            typeof o.Source === 'string' ? o.Source : undefined,
            typeof o.EventID === 'number' ? o.EventID : undefined,
            found?.template,
          ),
          parameters: {
            ...(found?.parameters ?? {}),
            ...(strings.length > 0 ? { replacementStrings: strings.join(', ') } : {}),
          },
        });
      }
    } catch {
      // A value of the wrong type (a time that is not a date): not an event export; other recognisers may read it.
      data = undefined;
    }
    if (!data) return;
    const lines = elements[index] ?? json.lines;
    const quote = lines.filter((l) => /^\s*"(?:Id|EventID|ProviderName|Source|Message)"\s*:/.test(l.text));
    const bytes = Array.isArray(o.Data) ? o.Data.filter((b): b is number => typeof b === 'number') : [];
    const status = netlogonStatus(data.provider, bytes);
    const dataLine = lines.find((l) => /^\s*"Data"\s*:/.test(l.text));
    const code =
      status && dataLine ? codeOf(status, `Data: ${bytes.join(', ')}`, dataLine.from, 'ntstatus') : undefined;
    items.push(
      makeItem('windows-event', quote.length > 0 ? quote : lines.slice(0, 1), data, { extent: lines, codes: [code] }),
    );
  });
  return { items, read: items.length > 0 ? json.lines : [] };
}

function definedValues(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined));
}

const SECURITY_TITLES: ReadonlyMap<string, number> = new Map([
  ['An account failed to log on.', 4625],
  ['An account was successfully logged on.', 4624],
  ['A Kerberos authentication ticket (TGT) was requested.', 4768],
  ['A Kerberos service ticket was requested.', 4769],
  ['Kerberos pre-authentication failed.', 4771],
  ['The computer attempted to validate the credentials for an account.', 4776],
]);
const SECTION = /^([A-Z][\w ()/-]{1,60}):$/;
const SECURITY_FIELD = /^\s+([A-Z][\w ()./-]{0,60}?):\s+(\S.*)$/;
const TOP_FIELD = /^([A-Z][\w ]{1,40}):\s+(\S.*)$/;
const DECISIVE_FIELDS =
  /^(?:Failure Information\/(?:Failure Reason|Status|Sub Status)|Logon Type|Account For Which Logon Failed\/Account Name|Additional Information\/(?:Failure Code|Result Code)|Account Information\/Account Name)$/;

/** A Security event's text: its title, then `Section:` lines with tab-indented `Label: value` lines under them. */
function securityItems(lines: readonly NormalisedLine[]): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text;
    const eventId = text.endsWith('.') ? SECURITY_TITLES.get(text.trim()) : undefined;
    if (eventId === undefined) continue;
    const fields: Record<string, string> = {};
    const extent = [lines[i]!];
    const quote = [lines[i]!];
    let section = '';
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const trimmed = line.text.trim();
      if (trimmed === '') continue;
      const indented = /^\s/.test(line.text);
      const heading = indented ? null : SECTION.exec(trimmed);
      const field = indented ? SECURITY_FIELD.exec(line.text) : TOP_FIELD.exec(trimmed);
      if (heading) section = heading[1] ?? '';
      else if (field) {
        // A field at the margin (`Logon Type: 5`) stands between sections.
        if (!indented) section = '';
        const label = (field[1] ?? '').trim();
        const name = section ? `${section}/${label}` : label;
        const value = (field[2] ?? '').trim();
        if (!(name in fields)) fields[name] = value;
        if (DECISIVE_FIELDS.test(name) && value !== '0x0') quote.push(line);
      } else if (/^This event is generated /.test(trimmed)) {
        extent.push(line);
        j++;
        break;
      } else break;
      extent.push(line);
    }
    const kerberos = eventId === 4768 || eventId === 4771;
    const data: WindowsEventData = {
      form: 'security-text',
      provider: 'Microsoft-Windows-Security-Auditing',
      eventId,
      channel: 'Security',
      message: lines[i]!.text.trim(),
      parameters: definedValues({
        account: fields['Account For Which Logon Failed/Account Name'] ?? fields['Account Information/Account Name'],
        logonType: fields['Logon Type'],
        status:
          fields['Failure Information/Status'] ??
          fields['Additional Information/Failure Code'] ??
          fields['Additional Information/Result Code'],
        subStatus: fields['Failure Information/Sub Status'],
        failureReason: fields['Failure Information/Failure Reason'],
        process: fields['Process Information/Caller Process Name'],
      }),
      fields,
    };
    items.push(
      makeItem('windows-event', quote, data, {
        extent,
        codes: kerberos ? quote.flatMap((l) => codesOn(l, 'kerberos')) : [],
      }),
    );
    for (const entry of extent) read.push(entry);
    i = j - 1;
  }
  return { items, read };
}

export function recogniseWindowsEvents(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const record of listRecords(block.lines)) {
    const item = listRecordItem(record);
    if (!item) continue;
    items.push(item);
    for (const entry of record.lines) read.push(entry);
  }
  const json = jsonItems(block);
  const security = securityItems(block.lines);
  const viewer = viewerItems(block.lines);
  const claimed = new Set([...read, ...json.read, ...security.read, ...viewer.read]);
  const text = messageTextItems(block.lines, claimed);
  return {
    items: [...items, ...json.items, ...security.items, ...viewer.items, ...text.items],
    read: [...read, ...json.read, ...security.read, ...viewer.read, ...text.read],
  };
}
