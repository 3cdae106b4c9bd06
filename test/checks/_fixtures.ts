/**
 * Facts built from the real samples of test/fixtures (transcripts, inspect output, credential specs, event exports,
 * captured KDC and DC answers), for the cases of the catalogue. Each builder names the fixture it reads.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCredSpecBytes } from '../../src/credspec/parse.js';
import { FactStore } from '../../src/engine/facts.js';
import { gather } from '../../src/engine/runner.js';
import type { AdAccount, AdDomain, AdGroup, AdHost } from '../../src/facts/ad.js';
import type { CommandCapture } from '../../src/facts/common.js';
import type { CredSpecDocument } from '../../src/facts/credspec.js';
import type { ContainerFacts, DockerInfo } from '../../src/facts/docker.js';
import type { EventLogFacts } from '../../src/facts/events.js';
import type { CldapPing, KdcProbeEntry, KrbError, PortResult, TlsResult } from '../../src/facts/network.js';
import { eventRecordsOfText } from '../../src/evidence/facts.js';
import { eventLogProbe } from '../../src/probes/eventlog.js';
import { decodeCldapResponse } from '../../src/protocol/cldap.js';
import { decodeKdcReply } from '../../src/protocol/kerberos.js';
import { decodeNetlogonSamLogonResponseEx } from '../../src/protocol/netlogon.js';
import { parseDockerInfo } from '../../src/protocol/parsers/docker-info.js';
import { containerFromCrictlInspect } from '../../src/protocol/parsers/crictl.js';
import { containerFromInspect } from '../../src/protocol/parsers/docker-inspect.js';
import { splitTranscript } from '../../src/protocol/parsers/transcript.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const text = (path: string): string => readFileSync(new URL(path, FIXTURES), 'utf8');
const bytes = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, FIXTURES)));

// ----- Windows commands: what a real console session printed

/** The output of the command matching `command` in a real transcript, as the command runner captures it. */
export function captured(transcript: string, command: RegExp, as?: string): CommandCapture {
  const entry = splitTranscript(text(`host/${transcript}`)).find((e) => command.test(e.command));
  if (!entry) throw new Error(`${transcript}: no command matching ${String(command)}`);
  return {
    command: as ?? entry.command,
    exitCode: 0,
    stdout: entry.output,
    stderr: '',
    timedOut: false,
    notFound: false,
  };
}

/** A program that is not there (not on the host, not in the image), as the runner reports it. */
export function notFound(command: string): CommandCapture {
  return {
    command,
    exitCode: null,
    stdout: '',
    stderr: `${command.split(' ')[0]}: not found`,
    timedOut: false,
    notFound: true,
  };
}

export const TRANSCRIPTS = {
  scVerifyOk: () =>
    captured('microsoft-Azure-Key-Vault-Plugin-gMSA__README-nltest-sc_verify.txt', /^nltest \/sc_verify/i),
  scVerifyNoLogonServers: () =>
    captured(
      'microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt',
      /^nltest \/sc_verify/i,
    ),
  klistOk: () => captured('xiaoping8385-TKGi-GMSA__klist-get-krbtgt-success.txt', /^klist get krbtgt/i),
  klistAccessDenied: () =>
    captured(
      'microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt',
      /^klist get krbtgt/i,
    ),
  queryOk: () => captured('xiaoping8385-TKGi-GMSA__nltest-query-success.txt', /^nltest \/query/i),
  queryNoTrustLsaSecret: () =>
    captured('xiaoping8385-TKGi-GMSA__nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt', /^nltest(\.exe)? \/query/i),
  whoami: () => captured('xiaoping8385-TKGi-GMSA__nltest-query-ERROR_NO_TRUST_LSA_SECRET.txt', /^whoami$/i),
  scVerifyNoTrustSamAccount: () =>
    captured(
      'plooploops-windows-containers-AD-7__nltest-sc_verify-1787__klist-get-krbtgt.txt',
      /^nltest(\.exe)? \/sc_verify/i,
    ),
  klistWithScVerify1787: () =>
    captured('plooploops-windows-containers-AD-7__nltest-sc_verify-1787__klist-get-krbtgt.txt', /^klist get krbtgt/i),
};

// ----- Docker

const INSPECT = (
  JSON.parse(text('host/tfenster-td19-workshop__docker-inspect-shared-process-isolation.json')) as Record<
    string,
    unknown
  >[]
)[0]!;

