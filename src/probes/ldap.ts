/**
 * The LDAP probe: one session to a DC, named attributes only (never `*` or `+`, so the managed password can never
 * be fetched), paged subtree searches, binary attributes as buffers, and always an unbind at the end.
 */
import type { Client, Entry } from 'ldapts';
import type { CheckOptions } from '../engine/options.js';
import type { FactKey, FactReader } from '../engine/facts.js';
import type { Probe, ProbeOutput, SubjectOutput } from '../engine/probe.js';
import { gmsaSubject } from '../facts/subjects.js';
import { unavailable } from '../engine/probe.js';
import { guidToString } from '../protocol/guid.js';
import { parseSecurityDescriptor } from '../protocol/security-descriptor.js';
import { sidToString } from '../protocol/sid.js';
import { classifyLdapError, openLdapSession, portOf } from './ldap-session.js';
import type { LdapSession, LdapTarget } from './ldap-session.js';
import type {
  AdAccount,
  AdAccountLookup,
  AdConnection,
  AdConnectionProblem,
  AdDomain,
  AdGroup,
  AdHost,
  AdObjectSummary,
} from '../facts/ad.js';
import type { DcCandidate } from '../facts/network.js';

const RUN_FACTS = ['ad.connection', 'ad.domain', 'ad.accounts'] as const satisfies readonly FactKey[];
/** Read when a container host is named. */
const HOST_FACTS = ['ad.host', 'ad.hostGroups'] as const satisfies readonly FactKey[];
/** Read for each gMSA, each its own subject's. */
const GMSA_FACTS = ['ad.gmsa', 'ad.similarNames', 'ad.sidNames', 'ad.spns'] as const satisfies readonly FactKey[];

const BINARY = ['objectSid', 'objectGUID', 'msDS-GroupMSAMembership', 'tokenGroups'];
const PAGED = { pageSize: 500 };

const ACCOUNT_ATTRIBUTES = [
  'objectClass',
  'sAMAccountName',
  'objectSid',
  'userAccountControl',
  'servicePrincipalName',
  'dNSHostName',
  'msDS-SupportedEncryptionTypes',
  'msDS-GroupMSAMembership',
];
const HOST_ATTRIBUTES = [
  'objectClass',
  'sAMAccountName',
  'objectSid',
  'dNSHostName',
  'memberOf',
  'primaryGroupID',
  'lastLogonTimestamp',
  'lastLogon',
];
const GROUP_ATTRIBUTES = [
  'objectClass',
  'sAMAccountName',
  'objectSid',
  'whenChanged',
  'memberOf',
  'msDS-ReplValueMetaData',
];

/** What the run asks AD about. */
export interface AdQuery {
  /** The gMSAs to judge, each a subject of the run. */
  gmsas: string[];
  host?: string;
  /** The host was named with --host (not found by discovery). */
  hostGiven?: boolean;
  /** The DNS domain of the host when --host was a FQDN. */
  hostDomain?: string;
  clientNames: string[];
  /** Other account names (from credential specs) to look up. */
  otherAccounts: string[];
}

// ----- value helpers (pure) -------------------------------------------------------------------------------

