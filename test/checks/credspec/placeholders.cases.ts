import { cases } from '../_harness.js';
import { checked, guide, guideCcg } from './_specs.js';

export default cases({
  success: [
    {
      name: "the guide's domain-joined example",
      ...guide(),
      expect: [checked('No placeholders or unrendered templates')],
    },
  ],
  failure: [
    {
      name: "the guide's <password>",
      ...guideCcg(),
      expect: [
        {
          severity: 'warning',
          message:
            'ActiveDirectoryConfig.HostAccountConfig.PluginInput contains a documentation placeholder (<...>) (the value of a secret field is not shown)',
        },
      ],
    },
  ],
});
