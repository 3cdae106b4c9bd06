/**
 * Facts made from real pastes, for the cases of the checks that judge pasted evidence: a fixture of
 * test/fixtures/evidence/ (sources in its PROVENANCE.md and cases.json) read as `explain` reads a paste, recognised
 * (src/evidence/) and made facts by `factsOfEvidence`. A case takes the fact its check judges from there, so what
 * the check sees is what a user who pastes that thread's text gets.
 */
import { readFileSync } from 'node:fs';
import { factsOfEvidence, recognise } from '../../src/evidence/index.js';
import type { FactValue, RunFactKey } from '../../src/facts/index.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/**
 * The lines of the paste to keep, 1-based as pasted; the others are blanked, so those kept keep their numbers (and
 * a finding quotes them as the paste numbers them). For a case that rests on part of a real paste only.
 */
export type PastedLines = readonly number[];

/**
 * The bytes of a fixture: a file name is one of test/fixtures/evidence/; a path (`evidence-samples/NAME.txt`) is
 * under test/fixtures/.
 */
function pasted(fixtureFile: string, lines?: PastedLines): Buffer | string {
  const bytes = readFileSync(new URL(fixtureFile.includes('/') ? fixtureFile : `evidence/${fixtureFile}`, FIXTURES));
  if (!lines) return bytes;
  const all = bytes.toString('utf8').split('\n');
  const outside = lines.filter((n) => !Number.isInteger(n) || n < 1 || n > all.length);
  if (outside.length > 0)
    throw new Error(`${fixtureFile} has lines 1 to ${all.length}: no line ${outside.join(', ')} to keep`);
  const keep = new Set(lines);
  return all.map((text, i) => (keep.has(i + 1) ? text : '')).join('\n');
}

/** One fact about the run that the paste (or the lines kept of it) gives; an error if it gives none. */
export function pastedFact<K extends RunFactKey>(key: K, fixtureFile: string, lines?: PastedLines): FactValue<K> {
  const { facts } = factsOfEvidence(recognise(pasted(fixtureFile, lines)).items);
  const result = facts.snapshot().facts[key];
  if (result?.status !== 'ok')
    throw new Error(`${fixtureFile}${lines ? ` (lines ${lines.join(', ')})` : ''}: the paste gives no ${key}`);
  return result.value as FactValue<K>;
}

/** What the paste shows that no probe gathers (`paste.observations`), as the checks of pasted evidence judge it. */
export function pastedObservations(fixtureFile: string, lines?: PastedLines): FactValue<'paste.observations'> {
  return pastedFact('paste.observations', fixtureFile, lines);
}
