/**
 * Pasted evidence as facts: the items the recognisers found become the facts the live probes and `collect` produce
 * (what nltest, klist and whoami showed inside a container, its inspect data, events, the host's CCG plug-ins,
 * Test-ADServiceAccount), so the same checks judge a paste, a facts file and a live run alike. What no probe gathers
 * (Kubernetes and webhook errors, AD cmdlet errors, look-alikes) becomes `paste.observations`. Every fact remembers
 * the pasted lines it rests on, so a finding can quote them. Pure: no I/O.
 */
import { FactStore } from '../engine/facts.js';
import type { FactKey, FactValue } from '../engine/facts.js';
import { parseCredSpecBytes } from '../credspec/parse.js';
import { adDomain } from '../facts/ad.js';
import type { CommandCapture } from '../facts/common.js';
import type { ContainerExecFacts, ContainerFacts } from '../facts/docker.js';
import type { EventRecord, EventSourceFormat } from '../facts/events.js';
import type { CcgPluginFacts } from '../facts/host.js';
import type { PastedLine, PastedObservation } from '../facts/pasted.js';
import { containerSubject } from '../facts/subjects.js';
import type { Subject } from '../facts/subjects.js';
import { knownEvent } from '../protocol/ccg-events.js';
import { LOGON_FAILED_EVENT } from '../protocol/logon-rights.js';
import type { LogonFailedData } from '../protocol/logon-rights.js';
import { recognise } from './recognise.js';
import { compact } from './item.js';
import type { CommandData, EvidenceItem, EvidenceItemOf, ItemKind } from './types.js';

/** The container a paste's commands ran in when it does not name one. */
export const PASTED_CONTAINER = 'pasted';
/** How a paste names its source in facts and findings. */
export const PASTE_SOURCE = 'paste';

export interface PasteFacts {
  facts: FactStore;
  /** The pasted lines each fact rests on, by `originKey(key, subject)`. */
  origins: Map<string, PastedLine[]>;
  /** The domain, gMSA and container names the paste mentions, for next steps with real values. */
  named: { domain?: string; gmsa?: string; container?: string; host?: string };
}

export function originKey(key: FactKey, subject?: Subject): string {
  return subject ? `${key}@${subject.kind}:${subject.id}` : key;
}

const quoteOf = (item: EvidenceItem): PastedLine[] => item.quote.map((q) => ({ line: q.from, text: q.text }));
const failingCodes = (item: EvidenceItem): string[] => [
  ...new Set(item.codes.filter((c) => c.failing).map((c) => c.name ?? c.hex)),
];

/** `docker exec web1 nltest ...`, `kubectl exec -n ns pod -- ...`, `crictl exec ID ...`: the container named. */
function execTarget(command: CommandData | undefined): string | undefined {
  if (!command) return undefined;
  const words = command.text.split(/\s+/).filter(Boolean);
  const at = words.findIndex((w) => /^(?:docker|kubectl|crictl|nerdctl)(?:\.exe)?$/i.test(w));
  if (at < 0 || words[at + 1]?.toLowerCase() !== 'exec') return undefined;
  const rest = words.slice(at + 2);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--') return undefined;
    if (/^-(?:n|c|u|w|e|-namespace|-container|-user|-workdir|-env)$/.test(word)) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    return word.replace(/^(?:pod\/|pods\/)/, '');
  }
  return undefined;
}

/** nltest statuses that mean Netlogon in the container has no domain identity at all (RPC unavailable, no secret). */
const NO_IDENTITY_STATUSES = new Set([1722, 1786]);

function noIdentity(item: EvidenceItemOf<'nltest'>): boolean {
  const status = item.data.error ?? item.data.failure?.status;
  return status !== undefined && NO_IDENTITY_STATUSES.has(status.code);
}

/** Events of a log file given to explain (an .evtx, a wevtutil or Get-WinEvent export), read as `events` reads it. */
export interface ExportedEvents {
  file: string;
  format: EventSourceFormat;
  records: EventRecord[];
}