function values(entry: Entry, name: string): (string | Buffer)[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function text(entry: Entry, name: string): string | undefined {
  const first = values(entry, name)[0];
  return first === undefined ? undefined : first.toString();
}

function texts(entry: Entry, name: string): string[] {
  return values(entry, name).map(String);
}

function buffer(entry: Entry, name: string): Buffer | undefined {
  const first = values(entry, name)[0];
  return first === undefined ? undefined : Buffer.isBuffer(first) ? first : Buffer.from(first);
}

function numberOf(entry: Entry, name: string): number | undefined {
  const raw = text(entry, name);
  return raw === undefined || raw === '' ? undefined : Number(raw);
}

/** FILETIME (100 ns since 1601) as ISO 8601; 0 and "never" (0x7fff...) give undefined. */
export function fileTimeToIso(raw: string | undefined): string | undefined {
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const ticks = BigInt(raw);
  if (ticks === 0n || ticks >= 0x7fffffffffffffffn) return undefined;
  return new Date(Number(ticks / 10000n - 11644473600000n)).toISOString();
}

/** GeneralizedTime (20261126062448.0Z) as ISO 8601. */
export function generalizedTimeToIso(raw: string | undefined): string | undefined {
  const m = raw && /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(raw);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : undefined;
}

/**
 * msDS-ReplValueMetaData values (Windows returns each as a small XML document): when each member value was
 * created, by member DN (lower-case). Values of other attributes and deleted values are skipped.
 */
export function memberCreationTimes(xmlValues: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const field = (xml: string, tag: string): string | undefined => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
  for (const xml of xmlValues) {
    if (field(xml, 'pszAttributeName')?.toLowerCase() !== 'member') continue;
    const dn = field(xml, 'pszObjectDn');
    const created = field(xml, 'ftimeCreated');
    const deleted = field(xml, 'ftimeDeleted');
    if (!dn || !created || (deleted && !deleted.startsWith('1601-'))) continue;
    out[dn.toLowerCase()] = new Date(created).toISOString();
  }
  return out;
}

/** RFC 4515 escaping of a string assertion value. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function anyOf(filters: string[]): string {
  return filters.length === 1 ? filters[0]! : `(|${filters.join('')})`;
}

function summary(entry: Entry): AdObjectSummary {
  const sam = text(entry, 'sAMAccountName');
  return { dn: entry.dn, ...(sam ? { sAMAccountName: sam } : {}), objectClass: texts(entry, 'objectClass') };
}

function sidOf(entry: Entry): string {
  const bytes = buffer(entry, 'objectSid');
  return bytes ? sidToString(bytes) : '';
}

function toAccount(entry: Entry): AdAccount {
  const enc = numberOf(entry, 'msDS-SupportedEncryptionTypes');
  const sd = buffer(entry, 'msDS-GroupMSAMembership');
  const dns = text(entry, 'dNSHostName');
  return {
    ...summary(entry),
    objectSid: sidOf(entry),
    userAccountControl: numberOf(entry, 'userAccountControl') ?? 0,
    servicePrincipalNames: texts(entry, 'servicePrincipalName'),
    ...(dns ? { dnsHostName: dns } : {}),
    ...(enc === undefined ? {} : { supportedEncryptionTypes: enc }),
    ...(sd ? { membershipDescriptorHex: sd.toString('hex') } : {}),
  };
}

// ----- the reads ------------------------------------------------------------------------------------------

class AdReader {
  constructor(
    private readonly client: Client,
    readonly baseDn: string,
  ) {}

  async sub(filter: string, attributes: string[]): Promise<Entry[]> {
    const { searchEntries } = await this.client.search(this.baseDn, {
      scope: 'sub',
      filter,
      attributes,
      explicitBufferAttributes: BINARY,
      paged: PAGED,
    });
    return searchEntries;
  }

  async base(dn: string, attributes: string[]): Promise<Entry | undefined> {
    const { searchEntries } = await this.client.search(dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes,
      explicitBufferAttributes: BINARY,
    });
    return searchEntries[0];
  }

  async oneLevel(dn: string, filter: string, attributes: string[]): Promise<Entry[]> {
    const { searchEntries } = await this.client.search(dn, {
      scope: 'one',
      filter,
      attributes,
      explicitBufferAttributes: BINARY,
    });
    return searchEntries;
  }
}

async function readDomain(client: Client): Promise<{ domain: AdDomain; reader: AdReader }> {
  const { searchEntries } = await client.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['defaultNamingContext', 'rootDomainNamingContext', 'configurationNamingContext', 'dnsHostName'],
  });
  const root = searchEntries[0];
  const baseDn = root && text(root, 'defaultNamingContext');
  if (!root || !baseDn) throw new Error('the rootDSE has no defaultNamingContext: is this an Active Directory DC?');
  const reader = new AdReader(client, baseDn);
  const domainEntry = await reader.base(baseDn, ['objectSid', 'objectGUID']);
  const guid = domainEntry && buffer(domainEntry, 'objectGUID');
  if (!domainEntry || !guid) throw new Error(`cannot read objectSid/objectGUID of ${baseDn}`);
  const forestDn = text(root, 'rootDomainNamingContext') ?? baseDn;
  const configDn = text(root, 'configurationNamingContext');
  const crossRefs = configDn
    ? await reader.oneLevel(
        `CN=Partitions,${configDn}`,
        `(&(objectClass=crossRef)${anyOf([`(nCName=${escapeFilterValue(baseDn)})`, `(nCName=${escapeFilterValue(forestDn)})`])})`,
        ['nCName', 'nETBIOSName', 'dnsRoot'],
      )
    : [];
  const refFor = (dn: string): Entry | undefined =>
    crossRefs.find((r) => text(r, 'nCName')?.toLowerCase() === dn.toLowerCase());
  const own = refFor(baseDn);
  const dnsFromDn = (dn: string): string =>
    dn
      .split(',')
      .map((rdn) => rdn.replace(/^DC=/i, ''))
      .join('.')
      .toLowerCase();
  const dcName = text(root, 'dnsHostName');
  const netbios = own && text(own, 'nETBIOSName');
  const domain: AdDomain = {
    dnsName: (own && text(own, 'dnsRoot')) ?? dnsFromDn(baseDn),
    forestDnsName: (() => {
      const forest = refFor(forestDn);
      return (forest && text(forest, 'dnsRoot')) ?? dnsFromDn(forestDn);
    })(),
    sid: sidOf(domainEntry),
    guid: guidToString(guid),
    baseDn,
    ...(netbios ? { netbiosName: netbios } : {}),
    ...(dcName ? { dcDnsHostName: dcName } : {}),
  };
  return { domain, reader };
}

async function lookupAccounts(reader: AdReader, names: string[]): Promise<Map<string, AdAccount>> {
  const found = new Map<string, AdAccount>();
  if (names.length === 0) return found;
  const entries = await reader.sub(
    anyOf(names.map((n) => `(sAMAccountName=${escapeFilterValue(n)}$)`)),
    ACCOUNT_ATTRIBUTES,
  );
  for (const entry of entries) {
    const sam = text(entry, 'sAMAccountName');
    if (sam) found.set(sam.replace(/\$$/, '').toLowerCase(), toAccount(entry));
  }
  return found;
}

async function lookupHost(reader: AdReader, name: string): Promise<AdHost | null> {
  const [entry] = await reader.sub(`(sAMAccountName=${escapeFilterValue(name)}$)`, HOST_ATTRIBUTES);
  if (!entry) return null;
  // tokenGroups is computed by the DC, and only on a base-scope read of the object itself.
  const tokens = await reader.base(entry.dn, ['tokenGroups']);
  const dns = text(entry, 'dNSHostName');
  const lastLogonTimestamp = fileTimeToIso(text(entry, 'lastLogonTimestamp'));
  const lastLogon = fileTimeToIso(text(entry, 'lastLogon'));
  const primaryGroupId = numberOf(entry, 'primaryGroupID');
  return {
    ...summary(entry),
    objectSid: sidOf(entry),
    ...(dns ? { dnsHostName: dns } : {}),
    tokenGroups: tokens
      ? values(tokens, 'tokenGroups').map((v) => sidToString(Buffer.isBuffer(v) ? v : Buffer.from(v)))
      : [],
    memberOf: texts(entry, 'memberOf'),
    ...(primaryGroupId === undefined ? {} : { primaryGroupId }),
    ...(lastLogonTimestamp ? { lastLogonTimestamp } : {}),
    ...(lastLogon ? { lastLogon } : {}),
  };
}

function descriptorSids(account: AdAccount | null | undefined): string[] {
  if (!account?.membershipDescriptorHex) return [];
  try {
    return (parseSecurityDescriptor(Buffer.from(account.membershipDescriptorHex, 'hex')).dacl?.aces ?? []).map(
      (ace) => ace.sid,
    );
  } catch {
    return []; // host/can-retrieve-password reports the damaged descriptor.
  }
}

/** sAMAccountName of each SID, and the groups among them (with the data the reboot check needs). */
async function lookupSids(
  reader: AdReader,
  sids: string[],
  host: AdHost | null,
): Promise<{ names: Record<string, string>; groups: AdGroup[] }> {
  const names: Record<string, string> = {};
  const groups: AdGroup[] = [];
  const unique = [...new Set(sids)].filter((sid) => sid.startsWith('S-1-5-21-'));
  if (unique.length === 0) return { names, groups };
  // AD (and Samba) accept the string form of a SID in a filter; ldapts would mangle a \hh-escaped binary value.
  const entries = await reader.sub(anyOf(unique.map((sid) => `(objectSid=${sid})`)), GROUP_ATTRIBUTES);
  const relevantMembers = new Set(
    [host?.dn, ...entries.map((e) => e.dn)].filter((dn): dn is string => !!dn).map((dn) => dn.toLowerCase()),
  );
  for (const entry of entries) {
    const sid = sidOf(entry);
    const sam = text(entry, 'sAMAccountName');
    if (sam) names[sid] = sam;
    if (!texts(entry, 'objectClass').includes('group') || !host?.tokenGroups.includes(sid)) continue;
    const created = memberCreationTimes(texts(entry, 'msDS-ReplValueMetaData'));
    const relevant = Object.fromEntries(Object.entries(created).filter(([dn]) => relevantMembers.has(dn)));
    const whenChanged = generalizedTimeToIso(text(entry, 'whenChanged'));
    groups.push({
      dn: entry.dn,
      sid,
      ...(sam ? { sAMAccountName: sam } : {}),
      ...(whenChanged ? { whenChanged } : {}),
      memberOf: texts(entry, 'memberOf'),
      ...(Object.keys(created).length ? { memberAddedAt: relevant } : {}),
    });
  }
  return { names, groups };
}

async function lookupSpnHolders(reader: AdReader, spns: string[]): Promise<Record<string, AdObjectSummary[]>> {
  const holders: Record<string, AdObjectSummary[]> = Object.fromEntries(spns.map((s) => [s.toLowerCase(), []]));
  if (spns.length === 0) return holders;
  const entries = await reader.sub(anyOf(spns.map((s) => `(servicePrincipalName=${escapeFilterValue(s)})`)), [
    'sAMAccountName',
    'objectClass',
    'servicePrincipalName',
  ]);
  for (const entry of entries) {
    for (const spn of texts(entry, 'servicePrincipalName')) holders[spn.toLowerCase()]?.push(summary(entry));
  }
  return holders;
}

/** The gMSA's own SPNs and those of the names clients use: the SPNs whose holders matter for it. */
function spnsOf(account: AdAccount | null, clientNames: readonly string[]): string[] {
  return [...(account?.servicePrincipalNames ?? []), ...clientNames.flatMap((n) => [`host/${n}`, `HTTP/${n}`])];
}

const pick = <V>(record: Record<string, V>, keys: readonly string[]): Record<string, V> =>
  Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]!]));

