// The lab DC itself: its fixtures read back over LDAPS with strict certificate checking, its DNS and Kerberos
// services, and the faults of test/helpers/lab.ts (drop, reject, delay, strong auth). Needs scripts/lab/start.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import type { SrvAnswer } from 'dns-packet';
import { Client, StrongAuthRequiredError } from 'ldapts';
import type { Entry } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinit, lab, withFault, withStrongAuth } from '../helpers/lab.js';
import type { Lab } from '../helpers/lab.js';

let L: Lab;
beforeAll(() => {
  L = lab();
});

// ---------------------------------------------------------------- LDAP helpers
const BINARY_ATTRIBUTES = ['objectSid', 'objectGUID', 'msDS-GroupMSAMembership'];

function ldapsClient(options: { ca?: Buffer[]; servername?: string } = {}): Client {
  return new Client({
    url: `ldaps://${L.ip}:636`,
    connectTimeout: 5_000,
    timeout: 10_000,
    tlsOptions: {
      ca: options.ca ?? [readFileSync(L.caFile)],
      servername: options.servername,
      rejectUnauthorized: true,
    },
  });
}

async function withAdminLdaps<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = ldapsClient();
  try {
    await client.bind(L.adminUser, L.adminPassword);
    return await fn(client);
  } finally {
    await client.unbind();
  }
}

async function findOne(client: Client, filter: string, attributes: string[], base = L.baseDn): Promise<Entry> {
  const { searchEntries } = await client.search(base, {
    scope: 'sub',
    filter,
    attributes,
    explicitBufferAttributes: BINARY_ATTRIBUTES,
  });
  expect(searchEntries, filter).toHaveLength(1);
  return searchEntries[0]!;
}

const text = (value: Entry[string] | undefined): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => v.toString());
const single = (value: Entry[string] | undefined): string => {
  const values = text(value);
  expect(values).toHaveLength(1);
  return values[0]!;
};
const buffer = (value: Entry[string] | undefined): Buffer => {
  expect(Buffer.isBuffer(value), 'a binary attribute comes back as one Buffer').toBe(true);
  return value as Buffer;
};

// ---------------------------------------------------------------- binary AD values, decoded here on purpose:
// the lab is checked independently of the product's own codecs.
function sidToString(bytes: Buffer, offset = 0): string {
  const subCount = bytes[offset + 1]!;
  const authority = bytes.readUIntBE(offset + 2, 6);
  const subs = Array.from({ length: subCount }, (_, i) => bytes.readUInt32LE(offset + 8 + 4 * i));
  return ['S', bytes[offset]!, authority, ...subs].join('-');
}

function guidToString(bytes: Buffer): string {
  const hex = (b: Buffer) => b.toString('hex');
  const le = (start: number, length: number) => hex(Buffer.from(bytes.subarray(start, start + length)).reverse());
  return `${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${hex(bytes.subarray(8, 10))}-${hex(bytes.subarray(10, 16))}`;
}

interface Ace {
  type: 'allow' | 'deny' | number;
  mask: number;
  sid: string;
}

/** The DACL of a self-relative security descriptor (the msDS-GroupMSAMembership format). */
function daclOf(sd: Buffer): Ace[] {
  const daclOffset = sd.readUInt32LE(16);
  const count = sd.readUInt16LE(daclOffset + 4);
  const aces: Ace[] = [];
  let at = daclOffset + 8;
  for (let i = 0; i < count; i++) {
    const type = sd[at]!;
    aces.push({
      type: type === 0 ? 'allow' : type === 1 ? 'deny' : type,
      mask: sd.readUInt32LE(at + 4),
      sid: sidToString(sd, at + 8),
    });
    at += sd.readUInt16LE(at + 2);
  }
  return aces;
}

