/** What the checks of pasted observations share: the observations of some kinds, and the finding that quotes one. */
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import type { PastedObservation, PastedObservationOf } from '../facts/pasted.js';

export function observed<K extends PastedObservation['kind']>(
  facts: FactReader<'paste.observations'>,
  ...kinds: K[]
): PastedObservationOf<K>[] {
  return facts.get('paste.observations').filter((o): o is PastedObservationOf<K> => kinds.includes(o.kind as K));
}

/** A finding about one observation: it quotes the pasted lines, and names the failing codes on them. */
export function aboutObservation(o: PastedObservation, draft: Omit<FindingDraft, 'quote'>): FindingDraft {
  return {
    ...draft,
    quote: o.quote,
    ...(o.codes.length ? { evidence: { ...draft.evidence, codes: o.codes.join(', ') } } : {}),
  };
}