class Builder {
  constructor(private readonly exported?: ExportedEvents) {}

  readonly facts = new FactStore();
  readonly origins = new Map<string, PastedLine[]>();
  readonly named: PasteFacts['named'] = {};
  private readonly exec = new Map<string, ContainerExecFacts>();
  private readonly containers = new Map<string, ContainerFacts>();
  private readonly events: EventRecord[] = [];
  private readonly observations: PastedObservation[] = [];
  private plugins: CcgPluginFacts | undefined;
  private readonly specs: FactValue<'credspec.documents'> = [];
  private readonly specErrors: FactValue<'credspec.readErrors'> = [];
  private readonly tests: Record<string, CommandCapture> = {};
  private lastCommand: CommandData | undefined;

  private rest(key: string, item: EvidenceItem): void {
    this.origins.set(key, [...(this.origins.get(key) ?? []), ...quoteOf(item)]);
  }

  private capture(item: EvidenceItem & { data: { output: string } }, fallback: string, ok: boolean): CommandCapture {
    const typed = this.lastCommand?.text;
    return {
      command: typed && typed.toLowerCase().includes(fallback.split(' ')[0]!) ? typed : fallback,
      exitCode: ok ? 0 : 1,
      stdout: item.data.output,
      stderr: '',
      timedOut: false,
      notFound: false,
    };
  }