/** Reads the domain, the host and every gMSA asked about over one session; each gMSA's facts are its own subject's. */
export async function readAd(session: LdapSession, query: AdQuery): Promise<ProbeOutput> {
  const { domain, reader } = await readDomain(session.client);
  const names = [...query.gmsas, ...query.otherAccounts];
  const accounts = await lookupAccounts(reader, [...new Set(names.map((n) => n.toLowerCase()))]);
  const lookup = (name: string): AdAccountLookup => ({ name, account: accounts.get(name.toLowerCase()) ?? null });
  const gmsas = query.gmsas.map(lookup);
  // A host named by a FQDN of another domain is not looked up here: a same-named computer of this domain is another machine.
  const foreign = query.hostDomain !== undefined && query.hostDomain !== domain.dnsName.toLowerCase();
  const host = query.host && !foreign ? await lookupHost(reader, query.host) : null;
  const descriptors = new Map(gmsas.map((g) => [g.name, descriptorSids(g.account)]));
  const { names: sidNames, groups } = await lookupSids(
    reader,
    [...[...descriptors.values()].flat(), ...(host?.tokenGroups ?? [])],
    host,
  );
  const holders = await lookupSpnHolders(reader, [
    ...new Set(gmsas.flatMap((g) => spnsOf(g.account, query.clientNames))),
  ]);
  const subjects: SubjectOutput[] = [];
  for (const gmsa of gmsas) {
    const similar = (
      await reader.sub(`(sAMAccountName=${escapeFilterValue(gmsa.name)}*)`, ['sAMAccountName', 'objectClass'])
    ).map(summary);
    subjects.push({
      subject: gmsaSubject(gmsa.name),
      facts: {
        'ad.gmsa': gmsa,
        'ad.similarNames': similar,
        'ad.sidNames': pick(sidNames, [...(descriptors.get(gmsa.name) ?? []), ...(host?.tokenGroups ?? [])]),
        'ad.spns': {
          clientNames: query.clientNames,
          holders: pick(
            holders,
            spnsOf(gmsa.account, query.clientNames).map((s) => s.toLowerCase()),
          ),
        },
      },
    });
  }
  return {
    'ad.domain': domain,
    'ad.accounts': Object.fromEntries(query.otherAccounts.map((n) => [n.toLowerCase(), lookup(n)])),
    ...(query.host
      ? {
          'ad.host': {
            name: query.host,
            ...(query.hostGiven ? { given: true } : {}),
            ...(query.hostDomain ? { domain: query.hostDomain } : {}),
            host,
          },
          'ad.hostGroups': host ? groups : [],
        }
      : {}),
    subjects,
  };
}

