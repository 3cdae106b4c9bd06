/**
 * The "most likely cause": the first failing link of the chain host -> DC -> account -> credential spec ->
 * container (src/engine/chain.ts). Each finding carries its check's link; the first link with an error explains the
 * rest, and its own finding's message names the cause.
 */
import { CHAIN } from '../engine/chain.js';
import type { ChainLink } from '../engine/chain.js';
import type { Finding } from '../engine/finding.js';
import type { LikelyCause } from './model.js';

function firstFailure(
  findings: readonly Finding[],
  chain: readonly ChainLink[],
): { link: ChainLink; finding: Finding } | undefined {
  for (const link of chain) {
    const finding = findings.find((f) => f.severity === 'error' && !f.internal && f.link === link.link);
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
    summary: `${hit.link.lead}${named}: ${sentence(message)}`,
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
