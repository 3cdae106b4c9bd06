/**
 * The facts file `gmsa-doctor collect` would have written on the host of a real paste: the same commands' output as
 * the captures collect saves, gathered by collect's own probes where they can read the paste (the container-exec
 * probe answered from the commands typed in the paste, the credential spec and event log readers, the inspect
 * parser), then saved as collect saves them (what no probe of the run gathered left out, secrets redacted, facts
 * file version 2). Nothing is added to the paste: a command collect runs that the paste does not show is left out
 * of the file, as a fact that was not gathered. The exit code of a command is not in a paste: 1 when its output says
 * it failed, 0 otherwise (no check reads it).
 */
import { readFileSync } from 'node:fs';
import { FactStore } from '../../src/engine/facts.js';
import type { FactKey, FactResult, FactResults, FactsSnapshot } from '../../src/engine/facts.js';
import type { Probe } from '../../src/engine/probe.js';
import { redact } from '../../src/engine/redact.js';
import { gather, NOT_GATHERED } from '../../src/engine/runner.js';
import { eventRecordsOfText } from '../../src/evidence/facts.js';
import type { ContainerExecFacts, ContainerFacts } from '../../src/facts/docker.js';
import type { EventLogFacts, EventRecord } from '../../src/facts/events.js';
import { factsFile } from '../../src/facts/file.js';
import type { CcgPluginFacts } from '../../src/facts/host.js';
import { commandLine, ReplayRunner } from '../../src/probes/commands.js';
import type { ReplayEntry } from '../../src/probes/commands.js';
import { containerExecProbe } from '../../src/probes/containers.js';
import { credspecFilesProbe } from '../../src/probes/credspec-files.js';
import { judgedContainers } from '../../src/probes/docker.js';
import { eventLogProbe } from '../../src/probes/eventlog.js';
import { containerFromInspect } from '../../src/protocol/parsers/docker-inspect.js';
import { ccgPluginsWithoutControl, registeredCcgPlugins } from '../../src/protocol/parsers/ccg-registry.js';
import { parseGetAdDomain } from '../../src/protocol/parsers/powershell.js';
import { splitTranscript } from '../../src/protocol/parsers/transcript.js';
import { pluginGuidsOf } from '../../src/credspec/identity.js';
import type { AdDomain } from '../../src/facts/ad.js';
import type { CommandCapture } from '../../src/facts/common.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url);
/** A fixture's path: `evidence/NAME.txt`, `host/NAME.json`, `events/NAME.json`... (an absolute path as it is). */
export const fixturePath = (name: string): string => (name.startsWith('/') ? name : new URL(name, FIXTURES).pathname);
export const fixtureText = (name: string): string => readFileSync(fixturePath(name), 'utf8');

/** The container of a situation: its real `docker inspect` data, and what was typed inside it. */
export interface CollectedContainer {
  /** A `docker inspect` file under test/fixtures (the first container of it). */
  inspect: string;
  /**
   * HostConfig.SecurityOpt as another real paste shows it (a `docker inspect` fragment): the container started with
   * that credential spec. Absent: the file's own.
   */
  securityOptFrom?: string;
  /** The sessions typed inside the container (fixtures), replayed as `docker exec <id> ...`. */
  transcript: string | string[];
  /** The domain collect asks about (the credential spec's DnsName; here the one the paste's sc_verify names). */
  domain?: string;
}

export interface CollectedSituation {
  /** The computer collect ran on (the file's `host`). */
  host?: string;
  container?: CollectedContainer;
  /** Credential spec files (fixtures), read by collect's reader (PluginInput redacted on saving). */
  credspecs?: string[];
  /** A `reg query` output or .reg export (a fixture) of the CCG COMClasses keys, read as the plug-in probe reads it. */
  ccgRegistry?: string;
  /** Event log files (fixtures) read by collect's event reader, and which of their records are the situation's. */
  events?: { files: string[]; keep?: (record: EventRecord) => boolean };
  /** `Test-ADServiceAccount` output per gMSA, as pasted (a fixture): what collect's host-commands probe captures. */
  testAdServiceAccount?: Record<string, string>;
  /** `Get-ADDomain` output (a fixture): the domain as collect reads it over LDAP. */
  adDomain?: string;
}