/** The real inspect sample (tfenster/td19-workshop), started as a case needs: security option, hostname, user... */
export function container(
  settings: {
    name?: string;
    credspec?: string;
    hostname?: string;
    isolation?: string;
    user?: string;
    platform?: string;
    stateError?: string;
    running?: boolean;
  } = {},
): ContainerFacts {
  const copy = structuredClone(INSPECT) as {
    Id: string;
    Name: string;
    Platform?: string;
    Config: Record<string, unknown>;
    HostConfig: Record<string, unknown>;
    State: Record<string, unknown>;
  };
  if (settings.name) {
    copy.Name = `/${settings.name}`;
    copy.Id = `${settings.name}-${copy.Id.slice(settings.name.length + 1)}`;
  }
  if (settings.credspec) copy.HostConfig.SecurityOpt = [`credentialspec=file://${settings.credspec}`];
  if (settings.hostname) copy.Config.Hostname = settings.hostname;
  if (settings.isolation) copy.HostConfig.Isolation = settings.isolation;
  if (settings.user) copy.Config.User = settings.user;
  if (settings.platform) copy.Platform = settings.platform;
  if (settings.stateError) copy.State.Error = settings.stateError;
  if (settings.running === false) copy.State.Running = false;
  const parsed = containerFromInspect(copy);
  if ('reason' in parsed) throw new Error(parsed.reason);
  return { ...parsed, selected: true };
}

/** Its id, the container's subject id. */
export const CONTAINER_ID = String(INSPECT.Id);

// ----- containerd (crictl on a Kubernetes Windows node; see fixtures/containerd/PROVENANCE.md)

/** `iis` (the guide's spec given through the CRI, running) or `pruned` (given `{}`, failed to start), as parsed. */
export function criContainer(which: 'iis' | 'pruned', subjectId = CONTAINER_ID): ContainerFacts {
  const files = {
    iis: ['crictl-inspect-6c6d8c7cc2ebe.json', 'crictl-inspectp-75387bc260d77.json'],
    pruned: ['crictl-inspect-51d3682fe084d.json', 'crictl-inspectp-f6ea4dbccf0c7.json'],
  }[which];
  const [inspect, sandbox] = files.map((f) => JSON.parse(text(`containerd/${f}`)) as unknown);
  const parsed = containerFromCrictlInspect(inspect, sandbox);
  if ('reason' in parsed) throw new Error(parsed.reason);
  return { ...parsed, id: subjectId };
}

/** `docker info` of a Windows 10 1909 host (moby/moby#40545): build 18363, default isolation hyperv. */
export const dockerInfo = (): DockerInfo =>
  parseDockerInfo(text('host/moby-moby-40545__docker-info-windows10-1909.txt'));

// ----- credential specs

const SPEC_FOLDER = 'C:\\ProgramData\\Docker\\CredentialSpecs';

/** The documents of a real credential spec sample, as read from `as` (default: its name under CredentialSpecs). */
export function specDocuments(
  sample: string,
  as = `${SPEC_FOLDER}\\${sample}`,
  edit?: (spec: Record<string, any>) => void,
): CredSpecDocument[] {
  let source = readFileSync(new URL(`credspec/samples/${sample}`, FIXTURES));
  if (edit) {
    const spec = JSON.parse(source.toString('utf8')) as Record<string, any>;
    edit(spec);
    source = Buffer.from(JSON.stringify(spec, null, 4));
  }
  return parseCredSpecBytes(source, as).documents;
}

/** A credential spec given as text (to show what a parser notes: repeated keys, glued resources). */
export function specText(textOfSpec: string, file: string): CredSpecDocument[] {
  return parseCredSpecBytes(Buffer.from(textOfSpec), file).documents;
}

export const DOMAIN_JOINED =
  'MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__domain-joined-example.json';
export const NON_DOMAIN_JOINED =
  'MicrosoftDocs-Virtualization-Documentation__gmsa-troubleshooting__non-domain-joined-example.json';
export const webapp01Spec = (edit?: (spec: Record<string, any>) => void): CredSpecDocument[] =>
  specDocuments(DOMAIN_JOINED, `${SPEC_FOLDER}\\webapp01.json`, edit);

// ----- Active Directory (the lab's values; descriptors from test/fixtures/ad/vectors.json)

const vectors = JSON.parse(text('ad/vectors.json')) as {
  domainSid: string;
  descriptors: { name: string; hex: string }[];
};
export const descriptor = (name: string): string => vectors.descriptors.find((d) => d.name === name)!.hex;
export const D = vectors.domainSid;
export const GROUP_SID = `${D}-1105`;
export const HOST_SID = `${D}-1106`;
export const GROUP_DN = 'CN=WebApp01Hosts,OU=GmsaLab,DC=contoso,DC=com';
export const GMSA_CLASSES = [
  'top',
  'person',
  'organizationalPerson',
  'user',
  'computer',
  'msDS-GroupManagedServiceAccount',
];

export const domain = (over: Partial<AdDomain> = {}): AdDomain => ({
  dnsName: 'contoso.com',
  netbiosName: 'CONTOSO',
  forestDnsName: 'contoso.com',
  sid: D,
  guid: '56d9b66c-d746-4f87-bd26-26760cfdca2e',
  baseDn: 'DC=contoso,DC=com',
  ...over,
});

export const gmsa = (over: Partial<AdAccount> = {}): AdAccount => ({
  dn: 'CN=webapp01,CN=Managed Service Accounts,DC=contoso,DC=com',
  sAMAccountName: 'webapp01$',
  objectClass: GMSA_CLASSES,
  objectSid: `${D}-1110`,
  userAccountControl: 0x1000,
  servicePrincipalNames: ['HTTP/webapp01.contoso.com', 'HTTP/webapp01'],
  dnsHostName: 'webapp01.contoso.com',
  supportedEncryptionTypes: 24,
  membershipDescriptorHex: descriptor('set-adserviceaccount: allow one group full control'),
  ...over,
});