// ----- the probe ------------------------------------------------------------------------------------------

function targetsFrom(facts: FactReader, options: CheckOptions): LdapTarget[] | AdConnectionProblem {
  const result = facts.result('dc.candidates');
  let candidates: DcCandidate[];
  if (result?.status === 'ok') candidates = result.value;
  else if (options.dc) candidates = [{ host: options.dc, address: options.dc, source: 'option' }];
  else
    return { kind: 'no-dc', detail: result?.status === 'unavailable' ? result.reason : 'no --dc and no DC discovery' };
  const targets = candidates.filter((c) => c.address).map((c) => ({ host: c.host, address: c.address! }));
  if (targets.length === 0)
    return {
      kind: 'no-dc',
      detail: candidates.map((c) => `${c.host}: ${c.unresolved ?? 'no address'}`).join('; ') || 'no DC found',
    };
  return targets;
}

/** Every AD fact unavailable for the reason the session failed, for the run and for each gMSA asked about. */
function failed(connection: AdConnection, provides: readonly FactKey[], query: AdQuery): ProbeOutput {
  const reason = `LDAP session with ${connection.dc} failed (${connection.problem?.kind}): ${connection.problem?.detail}`;
  const out: Record<string, unknown> = { 'ad.connection': connection };
  for (const key of provides) if (key !== 'ad.connection') out[key] = unavailable(reason);
  const perGmsa = Object.fromEntries(GMSA_FACTS.map((key) => [key, unavailable(reason)]));
  return { ...out, subjects: query.gmsas.map((name) => ({ subject: gmsaSubject(name), facts: perGmsa })) };
}

