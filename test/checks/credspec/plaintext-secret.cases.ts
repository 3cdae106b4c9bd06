import { cases } from '../_harness.js';
import { checked, guideCcg } from './_specs.js';

export default cases({
  success: [
    {
      name: "the guide's example, still with its placeholder",
      ...guideCcg(),
      expect: [checked('PluginInput holds no plaintext password')],
    },
  ],
  failure: [
    {
      name: 'the placeholder filled in with the password',
      ...guideCcg((s) => (s.ActiveDirectoryConfig.HostAccountConfig.PluginInput = 'contoso.com:gmsaccg:Winter2024!')),
      expect: [
        {
          severity: 'warning',
          message: 'PluginInput looks like domain:user:password with the password in plain text (value not shown)',
        },
      ],
    },
  ],
});