/** The commands collect runs in a container, as the paste typed them (`nltest.exe /query` is `nltest /query`). */
const COLLECTED = /^(?:whoami|nltest(?:\.exe)? \/(?:query|sc_verify:\S+)|klist(?:\.exe)? get krbtgt)$/i;

/** What the command printed says it failed (nltest's `I_NetLogonControl failed`, `klist failed`, `Error calling API`). */
const failed = (output: string): boolean => /\bfailed\b|^Error\b/im.test(output);

/** The transcript's commands that collect runs, each answered with the output the paste shows. */
function replayed(transcripts: string | string[]): ReplayEntry[] {
  return [transcripts]
    .flat()
    .flatMap((t) => splitTranscript(fixtureText(t)))
    .filter((e) => COLLECTED.test(e.command.replace(/\s+/g, ' ').trim()))
    .map((e) => ({ ...e, exitCode: failed(e.output) ? 1 : 0 }));
}

function inspected(container: CollectedContainer): ContainerFacts {
  const raw = (JSON.parse(fixtureText(container.inspect)) as Record<string, Record<string, unknown>>[])[0]!;
  if (container.securityOptFrom) {
    const fragment = fixtureText(container.securityOptFrom);
    const list = /"SecurityOpt"\s*:\s*(\[[^\]]*\]|null)/.exec(fragment)?.[1];
    if (!list) throw new Error(`${container.securityOptFrom}: no "SecurityOpt" in it`);
    raw.HostConfig = { ...raw.HostConfig, SecurityOpt: JSON.parse(list) as unknown };
  }
  const facts = containerFromInspect(raw);
  if ('reason' in facts) throw new Error(`${container.inspect}: ${facts.reason}`);
  // A container without a credential spec is judged when collect is told to (--container NAME).
  return facts.credentialSpecOption ? facts : { ...facts, selected: true };
}

function stubProbe(id: string, run: Probe['run'], provides: Probe['provides']): Probe {
  return { id, title: id, provides, run };
}

/** What collect saves: facts no probe of the run gave are left out; a command the paste does not show too. */
function saved(snapshot: FactsSnapshot): FactsSnapshot {
  const keep = (results: FactResults): FactResults =>
    Object.fromEntries(
      Object.entries(results)
        .filter(([, r]) => !(r.status === 'unavailable' && r.reason === NOT_GATHERED))
        .map(([key, r]) => [key, key === 'container.exec' ? shownOnly(r) : r]),
    );
  return {
    facts: keep(snapshot.facts),
    subjects: Object.fromEntries(
      Object.entries(snapshot.subjects).map(([kind, byId]) => [
        kind,
        Object.fromEntries(Object.entries(byId).map(([id, facts]) => [id, keep(facts)])),
      ]),
    ),
  };
}

function shownOnly(result: FactResult): FactResult {
  if (result.status !== 'ok') return result;
  const exec = result.value as ContainerExecFacts;
  const shown = Object.fromEntries(Object.entries(exec).filter(([, v]) => typeof v === 'string' || !v.notFound));
  return { ...result, value: shown };
}

function adDomainOf(text: string): AdDomain {
  const d = parseGetAdDomain(text);
  if (!d.dnsRoot || !d.domainSid || !d.objectGuid || !d.distinguishedName)
    throw new Error('the Get-ADDomain output lacks DNSRoot, DomainSID, ObjectGUID or DistinguishedName');
  return {
    dnsName: d.dnsRoot.toLowerCase(),
    ...(d.netbiosName ? { netbiosName: d.netbiosName } : {}),
    ...(d.forest ? { forestDnsName: d.forest.toLowerCase() } : {}),
    sid: d.domainSid,
    guid: d.objectGuid.toLowerCase(),
    baseDn: d.distinguishedName,
  };
}