  /** The container the current command ran in: the one it names, the only one inspected, or the pasted one. */
  private containerId(): string {
    const target = execTarget(this.lastCommand);
    if (target) {
      const known = [...this.containers.values()].find(
        (c) => c.name.replace(/^\//, '') === target || c.id.startsWith(target),
      );
      return known?.id ?? target;
    }
    if (this.containers.size === 1) return [...this.containers.keys()][0]!;
    return PASTED_CONTAINER;
  }

  private execOf(item: EvidenceItem, update: (exec: ContainerExecFacts) => void): void {
    const id = this.containerId();
    const exec = this.exec.get(id) ?? {};
    update(exec);
    this.exec.set(id, exec);
    this.rest(originKey('container.exec', containerSubject(id)), item);
  }

  nltest(item: EvidenceItemOf<'nltest'>): void {
    const { subcommand, argument } = item.data;
    const command = subcommand === 'unknown' ? 'nltest' : `nltest /${subcommand}${argument ? `:${argument}` : ''}`;
    const capture = this.capture(item, command, item.data.ok);
    if (argument && /\./.test(argument)) this.named.domain ??= argument.toLowerCase();
    this.execOf(item, (exec) => {
      if (argument) exec.domain ??= argument;
      if (subcommand === 'query') exec.query = capture;
      else if (subcommand === 'sc_verify' || subcommand === 'sc_query' || subcommand === 'sc_reset')
        exec.scVerify = !exec.scVerify || subcommand === 'sc_verify' ? capture : exec.scVerify;
      else if (!item.data.ok && (subcommand === 'dsgetdc' || subcommand === 'dcname')) exec.scVerify ??= capture;
      // Any Netlogon call that fails for want of an identity (1722, 1786) says what /query would: none was given.
      else if (noIdentity(item)) exec.query ??= capture;
    });
  }

  klist(item: EvidenceItemOf<'klist'>): void {
    const { subcommand, target } = item.data;
    if (subcommand !== 'get' && subcommand !== 'tgt' && subcommand !== 'tickets') return;
    const command =
      subcommand === 'get' ? `klist get ${target ?? 'krbtgt'}` : subcommand === 'tgt' ? 'klist tgt' : 'klist';
    const capture = this.capture(item, command, item.data.retrieved);
    this.execOf(item, (exec) => {
      // `klist get krbtgt` says the most; a plain ticket list only when nothing better was pasted.
      if (!exec.klist || subcommand === 'get' || (subcommand === 'tgt' && !/klist get/.test(exec.klist.command)))
        exec.klist = capture;
    });
  }

  whoami(item: EvidenceItemOf<'whoami'>): void {
    this.execOf(item, (exec) => (exec.whoami = this.capture(item, 'whoami', true)));
  }

  inspect(item: EvidenceItemOf<'docker-inspect'>): void {
    if (item.data.form === 'fragment' && item.data.containers.length === 0) return this.fragment(item);
    for (const container of item.data.containers) {
      this.containers.set(container.id, { ...container, selected: true });
      this.rest(originKey('container.inspect', containerSubject(container.id)), item);
      this.named.container ??= container.name.replace(/^\//, '');
    }
  }

  credentialSpec(item: EvidenceItemOf<'credential-spec'>): void {
    const file = `the credential spec from line ${item.data.firstLine}`;
    const parsed = parseCredSpecBytes(Buffer.from(item.data.text, 'utf8'), `${file}.json`);
    this.specs.push(...parsed.documents.map((d) => ({ ...d, file })));
    this.specErrors.push(...parsed.errors.map((e) => ({ ...e, file })));
    this.rest('credspec.documents', item);
  }

  /** Some fields of `docker inspect` (`"SecurityOpt": null`): the container the paste is about, as far as shown. */
  private fragment(item: EvidenceItemOf<'docker-inspect'>): void {
    const { securityOpt, credentialSpecOption, hostname, isolation, user, fields } = item.data;
    const id = this.containerId();
    const known = this.containers.get(id) ?? pastedContainer(id);
    this.containers.set(id, {
      ...known,
      shown: [...new Set([...(known.shown ?? []), ...fields])],
      ...(securityOpt !== undefined ? { securityOpt: securityOpt ?? [] } : {}),
      ...compact({ credentialSpecOption, hostname, isolation, user }),
    });
    this.rest(originKey('container.inspect', containerSubject(id)), item);
  }

  /** A start error (HCS, the daemon) of the container the paste is about. */
  startError(item: EvidenceItem, text: string): void {
    const id = this.containerId();
    const known = this.containers.get(id);
    if (known?.stateError) return;
    this.containers.set(
      id,
      known
        ? { ...known, stateError: text }
        : pastedContainer(id, { stateError: text, ...runOptions(this.lastCommand) }),
    );
    this.rest(originKey('container.inspect', containerSubject(id)), item);
  }

  event(item: EvidenceItemOf<'windows-event'>): void {
    const record = eventRecordOf(item, this.events.length + 1);
    if (!record) return;
    this.events.push(record);
    this.rest('events.log', item);
    const gmsa = item.data.parameters.gmsa;
    if (gmsa) this.named.gmsa ??= gmsa.replace(/\$$/, '');
  }

  registry(item: EvidenceItemOf<'registry'>): void {
    if (item.data.ccgPlugins.length === 0) return;
    const plugins = (this.plugins ??= { registered: [], classes: {} });
    for (const plugin of item.data.ccgPlugins) {
      const clsid = `{${plugin.clsid.replace(/[{}]/g, '').toUpperCase()}}`;
      if (plugin.underControl) {
        if (!plugins.registered.includes(clsid)) plugins.registered.push(clsid);
        plugins.classes[clsid] = { ...plugins.classes[clsid], ccgRegistered: true };
      } else if (!plugins.registered.includes(clsid)) {
        plugins.classes[clsid] = { ccgRegistered: false, registeredWithoutControl: true };
      }
    }
    this.rest('host.ccgPlugins', item);
  }

  testAdServiceAccount(item: EvidenceItemOf<'test-adserviceaccount'>): void {
    const identity = (item.data.identity ?? this.named.gmsa ?? 'gmsa').replace(/\$$/, '');
    const { result, warning } = item.data;
    // What the cmdlet prints, without the paste's decoration (`-> True`): its warnings, then True or False.
    const printed =
      result === undefined
        ? item.data.output
        : [warning ? `WARNING: ${warning}` : '', result ? 'True' : 'False'].join('\n').trim();
    this.tests[identity] = {
      ...this.capture(item, `Test-ADServiceAccount ${identity}`, result !== false),
      stdout: printed,
    };
    this.named.gmsa ??= identity;
    this.rest('host.commands', item);
  }

  adObject(item: EvidenceItemOf<'ad-object'>): void {
    const { data } = item;
    if (data.objectType === 'domain' && data.domain) {
      const { dnsRoot, netbiosName, domainSid, objectGuid, forest, distinguishedName } = data.domain;
      const domain = adDomain.safeParse({
        dnsName: dnsRoot?.toLowerCase(),
        netbiosName,
        forestDnsName: forest?.toLowerCase(),
        sid: domainSid,
        guid: objectGuid?.toLowerCase(),
        baseDn: distinguishedName,
      });
      if (domain.success) {
        this.facts.set('ad.domain', domain.data, { source: PASTE_SOURCE });
        this.rest('ad.domain', item);
      }
      this.named.domain ??= dnsRoot?.toLowerCase();
    }
    if (data.objectType === 'service-account' && data.name) this.named.gmsa ??= data.name.replace(/\$$/, '');
    if (data.objectType === 'computer' && data.name) this.named.host ??= data.name.replace(/\$$/, '');
    this.observe(item, {
      kind: 'ad-object',
      objectType: data.objectType,
      ...(data.cmdlet ? { cmdlet: data.cmdlet } : {}),
      ...compact({ name: data.name ?? data.samAccountName ?? /^CN=([^,]+)/i.exec(data.distinguishedName ?? '')?.[1] }),
      ...(data.enabled !== undefined ? { enabled: data.enabled } : {}),
      ...(data.principalsAllowedToRetrieveManagedPassword
        ? { principalsAllowedToRetrieveManagedPassword: data.principalsAllowedToRetrieveManagedPassword }
        : {}),
    });
  }

  observe(item: EvidenceItem, observation: DistributiveOmit<PastedObservation, 'quote' | 'codes'>): void {
    this.observations.push({ ...observation, quote: quoteOf(item), codes: failingCodes(item) });
  }

  command(item: EvidenceItemOf<'command'>): void {
    this.lastCommand = item.data;
    const gmsa = /\bTest-ADServiceAccount\s+(?:-Identity\s+)?["']?([\w.-]+)/i.exec(item.data.text)?.[1];
    if (gmsa) this.named.gmsa ??= gmsa.replace(/\$$/, '');
  }

  finish(): PasteFacts {
    for (const [id, exec] of this.exec) {
      const subject = containerSubject(id);
      if (!this.containers.has(id)) this.containers.set(id, pastedContainer(id));
      this.facts.set('container.exec', exec, { subject, source: PASTE_SOURCE });
    }
    for (const [id, container] of this.containers)
      this.facts.set('container.inspect', container, { subject: containerSubject(id), source: PASTE_SOURCE });
    const sources = [
      ...(this.events.length > 0
        ? [{ file: PASTE_SOURCE, format: 'text' as const, records: this.events.length, relevant: this.events.length }]
        : []),
      ...(this.exported
        ? [
            {
              file: this.exported.file,
              format: this.exported.format,
              records: this.exported.records.length,
              relevant: this.exported.records.length,
            },
          ]
        : []),
    ].map((source) => ({ ...source, warnings: [] }));
    if (sources.length > 0)
      this.facts.set(
        'events.log',
        { sources, events: [...(this.exported?.records ?? []), ...this.events] },
        { source: PASTE_SOURCE },
      );
    if (this.plugins) this.facts.set('host.ccgPlugins', this.plugins, { source: PASTE_SOURCE });
    if (this.specs.length > 0 || this.specErrors.length > 0) {
      this.facts.set('credspec.documents', this.specs, { source: PASTE_SOURCE });
      this.facts.set('credspec.readErrors', this.specErrors, { source: PASTE_SOURCE });
    }
    if (Object.keys(this.tests).length > 0)
      this.facts.set('host.commands', { testAdServiceAccount: this.tests }, { source: PASTE_SOURCE });
    if (this.observations.length > 0) this.facts.set('paste.observations', this.observations, { source: PASTE_SOURCE });
    return { facts: this.facts, origins: this.origins, named: this.named };
  }
}

/**
 * What `docker run` was given, when the paste shows the command before its error: the credential spec option, the
 * hostname and the user are then the container's own (shown), not unknown.
 */
export function runOptions(command: CommandData | undefined): Partial<ContainerFacts> {
  if (!command || command.program !== 'docker' || !/^(?:container\s+)?(?:run|create)\b/.test(command.args)) return {};
  const value = (flag: string): string | undefined =>
    new RegExp(`(?:^|\\s)${flag}(?:=|\\s+)(?:"([^"]*)"|'([^']*)'|(\\S+))`)
      .exec(command.args)
      ?.slice(1)
      .find((v) => v !== undefined);
  const securityOpt = [...command.args.matchAll(/--security-opt(?:=|\s+)(?:"([^"]*)"|'([^']*)'|(\S+))/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );
  const hostname = value('(?:-h|--hostname)');
  const user = value('(?:-u|--user)');
  const isolation = value('--isolation');
  const credentialSpecOption = securityOpt.find((o) => /^credentialspec=/i.test(o));
  return {
    securityOpt,
    shown: [
      'SecurityOpt',
      ...(hostname ? ['Hostname'] : []),
      ...(user ? ['User'] : []),
      ...(isolation ? ['Isolation'] : []),
    ],
    ...compact({ credentialSpecOption, hostname, user, isolation }),
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function pastedContainer(id: string, extra: Partial<ContainerFacts> = {}): ContainerFacts {
  const name = id === PASTED_CONTAINER ? 'the container' : id;
  return { id, name, running: true, securityOpt: [], dns: [], seen: 'paste', ...extra };
}

/**
 * The labelled fields of a Security event's text (`Section/Label`, as the windows-event recogniser keys them) and the
 * data names of the same event in an export (Microsoft's schema), in the schema's order.
 */
const SECURITY_TEXT_DATA: Readonly<Record<number, readonly (readonly [LogonFailedData, string])[]>> = {
  [LOGON_FAILED_EVENT]: [
    ['SubjectUserSid', 'Subject/Security ID'],
    ['SubjectUserName', 'Subject/Account Name'],
    ['SubjectDomainName', 'Subject/Account Domain'],
    ['SubjectLogonId', 'Subject/Logon ID'],
    ['TargetUserSid', 'Account For Which Logon Failed/Security ID'],
    ['TargetUserName', 'Account For Which Logon Failed/Account Name'],
    ['TargetDomainName', 'Account For Which Logon Failed/Account Domain'],
    ['Status', 'Failure Information/Status'],
    ['FailureReason', 'Failure Information/Failure Reason'],
    ['SubStatus', 'Failure Information/Sub Status'],
    ['LogonType', 'Logon Type'],
    ['LogonProcessName', 'Detailed Authentication Information/Logon Process'],
    ['AuthenticationPackageName', 'Detailed Authentication Information/Authentication Package'],
    ['WorkstationName', 'Network Information/Workstation Name'],
    ['TransmittedServices', 'Detailed Authentication Information/Transited Services'],
    ['LmPackageName', 'Detailed Authentication Information/Package Name (NTLM only)'],
    ['KeyLength', 'Detailed Authentication Information/Key Length'],
    ['ProcessId', 'Process Information/Caller Process ID'],
    ['ProcessName', 'Process Information/Caller Process Name'],
    ['IpAddress', 'Network Information/Source Network Address'],
    ['IpPort', 'Network Information/Source Port'],
  ],
};

/**
 * An event pasted as text, as the record an event log export gives: the message's parameters in the order the
 * provider writes them (%1, %2...), and a Security event's labelled fields under the data names of its schema
 * (4625: TargetUserName, Status, SubStatus, LogonType...), so the event checks read it as they read .evtx.
 */
export function eventRecordOf(item: EvidenceItemOf<'windows-event'>, recordId: number): EventRecord | undefined {
  const { data } = item;
  const [providerOfKey, idOfKey] = data.known?.key.split('/') ?? [];
  const provider = data.provider ?? providerOfKey;
  const eventId = data.eventId ?? (idOfKey && /^\d+$/.test(idOfKey) ? Number(idOfKey) : undefined);
  if (!provider || eventId === undefined) return undefined;
  const known = knownEvent(provider, eventId);
  const values: Record<string, string> = {};
  const fields = data.form === 'security-text' ? data.fields : undefined;
  const labelled = fields ? SECURITY_TEXT_DATA[eventId] : undefined;
  if (fields && labelled) {
    for (const [name, label] of labelled) {
      const value = fields[label];
      if (value !== undefined) values[name] = value;
    }
  } else if (known) {
    known.parameters.forEach((name, i) => {
      values[`Data[${i}]`] = data.parameters[name === 'detail' ? `detail${i + 1}` : name] ?? '';
    });
    // An event whose text has no parameter of its own (11507) keeps its whole message: its status is in there.
    if (known.parameters.every((_, i) => !values[`Data[${i}]`]) && data.message) values.Message = data.message;
  } else {
    Object.assign(values, data.fields ?? {}, data.parameters);
    if (data.message) values.Message = data.message;
  }
  return {
    recordId,
    timeCreated: data.time ?? '',
    provider: known?.provider ?? provider,
    eventId,
    channel: data.channel ?? '',
    computer: data.machine ?? '',
    data: values,
  };
}

/**
 * The events of a text (a paste, or a file saved from Event Viewer, Format-List or Get-EventLog), as records: what
 * `gmsa-doctor events` and `check --events` read from a file that is neither .evtx nor an XML or JSON export.
 * Events the text names by message alone get their provider and id from it; one that has neither is left out.
 */
export function eventRecordsOfText(text: string): EventRecord[] {
  const records: EventRecord[] = [];
  for (const item of recognise(text).items) {
    if (item.kind !== 'windows-event') continue;
    const record = eventRecordOf(item, records.length + 1);
    if (record) records.push(record);
  }
  return records;
}

/** Each item, where its facts go. */
const MAPPERS: { [K in ItemKind]?: (builder: Builder, item: EvidenceItemOf<K>) => void } = {
  command: (b, item) => b.command(item),
  nltest: (b, item) => b.nltest(item),
  klist: (b, item) => b.klist(item),
  whoami: (b, item) => b.whoami(item),
  'docker-inspect': (b, item) => b.inspect(item),
  'windows-event': (b, item) => b.event(item),
  registry: (b, item) => b.registry(item),
  'test-adserviceaccount': (b, item) => b.testAdServiceAccount(item),
  'ad-object': (b, item) => b.adObject(item),
  'credential-spec': (b, item) => b.credentialSpec(item),
  'docker-info': (b, item) => {
    b.facts.set('docker.info', item.data, { source: PASTE_SOURCE });
    b.origins.set('docker.info', quoteOf(item));
  },
  'hcs-error': (b, item) => {
    if (!item.lookAlike) b.startError(item, item.quote.map((q) => q.text).join(' '));
  },
  'docker-daemon-error': (b, item) => {
    if (!item.lookAlike && item.codes.some((c) => c.failing)) b.startError(item, item.data.message);
  },
  'credspec-error': (b, item) =>
    b.observe(item, {
      kind: 'credspec-refused',
      problem: item.data.problem,
      ...compact({ file: item.data.file, container: item.data.container, reason: item.data.reason }),
    }),
  'webhook-call-error': (b, item) =>
    b.observe(item, {
      kind: 'webhook-call',
      webhook: item.data.webhook,
      gmsaWebhook: item.data.gmsaWebhook,
      problem: item.data.problem,
      detail: item.data.detail,
      ...compact({ service: item.data.service, url: item.data.url }),
    }),
  'webhook-denial': (b, item) =>
    b.observe(item, {
      kind: 'webhook-denial',
      webhook: item.data.webhook,
      gmsaWebhook: item.data.gmsaWebhook,
      reason: item.data.reason,
      message: item.data.message,
      ...compact({
        serviceAccount: item.data.serviceAccount,
        credspec: item.data.credspec,
        resourceKind: item.data.resourceKind,
        resource: item.data.resource,
      }),
    }),
  'webhook-log': (b, item) =>
    b.observe(item, { kind: 'webhook-log', problem: item.data.problem, message: item.data.message }),
  'webhook-deploy': (b, item) =>
    b.observe(item, {
      kind: 'webhook-log',
      problem: item.data.problem === 'certificate-not-issued' ? 'certificate-not-issued' : 'other',
      message: item.data.message,
    }),
  'k8s-csr': (b, item) =>
    b.observe(item, {
      kind: 'csr',
      name: item.data.name,
      condition: item.data.condition,
      ...compact({ signerName: item.data.signerName }),
    }),
  'kubectl-error': (b, item) =>
    b.observe(item, {
      kind: 'kubectl-error',
      problem: item.data.problem,
      message: item.data.message,
      ...compact({
        resourceKind: item.data.kind,
        apiVersion: /^(?:[a-z0-9.-]+\/)?v\d+(?:(?:alpha|beta)\d+)?$/.test(item.data.apiVersion ?? '')
          ? item.data.apiVersion
          : undefined,
        field: item.data.field,
      }),
    }),
  'powershell-error': (b, item) => {
    const { data } = item;
    if (!data.adModule && !/-AD[A-Z]|ServiceAccount/.test(data.source)) return;
    b.observe(item, {
      kind: 'ad-cmdlet-error',
      cmdlet: data.source,
      problem: data.problem,
      message: data.message ?? '',
      ...compact({ computerName: data.computerName }),
    });
  },
  'linux-kerberos': (b, item) =>
    b.observe(item, {
      kind: 'kerberos-client-error',
      tool: item.data.tool,
      problem: item.data.problem,
      message: item.data.message,
      ...compact({ principal: item.data.principal }),
    }),
  'credentials-fetcher': (b, item) =>
    b.observe(item, {
      kind: 'credentials-fetcher',
      outcome: item.data.outcome,
      message: item.data.message,
      ...compact({ account: item.data.account }),
    }),
  'netlogon-log': (b, item) =>
    b.observe(item, {
      kind: 'netlogon-log',
      event: item.data.event,
      text: item.data.text,
      ...compact({
        domain: item.data.domain,
        dc: item.data.dc,
        status: item.codes.find((c) => c.failing)?.name ?? item.data.status,
      }),
    }),
};

/** The facts of a paste's items, in paste order (a command goes with the output after it). */
export function factsOfEvidence(items: readonly EvidenceItem[], exported?: ExportedEvents): PasteFacts {
  const builder = new Builder(exported);
  // Inspect data first: commands pasted before it may run in the container it describes.
  for (const item of items) if (item.kind === 'docker-inspect') builder.inspect(item);
  for (const item of items) {
    // A look-alike is only that: its text says nothing of the gMSA's links.
    if (item.kind !== 'docker-inspect' && !item.lookAlike)
      (MAPPERS[item.kind] as ((b: Builder, i: EvidenceItem) => void) | undefined)?.(builder, item);
    if (item.lookAlike)
      builder.observe(item, {
        kind: 'look-alike',
        id: item.lookAlike.id,
        what: item.lookAlike.what,
        certain: item.lookAlike.certain,
        ...(item.lookAlike.or ? { or: item.lookAlike.or } : {}),
      });
  }
  return builder.finish();
}
