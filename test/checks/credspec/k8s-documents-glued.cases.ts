import { readFileSync } from 'node:fs';
import { cases } from '../_harness.js';
import { specText } from '../_fixtures.js';
import { checked, sample } from './_specs.js';

// A real resource written twice, separated (---) or pasted one after the other.
const resource = readFileSync(
  new URL('../../fixtures/credspec/samples/xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml', import.meta.url),
  'utf8',
).trimEnd();

const glued = {
  severity: 'error' as const,
  message: /^2 resources are glued into one YAML document without `---` separators \(they start at lines 1, 21\)/,
};

export default cases({
  success: [
    {
      name: 'one resource',
      ...sample('xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml'),
      expect: [checked('YAML resources are separated by ---')],
    },
  ],
  failure: [
    {
      name: 'two resources without ---',
      facts: { 'credspec.documents': specText(`${resource}\n${resource}\n`, 'gmsa.yaml') },
      expect: [glued, glued],
    },
  ],
});