/** The facts file, as the text `collect -o FILE` writes. */
export async function collectedFactsFile(situation: CollectedSituation): Promise<string> {
  const facts = new FactStore();
  const probes: Probe[] = [];
  const keys: FactKey[] = [];
  const { container } = situation;
  if (container) {
    const inspect = inspected(container);
    probes.push(
      stubProbe('docker-engine', () => Promise.resolve(judgedContainers([inspect], 'no container')), [
        'container.inspect',
      ]),
    );
    // As ReplayRunner.inContainer answers a session typed inside a container, with the exit codes set.
    const entries = replayed(container.transcript).map((e) => ({
      ...e,
      command: `docker exec ${inspect.id} ${e.command}`,
    }));
    probes.push(containerExecProbe(new ReplayRunner(entries), container.domain ? { domain: container.domain } : {}));
    keys.push('container.inspect', 'container.exec');
  }
  if (situation.credspecs) {
    probes.push(credspecFilesProbe(situation.credspecs.map(fixturePath)));
    keys.push('credspec.documents', 'credspec.readErrors');
  }
  if (situation.events) {
    probes.push(eventLogProbe({ files: situation.events.files.map(fixturePath), readText: eventRecordsOfText }));
    keys.push('events.log');
  }
  await gather(keys, { probes, facts });
  if (situation.events?.keep) {
    const log = facts.get('events.log');
    const events = log.events.filter(situation.events.keep);
    const kept: EventLogFacts = {
      ...log,
      sources: log.sources.map((s) => ({ ...s, relevant: events.length })),
      events,
    };
    facts.set('events.log', kept, { source: 'eventlog' });
  }
  if (situation.ccgRegistry) {
    // As the plug-in probe reads `reg query`: the CLSIDs under Control\CCG\COMClasses, and for each PluginGUID of
    // the credential specs whether it is there or under the key without \Control\.
    const text = fixtureText(situation.ccgRegistry);
    const registered = registeredCcgPlugins(text);
    const wrong = ccgPluginsWithoutControl(text);
    const plugins: CcgPluginFacts = { registered, classes: {} };
    for (const guid of pluginGuidsOf(facts.optional('credspec.documents') ?? []))
      plugins.classes[guid] = {
        ccgRegistered: registered.includes(guid),
        registeredWithoutControl: wrong.includes(guid),
      };
    facts.set('host.ccgPlugins', plugins, { source: 'ccg-plugins' });
  }
  if (situation.testAdServiceAccount) {
    const tests = Object.fromEntries(
      Object.entries(situation.testAdServiceAccount).map(([gmsa, fixture]): [string, CommandCapture] => {
        const output = fixtureText(fixture);
        return [
          gmsa,
          {
            // The command line collect's host-commands probe runs.
            command: commandLine('powershell.exe', [
              '-NoProfile',
              '-NonInteractive',
              '-Command',
              `Test-ADServiceAccount -Identity '${gmsa}'`,
            ]),
            exitCode: 0,
            stdout: output,
            stderr: '',
            timedOut: false,
            notFound: false,
          },
        ];
      }),
    );
    facts.set('host.commands', { testAdServiceAccount: tests }, { source: 'host-commands' });
  }
  if (situation.adDomain) facts.set('ad.domain', adDomainOf(fixtureText(situation.adDomain)), { source: 'ldap.ad' });
  const file = factsFile(redact(saved(facts.snapshot())), {
    collectedAt: '2024-05-21T09:00:00.000Z',
    ...(situation.host ? { host: situation.host } : {}),
    options: { gmsas: Object.keys(situation.testAdServiceAccount ?? {}) },
  });
  return JSON.stringify(file, null, 2) + '\n';
}
