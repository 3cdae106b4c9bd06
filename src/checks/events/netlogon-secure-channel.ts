import { credspecIdentity } from '../../credspec/identity.js';
import { defineCheck } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { EventLogFacts, EventRecord } from '../../facts/events.js';
import { gmsaSubject } from '../../facts/subjects.js';
import { CCG_PROVIDER, knownEvent } from '../../protocol/ccg-events.js';
import {
  byId,
  eventParameters,
  eventsOf,
  failureFinding,
  groupEvents,
  nothingToJudge,
  sourcesText,
  when,
} from './_events.js';

const SHARED_GMSA_ISSUE = 'https://github.com/microsoft/Windows-Containers/issues/405';

const bare = (name: string): string => name.trim().replace(/^.*\\/, '').replace(/\$$/, '').toLowerCase();

/** The gMSAs this run knows of: named in AD lookups, in the credential specs, and in CCG's own events. */
function knownGmsas(
  facts: FactReader<'events.log' | 'credspec.documents' | 'ad.gmsa'>,
  log: EventLogFacts,
): Set<string> {
  const fromEvents = groupEvents(log.events, [byId(CCG_PROVIDER, 2), byId(CCG_PROVIDER, 8)]).flatMap(
    (g) => g.gmsa ?? [],
  );
  const fromSpecs = (facts.optional('credspec.documents') ?? []).flatMap((d) => credspecIdentity(d.spec).gmsa ?? []);
  const fromAd = facts.each('ad.gmsa').map(({ subject }) => subject.id);
  return new Set([...fromEvents, ...fromSpecs, ...fromAd].map(bare).filter(Boolean));
}

/** The computer a 5720 event says has no account on the DC (its third parameter). */
function computerNamed(record: EventRecord): string | undefined {
  const named = eventParameters(record)[2]?.trim();
  return named ? named : undefined;
}

/**
 * 5720 naming a gMSA as the computer: a container's Netlogon logs on as its gMSA, and when several containers run
 * with one gMSA each new secure channel cancels the others'. Seen on every build, Windows Server 2019 and 2022
 * included (microsoft/Windows-Containers#405), not only before 17763 as the guide's known issue says.
 */
function sharedGmsaFindings(records: readonly EventRecord[], gmsas: ReadonlySet<string>): FindingDraft[] {
  const byGmsa = new Map<string, EventRecord[]>();
  for (const record of records) {
    const named = computerNamed(record);
    if (named && gmsas.has(bare(named))) byGmsa.set(bare(named), [...(byGmsa.get(bare(named)) ?? []), record]);
  }
  return [...byGmsa].map(([gmsa, list]) => {
    const times = list.map((r) => r.timeCreated).sort();
    const span = { count: list.length, first: times[0]!, last: times.at(-1)! };
    return {
      severity: 'error' as const,
      // The containers' fault, not the host's secure channel: it sits on the container link.
      link: 'container' as const,
      fault: 'gmsa-shared' as const,
      subject: `gMSA ${gmsa}`,
      about: gmsaSubject(gmsa),
      message: `NETLOGON event 5720, ${when(span)}: the session setup failed because "the computer ${computerNamed(list[0]!)} does not have a local security database account", and ${computerNamed(list[0]!)} is the gMSA, not a computer. Containers log on to the DC as their gMSA: several containers running with gMSA ${gmsa} at once cancel each other's secure channel, and the ones that lose it fail domain authentication until they restart. This happens on every Windows build, not only before Windows Server 2019 (${SHARED_GMSA_ISSUE}).`,
      evidence: {
        eventId: 5720,
        count: list.length,
        first: span.first,
        last: span.last,
        computers: [...new Set(list.map((r) => r.computer))],
      },
      remediation: {
        text: `Give each container that runs at the same time its own gMSA (and credential spec), or run one container per gMSA; restart the containers that lost their trust. Follow ${SHARED_GMSA_ISSUE} for Microsoft's fix.`,
        commands: [
          'docker ps --format "{{.Names}}" | ForEach-Object { docker inspect $_ --format "{{.Name}} {{.HostConfig.SecurityOpt}}" }',
        ],
      },
    };
  });
}

export default defineCheck({
  meta: {
    id: 'events/netlogon-secure-channel',
    title: 'NETLOGON set up a secure channel with a DC (events 5719, 5720)',
    section: 'events',
    link: 'host',
    fault: 'host-secure-channel',
    looksAt:
      'System log, NETLOGON events 5719 (no DC for the domain) and 5720 (no computer account on the DC), and whether 5720 names a gMSA as the computer',
    why: 'Without a secure channel the host cannot retrieve the gMSA password, and containers cannot authenticate.',
    remediation:
      'For 5719 check DNS and the DC ports; for 5720 check the computer account and reset the secure channel; a 5720 naming the gMSA means several containers share it at once.',
  },
  needs: ['events.log'],
  uses: ['credspec.documents', 'ad.gmsa'],
  run(facts) {
    const log = eventsOf(facts);
    const findings: FindingDraft[] = [];
    const gmsas = knownGmsas(facts, log);
    const event5720 = byId('NETLOGON', 5720);
    const is5720 = (r: EventRecord): boolean => knownEvent(r.provider, r.eventId) === event5720;
    const sharing = log.events.filter((r) => is5720(r) && gmsas.has(bare(computerNamed(r) ?? '')));
    findings.push(...sharedGmsaFindings(sharing, gmsas));
    // 5719: the host found no DC (the DC link); 5720: it found one, without a working computer account (the host's).
    const places = { 5719: { link: 'dc', fault: 'host-no-dc' }, 5720: {} } as const;
    for (const id of [5719, 5720] as const) {
      const event = byId('NETLOGON', id);
      const rest = log.events.filter((r) => !sharing.includes(r));
      findings.push(
        ...groupEvents(rest, [event]).map((group) => ({
          ...failureFinding(event, group),
          ...places[id],
          subject: group.computers.join(', ') || undefined,
        })),
      );
    }
    if (findings.length > 0) return findings;
    return [nothingToJudge(log) ?? { severity: 'pass', message: `No NETLOGON 5719 or 5720 in ${sourcesText(log)}.` }];
  },
});
