/**
 * The "most likely cause": the first failing link of the chain host -> DC -> account -> credential spec ->
 * container (src/engine/chain.ts). The first link with an error explains the rest; the headline is what that
 * finding found (its fault kind, src/engine/faults.ts), and its message says the rest.
 */
import { CHAIN } from '../engine/chain.js';
import type { ChainLink } from '../engine/chain.js';
import { FAULTS } from '../engine/faults.js';
import type { Finding } from '../engine/finding.js';
import type { LikelyCause } from './model.js';

const candidate = (f: Finding, link: ChainLink): boolean =>
  f.severity === 'error' && !f.internal && f.link === link.link;

/**
 * The first link with an error, and in it the first finding that judges its fact directly: an echo (the LDAP ping's
 * "unknown account" beside account/exists) names the cause only when nothing in its link says it first-hand.
 */
function firstFailure(
  findings: readonly Finding[],
  chain: readonly ChainLink[],
): { link: ChainLink; finding: Finding } | undefined {
  for (const link of chain) {
    const failing = findings.filter((f) => candidate(f, link));
    const finding = failing.find((f) => !f.echoes) ?? failing[0];
    if (finding) return { link, finding };
  }
  return undefined;
}

function sentence(message: string): string {
  const trimmed = message.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The finding's kind in a few words; a check that names none is named by what it verifies. */
export function headline(finding: Finding): string {
  return finding.fault ? FAULTS[finding.fault] : `Failed: ${finding.title}`;
}

/**
 * "Port blocked: TCP 88 ...", without saying it twice when the message already begins with it; `named` (the
 * subject, when the message does not say it) goes after the headline.
 */
function withHeadline(finding: Finding, named = ''): string {
  const lead = headline(finding);
  const message = sentence(finding.message);
  if (message.toLowerCase().startsWith(lead.toLowerCase()))
    return named ? `${lead}${named}${message.slice(lead.length)}` : message;
  return `${lead}${named}: ${message}`;
}

/**
 * The first link with an error, or undefined when no link fails. Warnings (an expiring certificate, a missing
 * short-name SPN) do not stop a container from getting its identity, so they never name the cause.
 */
export function mostLikelyCause(
  findings: readonly Finding[],
  chain: readonly ChainLink[] = CHAIN,
  options: { nameSubject?: boolean } = {},
): LikelyCause | undefined {
  const hit = firstFailure(findings, chain);
  if (!hit) return undefined;
  // Among thousands of resources, the cause says which one (`web/Deployment/webapp`) when its message does not.
  const { subject, message } = hit.finding;
  const named = options.nameSubject && subject && !message.includes(subject) ? ` (${subject})` : '';
  return {
    link: hit.link.title,
    findingId: hit.finding.id,
    ...(hit.finding.fault ? { kind: hit.finding.fault } : {}),
    summary: withHeadline(hit.finding, named),
  };
}

export type LinkState = 'failed' | 'warning' | 'passed' | 'not checked';

/** Each link of the chain with its worst finding, for a picture of the chain (HTML report). */
export function chainStates(
  findings: readonly Finding[],
  chain: readonly ChainLink[] = CHAIN,
): { link: ChainLink; state: LinkState }[] {
  return chain.map((link) => {
    const mine = findings.filter((f) => f.link === link.link && !f.internal);
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