export const host = (over: Partial<AdHost> = {}): AdHost => ({
  dn: 'CN=containerhost01,OU=GmsaLab,DC=contoso,DC=com',
  sAMAccountName: 'containerhost01$',
  objectClass: ['top', 'computer'],
  objectSid: HOST_SID,
  tokenGroups: [GROUP_SID, `${D}-515`],
  memberOf: [GROUP_DN],
  lastLogonTimestamp: '2026-11-26T06:00:00.000Z',
  ...over,
});

export const group = (over: Partial<AdGroup> = {}): AdGroup => ({
  dn: GROUP_DN,
  sid: GROUP_SID,
  sAMAccountName: 'WebApp01Hosts',
  whenChanged: '2026-11-26T05:00:00.000Z',
  memberOf: [],
  ...over,
});

export const sidNames = { [GROUP_SID]: 'WebApp01Hosts', [HOST_SID]: 'containerhost01$' };

/** The facts of gMSA webapp01 as the LDAP probe yields them, for subjects.gmsa.webapp01. */
export const webapp01 = (account: AdAccount | null = gmsa()) => ({
  'ad.gmsa': { name: 'webapp01', account },
  'ad.similarNames': account ? [{ dn: account.dn, sAMAccountName: 'webapp01$', objectClass: GMSA_CLASSES }] : [],
  'ad.sidNames': sidNames,
  'ad.spns': {
    clientNames: [],
    holders: Object.fromEntries((account?.servicePrincipalNames ?? []).map((s) => [s.toLowerCase(), [account!]])),
  },
});

// ----- the network (answers captured from the lab DC, test/fixtures/network)

export const krb = (file: string): KrbError => decodeKdcReply(bytes(`network/${file}`)) as KrbError;

export function kdc(
  transport: 'udp' | 'tcp',
  error: KrbError | undefined,
  outcome: KdcProbeEntry['outcome'] = 'krb-error',
  clockSkewMs?: number,
): KdcProbeEntry {
  return {
    dc: 'dc1.contoso.com',
    address: '10.213.37.2',
    port: 88,
    transport,
    principal: 'webapp01$@CONTOSO.COM',
    outcome,
    ms: 3,
    ...(error ? { error } : {}),
    ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
  };
}

/** A captured LDAP ping answer (cldap-ping-*.bin), decoded as the probe decodes it. */
export function ping(file: string, user?: string): CldapPing {
  const answer = decodeCldapResponse(bytes(`network/${file}`));
  return {
    dc: 'dc1.contoso.com',
    address: '10.213.37.2',
    outcome: 'ok',
    ms: 4,
    ...(user ? { user } : {}),
    response: decodeNetlogonSamLogonResponseEx(answer.netlogon!),
  };
}

export function port(p: number, proto: 'tcp' | 'udp', state: PortResult['state'], service = 'Kerberos'): PortResult {
  return {
    port: p,
    proto,
    service,
    dc: 'dc1.contoso.com',
    address: '10.213.37.2',
    state,
    ms: state === 'filtered' ? 3000 : 2,
    method: proto === 'tcp' ? 'tcp-connect' : 'kerberos-as-req',
  };
}

export function tls(over: Partial<TlsResult> = {}): TlsResult {
  return {
    dc: 'dc1.contoso.com',
    address: '10.213.37.2',
    port: 636,
    mode: 'ldaps',
    outcome: 'ok',
    ms: 9,
    protocol: 'TLSv1.3',
    trust: 'ca-file',
    caFile: 'lab-ca.pem',
    chainValid: true,
    expectedName: 'dc1.contoso.com',
    nameMatches: true,
    certificate: {
      subject: 'CN=dc1.contoso.com',
      issuer: 'CN=gmsa-doctor lab CA',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: new Date(Date.now() + 400 * 86_400_000).toISOString(),
      subjectAltNames: ['DNS:dc1.contoso.com'],
      fingerprint256: 'AA:BB',
    },
    ...over,
  };
}

// ----- event logs, read by the event log probe itself

/**
 * What the event log probe reads from these exports (test/fixtures/events; `evidence/NAME` for event text of the
 * pasted-evidence corpus; an absolute path as it is), or from a file written from `xml`, as `events` reads them.
 */
export async function eventLog(files: string[], xml?: string): Promise<EventLogFacts> {
  const paths = files.map((f) =>
    f.startsWith('/') ? f : new URL(f.startsWith('evidence/') ? f : `events/${f}`, FIXTURES).pathname,
  );
  if (xml) {
    const file = join(mkdtempSync(join(tmpdir(), 'gmsa-case-')), 'system.xml');
    writeFileSync(file, xml);
    paths.push(file);
  }
  const probe = eventLogProbe({ files: paths, readText: eventRecordsOfText });
  const { facts } = await gather(['events.log'], { probes: [probe], facts: new FactStore() });
  return facts.get('events.log');
}
