import { cases } from '../_harness.js';
import { gmsa, webapp01 } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'AES128 and AES256',
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [{ severity: 'pass', message: 'webapp01$ supports AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96' }],
    },
  ],
  failure: [
    {
      name: "RC4 only (the lab's rc4app01$)",
      subjects: { gmsa: { webapp01: webapp01(gmsa({ supportedEncryptionTypes: 4 })) } },
      expect: [{ severity: 'error', message: /supports RC4 only \(msDS-SupportedEncryptionTypes 4\): no AES/ }],
    },
  ],
});