/** Failures where another DC may do better (the others, like a wrong password, would fail everywhere). */
const TRY_NEXT_DC = new Set(['unreachable', 'timeout']);

/**
 * One LDAP session for the run: the domain, the container host (when one is named) and every gMSA of the query.
 * `query` is asked once the probe's `needs` are settled (the credential specs name further gMSAs).
 */
export function ldapProbe(
  options: CheckOptions,
  query: (facts: FactReader) => AdQuery,
  needs: readonly FactKey[] = ['dc.candidates'],
): Probe {
  const transport = options.ldap.transport;
  const bind = options.ldap.kerberos ? 'gssapi' : options.ldap.user !== undefined ? 'simple' : 'anonymous';
  // Neither --user nor --kerberos: integrated authentication when a Kerberos ticket (or a Windows logon) exists.
  const kerberosMode = options.ldap.kerberos ? true : options.ldap.user === undefined ? 'auto' : false;
  const provides: FactKey[] = [...RUN_FACTS, ...(options.host ? HOST_FACTS : []), ...GMSA_FACTS];
  return {
    id: 'ldap.ad',
    provides,
    needs,
    tolerant: true,
    timeoutMs: options.timeoutMs * 3,
    async run(ctx) {
      const base = {
        port: portOf(transport),
        transport,
        bind,
        ...(options.ldap.user ? { identity: options.ldap.user } : {}),
      } as const;
      const asked = query(ctx.facts);
      const targets = targetsFrom(ctx.facts, options);
      if (!Array.isArray(targets))
        return failed(
          { ...base, dc: options.dc ?? options.domain ?? '?', ok: false, problem: targets },
          provides,
          asked,
        );
      let last: AdConnection | undefined;
      for (const target of targets) {
        const connection: AdConnection = { ...base, dc: target.host, address: target.address, ok: false };
        let session: LdapSession | undefined;
        try {
          session = await openLdapSession(target, {
            ...options.ldap,
            kerberos: kerberosMode,
            timeoutMs: options.timeoutMs,
            signal: ctx.signal,
          });
          const identity = session.identity ?? connection.identity;
          const ok: AdConnection = { ...connection, ok: true, bind: session.bind, ...(identity ? { identity } : {}) };
          return { ...(await readAd(session, asked)), 'ad.connection': ok };
        } catch (error) {
          const skipped = session?.integratedAuthSkipped;
          last = { ...connection, ...(skipped ? { integratedAuth: skipped } : {}), problem: classifyLdapError(error) };
          if (!TRY_NEXT_DC.has(last.problem!.kind) || ctx.signal.aborted) break;
        } finally {
          await session?.close();
        }
      }
      return failed(last!, provides, asked);
    },
  };
}
