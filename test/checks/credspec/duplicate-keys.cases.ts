import { readFileSync } from 'node:fs';
import { cases } from '../_harness.js';
import { DOMAIN_JOINED, specText } from '../_fixtures.js';
import { checked, guide } from './_specs.js';

// The guide's example with its Sid line written twice, as a hand edit leaves it.
const guideText = readFileSync(new URL(`../../fixtures/credspec/samples/${DOMAIN_JOINED}`, import.meta.url), 'utf8');
const twice = guideText.replace(/( *"Sid": [^\n]*\n)/, '$1$1');

export default cases({
  success: [{ name: "the guide's example", ...guide(), expect: [checked('No key appears twice')] }],
  failure: [
    {
      name: 'Sid written twice',
      facts: { 'credspec.documents': specText(twice, 'webapp01.json') },
      expect: [{ severity: 'warning', message: /Sid/ }],
    },
  ],
});
