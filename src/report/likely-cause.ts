/**
 * The "most likely cause": a gMSA reaches a container through a chain, host -> DC -> account -> credential
 * spec -> container. When several checks fail, the first failing link explains the rest (a container cannot
 * verify its secure channel when the host may not even retrieve the password), so it is named first.
 */
import type { Finding } from '../engine/finding.js';
import type { LikelyCause } from './model.js';

export interface ChainLink {
  link: 'host' | 'dc' | 'account' | 'credspec' | 'container';
  title: string;
  /** Opening of the summary sentence. */
  lead: string;
  /** Check-id areas (`host/`) or exact check ids that belong to this link. */
  matches: readonly string[];
}

export const CHAIN: readonly ChainLink[] = [
  { link: 'host', title: 'container host', lead: 'The container host cannot get the gMSA', matches: ['host/'] },
  {
    link: 'dc',
    title: 'domain controller',
    lead: 'No domain controller can be found or reached',
    // container/dc-located: the container's own view of the DC (its DNS), account/ldap-connection: the DC's LDAP.
    matches: ['network/', 'dc/', 'container/dc-located', 'account/ldap-connection'],
  },
  { link: 'account', title: 'gMSA account', lead: 'The gMSA account in AD is misconfigured', matches: ['account/'] },
  {
    link: 'credspec',
    title: 'credential spec',
    lead: 'The credential spec is wrong or missing',
    matches: ['credspec/', 'container/credspec-resolves', 'host/credential-specs-folder'],
  },
  { link: 'container', title: 'container', lead: 'The container is not set up to use the gMSA', matches: ['container/', 'known-issues/'] },
];

/** The link a check id belongs to: exact ids first (they override their area), then the area prefix. */
export function linkOf(checkId: string): ChainLink | undefined {
  return CHAIN.find((l) => l.matches.includes(checkId)) ?? CHAIN.find((l) => l.matches.some((m) => m.endsWith('/') && checkId.startsWith(m)));
}

function firstFailure(findings: readonly Finding[]): { link: ChainLink; finding: Finding } | undefined {
  for (const link of CHAIN) {
    const finding = findings.find((f) => f.severity === 'error' && !f.internal && linkOf(f.id) === link);
    if (finding) return { link, finding };
  }
  return undefined;
}

function sentence(message: string): string {
  const trimmed = message.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * The first link with an error, or undefined when no link fails. Warnings (an expiring certificate, a missing
 * short-name SPN) do not stop a container from getting its identity, so they never name the cause.
 */
export function mostLikelyCause(findings: readonly Finding[]): LikelyCause | undefined {
  const hit = firstFailure(findings);
  if (!hit) return undefined;
  return { link: hit.link.title, findingId: hit.finding.id, summary: `${hit.link.lead}: ${sentence(hit.finding.message)}` };
}

export type LinkState = 'failed' | 'warning' | 'passed' | 'not checked';

/** Each link of the chain with its worst finding, for a picture of the chain (HTML report). */
export function chainStates(findings: readonly Finding[]): { link: ChainLink; state: LinkState }[] {
  return CHAIN.map((link) => {
    const mine = findings.filter((f) => linkOf(f.id) === link);
    const state: LinkState = mine.some((f) => f.severity === 'error')
      ? 'failed'
      : mine.some((f) => f.severity === 'warning')
        ? 'warning'
        : mine.some((f) => f.severity === 'pass' || f.severity === 'info')
          ? 'passed'
          : 'not checked';
    return { link, state };
  });
}
