import { cases } from '../_harness.js';
import { checked, guide } from './_specs.js';

export default cases({
  success: [{ name: "the guide's example", ...guide(), expect: [checked('CmsPlugins lists ActiveDirectory')] }],
  failure: [
    {
      name: 'CmsPlugins empty',
      ...guide((s) => (s.CmsPlugins = [])),
      expect: [{ severity: 'error', message: 'CmsPlugins does not contain "ActiveDirectory" (it has [])' }],
    },
  ],
});