/** FILETIME (100 ns since 1601) -> Unix ms */
const fileTimeToMs = (value: string): number => Number(BigInt(value) / 10_000n - 11_644_473_600_000n);
/** GeneralizedTime 20261126062055.0Z -> Unix ms */
const generalizedTimeToMs = (value: string): number => {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)/.exec(value);
  if (!m) throw new Error(`not a GeneralizedTime: ${value}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
};

// ---------------------------------------------------------------- network helpers
type ConnectOutcome = 'connected' | 'timeout' | 'refused';

function tcpConnect(ip: string, port: number, timeoutMs: number): Promise<ConnectOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: ip, port });
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    function finish(outcome: ConnectOutcome) {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    }
    socket.once('connect', () => finish('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish('refused');
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
  });
}

function srvQuestion(name: string): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: Math.floor(Math.random() * 65_535),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'SRV', name }],
  });
}

const srvAnswers = (packet: dnsPacket.Packet): SrvAnswer[] =>
  (packet.answers ?? []).filter((a): a is SrvAnswer => a.type === 'SRV');

/** SRV query over UDP; rejects with 'no answer' after timeoutMs, or with the socket error (e.g. ECONNREFUSED). */
function srvOverUdp(ip: string, name: string, timeoutMs = 3_000): Promise<SrvAnswer[]> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => done(new Error('no answer')), timeoutMs);
    function done(result: Error | SrvAnswer[]) {
      clearTimeout(timer);
      socket.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    }
    socket.once('message', (message) => done(srvAnswers(dnsPacket.decode(message))));
    socket.once('error', (error) => done(error));
    socket.connect(53, ip, () => socket.send(srvQuestion(name)));
  });
}

function srvOverTcp(ip: string, name: string, timeoutMs = 3_000): Promise<SrvAnswer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: ip, port: 53 });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error('no answer')), timeoutMs);
    function done(result: Error | SrvAnswer[]) {
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    }
    socket.once('connect', () => socket.write(dnsPacket.streamEncode(dnsPacket.decode(srvQuestion(name)))));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        done(srvAnswers(dnsPacket.streamDecode(received)));
      }
    });
    socket.once('error', (error) => done(error));
  });
}

/** Runs MIT kinit against the KDC at kdcIp with KRB5_TRACE; returns the trace (it names dgram or stream). */
function tracedKinit(
  kdcIp: string,
  transport: 'udp-first' | 'tcp',
  principal: string,
  password: string,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gmsa-lab-test-'));
  const config = join(dir, 'krb5.conf');
  const traceFile = join(dir, 'trace'); // a file: kinit cannot open /dev/stderr when it is a Node socket pair
  writeFileSync(
    config,
    `[libdefaults]\n default_realm = ${L.realm}\n dns_lookup_kdc = false\n rdns = false\n` +
      (transport === 'tcp' ? ' udp_preference_limit = 1\n' : '') +
      `[realms]\n ${L.realm} = {\n  kdc = ${kdcIp}:88\n }\n`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn('kinit', [principal], {
      env: { ...process.env, KRB5_CONFIG: config, KRB5CCNAME: `FILE:${join(dir, 'cc')}`, KRB5_TRACE: traceFile },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const trace = readFileSync(traceFile, { encoding: 'utf8', flag: 'a+' }); // '' if kinit wrote none
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(trace);
      else reject(new Error(`kinit ${principal} via ${kdcIp} failed: ${stderr.trim()}`));
    });
    child.stdin.end(`${password}\n`);
  });
}

// ================================================================ tests
describe('lab facts', () => {
  it('names the CONTOSO.COM domain and its DC', () => {
    expect(L).toMatchObject({
      realm: 'CONTOSO.COM',
      dnsDomain: 'contoso.com',
      netbios: 'CONTOSO',
      baseDn: 'DC=contoso,DC=com',
      dcFqdn: 'dc1.contoso.com',
      adminUser: 'Administrator@contoso.com',
    });
    expect(L.ip).toMatch(/^(10\.|127\.)/); // private or loopback only: nothing leaves the machine
  });

  it('lab() says how to start the lab when it is not running', () => {
    const emptyState = mkdtempSync(join(tmpdir(), 'gmsa-lab-state-'));
    const saved = process.env.LAB_STATE;
    process.env.LAB_STATE = emptyState; // scripts/lab/env looks there instead of scripts/lab/state
    try {
      expect(() => lab()).toThrow('lab not running: run scripts/lab/start');
    } finally {
      if (saved === undefined) delete process.env.LAB_STATE;
      else process.env.LAB_STATE = saved;
      rmSync(emptyState, { recursive: true, force: true });
    }
  });

  it('reports the domain SID and GUID the DC really has', async () => {
    const domain = await withAdminLdaps((c) =>
      c.search(L.baseDn, {
        scope: 'base',
        attributes: ['objectSid', 'objectGUID'],
        explicitBufferAttributes: BINARY_ATTRIBUTES,
      }),
    );
    const entry = domain.searchEntries[0]!;
    expect(sidToString(buffer(entry.objectSid))).toBe(L.domainSid);
    expect(guidToString(buffer(entry.objectGUID))).toBe(L.domainGuid);
  });
});

describe('LDAPS with strict certificate checking', () => {
  it('verifies the DC certificate by IP address and by DNS name with the lab CA', async () => {
    for (const servername of [undefined, L.dcFqdn]) {
      const client = ldapsClient({ servername });
      try {
        await client.bind(L.adminUser, L.adminPassword);
        const { searchEntries } = await client.search('', { scope: 'base', attributes: ['dnsHostName'] });
        expect(single(searchEntries[0]!.dnsHostName).toLowerCase()).toBe(L.dcFqdn);
      } finally {
        await client.unbind();
      }
    }
  });

  it('refuses the DC certificate without the lab CA', async () => {
    const client = ldapsClient({ ca: [] });
    try {
      await expect(client.bind(L.adminUser, L.adminPassword)).rejects.toThrow(/certificate/i);
    } finally {
      await client.unbind();
    }
  });

  it('refuses the DC certificate for a name it was not issued to', async () => {
    const client = ldapsClient({ servername: 'other.contoso.com' });
    try {
      await expect(client.bind(L.adminUser, L.adminPassword)).rejects.toThrow(/altnames|does not match/i);
    } finally {
      await client.unbind();
    }
  });
});

describe('fixtures read back over LDAPS', () => {
  let client: Client;
  const sids = new Map<string, string>();
  const sidOf = async (sam: string): Promise<string> => {
    if (!sids.has(sam))
      sids.set(sam, sidToString(buffer((await findOne(client, `(sAMAccountName=${sam})`, ['objectSid'])).objectSid)));
    return sids.get(sam)!;
  };
  const gmsa = (sam: string) =>
    findOne(client, `(&(objectClass=msDS-GroupManagedServiceAccount)(sAMAccountName=${sam}))`, [
      'userAccountControl',
      'dNSHostName',
      'servicePrincipalName',
      'msDS-SupportedEncryptionTypes',
      'msDS-GroupMSAMembership',
    ]);
  const memberOf = async (sam: string) =>
    text((await findOne(client, `(sAMAccountName=${sam})`, ['memberOf'])).memberOf);
  const ou = () => `OU=GmsaLab,${L.baseDn}`;

  beforeAll(async () => {
    client = ldapsClient();
    await client.bind(L.adminUser, L.adminPassword);
  });
  afterAll(async () => {
    await client.unbind();
  });

  it('webapp01$ is a healthy gMSA readable by WebApp01Hosts', async () => {
    const entry = await gmsa('webapp01$');
    expect(entry.dn).toBe(`CN=webapp01,CN=Managed Service Accounts,${L.baseDn}`);
    expect(Number(single(entry.userAccountControl))).toBe(0x1000);
    expect(single(entry.dNSHostName)).toBe('webapp01.contoso.com');
    expect(text(entry.servicePrincipalName).sort()).toEqual(['HTTP/webapp01', 'HTTP/webapp01.contoso.com']);
    expect([24, 28]).toContain(Number(single(entry['msDS-SupportedEncryptionTypes'])));
    expect(daclOf(buffer(entry['msDS-GroupMSAMembership']))).toEqual([
      { type: 'allow', mask: 0xf01ff, sid: await sidOf('WebApp01Hosts') },
    ]);
  });

  it('groups: WebApp01Hosts is global security, NestedHosts is a member of it', async () => {
    const group = await findOne(client, '(sAMAccountName=WebApp01Hosts)', ['groupType', 'member']);
    expect(Number(single(group.groupType))).toBe(-2147483646);
    expect(text(group.member).sort()).toEqual(
      [`CN=NestedHosts,${ou()}`, `CN=containerhost01,${ou()}`, `CN=containerhost04,${ou()}`].sort(),
    );
    expect(await memberOf('NestedHosts')).toEqual([`CN=WebApp01Hosts,${ou()}`]);
  });

  it('hosts: 01 in WebApp01Hosts, 02 in no group, 03 only through NestedHosts', async () => {
    expect(await memberOf('containerhost01$')).toEqual([`CN=WebApp01Hosts,${ou()}`]);
    expect(await memberOf('containerhost02$')).toEqual([]);
    expect(await memberOf('containerhost03$')).toEqual([`CN=NestedHosts,${ou()}`]);
  });

  it('containerhost04$ logged on before it joined WebApp01Hosts (reboot needed)', async () => {
    const host = await findOne(client, '(sAMAccountName=containerhost04$)', ['lastLogonTimestamp', 'memberOf']);
    const group = await findOne(client, '(sAMAccountName=WebApp01Hosts)', ['whenChanged']);
    expect(text(host.memberOf)).toEqual([`CN=WebApp01Hosts,${ou()}`]);
    // adding containerhost04$ is the group's last change
    expect(fileTimeToMs(single(host.lastLogonTimestamp))).toBeLessThan(generalizedTimeToMs(single(group.whenChanged)));
  });

  it('webapp02$ grants containerhost01$ directly', async () => {
    const entry = await gmsa('webapp02$');
    expect(daclOf(buffer(entry['msDS-GroupMSAMembership']))).toEqual([
      { type: 'allow', mask: 0xf01ff, sid: await sidOf('containerhost01$') },
    ]);
  });

  it('orphanapp01$ has no msDS-GroupMSAMembership', async () => {
    const entry = await gmsa('orphanapp01$');
    expect(entry['msDS-GroupMSAMembership'] ?? []).toEqual([]);
    expect(Number(single(entry.userAccountControl))).toBe(0x1000);
  });

  it('delegapp01$ is trusted for delegation and lost WORKSTATION_TRUST_ACCOUNT', async () => {
    const uac = Number(single((await gmsa('delegapp01$')).userAccountControl));
    expect(uac).toBe(0x80200);
    expect(uac & 0x1000).toBe(0);
  });

  it('HTTP/dupapp01.contoso.com is held by dupapp01$ and legacyweb01$', async () => {
    const { searchEntries } = await client.search(L.baseDn, {
      scope: 'sub',
      filter: '(servicePrincipalName=HTTP/dupapp01.contoso.com)',
      attributes: ['sAMAccountName'],
    });
    expect(searchEntries.map((e) => single(e.sAMAccountName)).sort()).toEqual(['dupapp01$', 'legacyweb01$']);
  });

  it('disabledapp01$ is disabled, rc4app01$ allows RC4 only', async () => {
    expect(Number(single((await gmsa('disabledapp01$')).userAccountControl))).toBe(0x1002);
    const rc4 = await gmsa('rc4app01$');
    expect(Number(single(rc4['msDS-SupportedEncryptionTypes']))).toBe(4);
    expect(Number(single(rc4.userAccountControl))).toBe(0x1000);
  });

  it('denyapp01$ denies containerhost01$ before allowing WebApp01Hosts', async () => {
    const entry = await gmsa('denyapp01$');
    expect(daclOf(buffer(entry['msDS-GroupMSAMembership']))).toEqual([
      { type: 'deny', mask: 0xf01ff, sid: await sidOf('containerhost01$') },
      { type: 'allow', mask: 0xf01ff, sid: await sidOf('WebApp01Hosts') },
    ]);
  });

  it('a USER webapp01 sits beside the gMSA webapp01$', async () => {
    const user = await findOne(client, '(sAMAccountName=webapp01)', ['objectClass']);
    expect(text(user.objectClass)).toContain('user');
    expect(text(user.objectClass)).not.toContain('computer');
    const account = await findOne(client, '(sAMAccountName=webapp01$)', ['objectClass']);
    expect(text(account.objectClass)).toContain('msDS-GroupManagedServiceAccount');
  });

  it('every gMSA has its dNSHostName and HTTP SPN', async () => {
    for (const name of [
      'webapp02',
      'orphanapp01',
      'delegapp01',
      'dupapp01',
      'disabledapp01',
      'rc4app01',
      'denyapp01',
    ]) {
      const entry = await gmsa(`${name}$`);
      expect(single(entry.dNSHostName)).toBe(`${name}.contoso.com`);
      expect(text(entry.servicePrincipalName)).toContain(`HTTP/${name}.contoso.com`);
    }
  });

  it('a KDS root key object exists', async () => {
    const { searchEntries } = await client.search(`CN=Configuration,${L.baseDn}`, {
      scope: 'sub',
      filter: '(objectClass=msKds-ProvRootKey)',
      attributes: ['msKds-UseStartTime'],
    });
    expect(searchEntries).toHaveLength(1);
  });
});

describe('DNS', () => {
  const names = () =>
    [
      [`_ldap._tcp.dc._msdcs.${L.dnsDomain}`, 389],
      [`_kerberos._tcp.${L.dnsDomain}`, 88],
      [`_kerberos._udp.${L.dnsDomain}`, 88],
    ] as const;

  it('answers the DC locator SRV records over UDP and over TCP', async () => {
    for (const [name, port] of names()) {
      for (const query of [srvOverUdp, srvOverTcp]) {
        const answers = await query(L.ip, name);
        expect(
          answers.map((a) => [a.data.target.toLowerCase(), a.data.port]),
          `${name} via ${query.name}`,
        ).toEqual([[L.dcFqdn, port]]);
      }
    }
  });
});

describe('Kerberos', () => {
  it('kinit() gets a TGT for a host into a private credential cache', async () => {
    const { ccache, env } = await kinit('containerhost04$', 'HostPassw0rd!4');
    expect(env.KRB5CCNAME).toBe(`FILE:${ccache}`);
    expect(env.KRB5_CONFIG).toBe(L.krb5Config);
    expect(readFileSync(ccache).includes(Buffer.from(`krbtgt`))).toBe(true);
  });

  it('kinit() fails clearly on a wrong password, without echoing it', async () => {
    const attempt = kinit('containerhost02$', 'Wrong-Passw0rd');
    await expect(attempt).rejects.toThrow(/Preauthentication failed|Password incorrect/);
    await expect(attempt).rejects.not.toThrow(/Wrong-Passw0rd/);
  });

  it('the KDC answers over UDP and over TCP', async () => {
    expect(await tracedKinit(L.ip, 'udp-first', 'containerhost04$', 'HostPassw0rd!4')).toContain(
      `from dgram ${L.ip}:88`,
    );
    expect(await tracedKinit(L.ip, 'tcp', 'containerhost04$', 'HostPassw0rd!4')).toContain(`from stream ${L.ip}:88`);
  });
});

describe('faults', () => {
  it('block drop: a TCP connect to 389 times out; reject: it is refused at once; both are reverted', async () => {
    await withFault({ kind: 'block', port: 389, proto: 'tcp', mode: 'drop' }, async ({ ip }) => {
      expect(ip).toBe(L.ip);
      expect(await tcpConnect(ip, 389, 1_500)).toBe('timeout');
      expect(await tcpConnect(ip, 636, 1_500)).toBe('connected');
    });
    await withFault({ kind: 'block', port: 389, proto: 'tcp', mode: 'reject' }, async ({ ip }) => {
      expect(await tcpConnect(ip, 389, 1_500)).toBe('refused');
    });
    expect(await tcpConnect(L.ip, 389, 3_000)).toBe('connected');
  });

  it('block 53/udp drop: a DNS query over UDP gets no answer, DNS over TCP still works', async () => {
    const name = `_ldap._tcp.dc._msdcs.${L.dnsDomain}`;
    await withFault({ kind: 'block', port: 53, proto: 'udp', mode: 'drop' }, async ({ ip }) => {
      await expect(srvOverUdp(ip, name, 1_500)).rejects.toThrow('no answer');
      expect(await srvOverTcp(ip, name)).toHaveLength(1);
    });
    expect(await srvOverUdp(L.ip, name)).toHaveLength(1);
  });

  it('block 53/udp reject: a DNS query over UDP is refused (ICMP port unreachable)', async () => {
    await withFault({ kind: 'block', port: 53, proto: 'udp', mode: 'reject' }, async ({ ip }) => {
      await expect(srvOverUdp(ip, `_kerberos._udp.${L.dnsDomain}`, 3_000)).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    });
  });

  it('block 88 drop: Kerberos over TCP times out while LDAPS still answers; reject: kinit fails at once', async () => {
    await withFault({ kind: 'block', port: 88, proto: 'both', mode: 'drop' }, async ({ ip }) => {
      expect(await tcpConnect(ip, 88, 1_500)).toBe('timeout');
      await withAdminLdaps((client) => client.search('', { scope: 'base', attributes: ['dnsHostName'] }));
    });
    await withFault({ kind: 'block', port: 88, proto: 'both', mode: 'reject' }, async ({ ip }) => {
      expect(await tcpConnect(ip, 88, 1_500)).toBe('refused');
      await expect(kinit('containerhost04$', 'HostPassw0rd!4')).rejects.toThrow(/Cannot contact any KDC/);
    });
    await expect(kinit('containerhost04$', 'HostPassw0rd!4')).resolves.toMatchObject({
      env: { KRB5_CONFIG: L.krb5Config },
    });
  });

  it('the fault is reverted when the test inside fails', async () => {
    const failing = withFault({ kind: 'block', port: 389, proto: 'tcp', mode: 'reject' }, () =>
      Promise.reject(new Error('test failed inside')),
    );
    await expect(failing).rejects.toThrow('test failed inside');
    expect(await tcpConnect(L.ip, 389, 3_000)).toBe('connected');
  });

  it('delay 2000: DNS through the relay answers at least 2 s later, the DC address stays fast', async () => {
    const name = `_kerberos._tcp.${L.dnsDomain}`;
    await withFault({ kind: 'delay', ms: 2_000 }, async ({ ip }) => {
      expect(ip).not.toBe(L.ip);
      let start = Date.now();
      expect(await srvOverUdp(ip, name, 6_000)).toHaveLength(1);
      const viaRelayUdp = Date.now() - start;
      start = Date.now();
      expect(await srvOverTcp(ip, name, 6_000)).toHaveLength(1);
      const viaRelayTcp = Date.now() - start;
      start = Date.now();
      expect(await srvOverUdp(L.ip, name, 6_000)).toHaveLength(1);
      const direct = Date.now() - start;
      expect(viaRelayUdp).toBeGreaterThanOrEqual(1_990);
      expect(viaRelayTcp).toBeGreaterThanOrEqual(1_990);
      expect(direct).toBeLessThan(viaRelayUdp);
    });
  });

  it('the relay carries LDAPS (verified strictly) and Kerberos over UDP and TCP', async () => {
    await withFault({ kind: 'delay', ms: 200 }, async ({ ip }) => {
      const client = new Client({ url: `ldaps://${ip}:636`, tlsOptions: { ca: [readFileSync(L.caFile)] } });
      try {
        await client.bind(L.adminUser, L.adminPassword);
      } finally {
        await client.unbind();
      }
      expect(await tracedKinit(ip, 'udp-first', 'containerhost04$', 'HostPassw0rd!4')).toContain(`from dgram ${ip}:88`);
      expect(await tracedKinit(ip, 'tcp', 'containerhost04$', 'HostPassw0rd!4')).toContain(`from stream ${ip}:88`);
    });
  });

  it('withStrongAuth: a simple bind on plain LDAP fails with "strong auth required", LDAPS still works', async () => {
    const plainBind = async () => {
      const client = new Client({ url: `ldap://${L.ip}:389`, timeout: 10_000 });
      try {
        await client.bind(L.adminUser, L.adminPassword);
      } finally {
        await client.unbind();
      }
    };
    await withStrongAuth(async () => {
      const failure = plainBind();
      await expect(failure).rejects.toBeInstanceOf(StrongAuthRequiredError);
      await expect(failure).rejects.toMatchObject({ code: 8 });
      await withAdminLdaps((client) => client.search('', { scope: 'base', attributes: ['dnsHostName'] }));
    });
    await expect(plainBind()).resolves.toBeUndefined();
  });
});
