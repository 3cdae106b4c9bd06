/**
 * What a paste's items say, in a few stable strings: the kinds and where they rest, the commands seen, the failing
 * status codes, the look-alikes. For tests (cases.json records it per corpus fixture) and for a one-line overview.
 */
import type { EvidenceItem, LookAlikeId } from './types.js';

export interface EvidenceSummary {
  /** `kind@from-to:q1,q2` per item, in paste order: the lines it covers (`kind@line` for one), then the lines it quotes. */
  items: string[];
  /** The command lines typed, as pasted. */
  commands: string[];
  /** Failing status codes, each name once (hex when the tables have no name): 0xD0020017 and 0xC0020017 are one. */
  failingCodes: string[];
  lookAlikes: LookAlikeId[];
}

const span = (s: { from: number; to: number }): string => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`);

export function summarise(items: readonly EvidenceItem[]): EvidenceSummary {
  const failing = new Set<string>();
  const lookAlikes = new Set<LookAlikeId>();
  for (const item of items) {
    for (const code of item.codes) if (code.failing) failing.add(code.name ?? code.hex);
    if (item.lookAlike) lookAlikes.add(item.lookAlike.id);
  }
  return {
    items: items.map((i) => `${i.kind}@${span(i.lines)}:${i.quote.map((q) => span(q)).join(',')}`),
    commands: items.flatMap((i) => (i.kind === 'command' ? [i.data.text] : [])),
    failingCodes: [...failing],
    lookAlikes: [...lookAlikes],
  };
}
