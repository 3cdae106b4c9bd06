import { cases } from '../_harness.js';
import { checked, guideCcg, sample } from './_specs.js';

export default cases({
  success: [
    {
      name: 'the Azure Key Vault plug-in (macsux/kerberos-buildpack)',
      ...sample('macsux-kerberos-buildpack__CcgPlugin__vault.json'),
      expect: [checked('PluginGUID is a braced COM CLSID')],
    },
  ],
  failure: [
    {
      name: "the guide's example value",
      ...guideCcg(),
      expect: [
        {
          severity: 'error',
          message:
            /PluginGUID \{GDMA0342-266A-4D1P-831J-20990E82944F\} contains G, M, P, J.*the troubleshooting guide's example value/,
        },
      ],
    },
  ],
});
