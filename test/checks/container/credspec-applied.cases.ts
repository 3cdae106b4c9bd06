import { cases } from '../_harness.js';
import { container, criContainer, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'a pod container of containerd with its spec, and nltest /query succeeds inside',
      ...one(criContainer('iis'), { query: TRANSCRIPTS.queryOk() }),
      expect: [
        {
          severity: 'pass',
          message:
            "Container web/webapp-7c9f6d8b5-x2kqp/iis runs with the credential spec passed through the CRI (the pod's gmsaCredentialSpec).",
        },
      ],
    },
    {
      name: 'a spec, and nltest /query succeeds inside',
      ...one(container({ credspec: 'webapp01.json' }), { query: TRANSCRIPTS.queryOk() }),
      expect: [
        {
          severity: 'pass',
          subject: 'shared',
          message: 'Container shared runs with credentialspec=file://webapp01.json.',
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a pod container of containerd that the CRI gave no credential spec',
      ...one({ ...criContainer('iis'), credentialSpec: undefined }, { query: TRANSCRIPTS.queryNoTrustLsaSecret() }),
      expect: [
        {
          severity: 'error',
          message:
            /web\/webapp-7c9f6d8b5-x2kqp\/iis was started without a credential spec \(the CRI gave containerd no credential_spec\).*1786/,
        },
      ],
    },
    {
      name: 'no credential spec',
      ...one(container()),
      expect: [{ severity: 'error', subject: 'shared', message: /was started without a credential spec/ }],
    },
    {
      name: 'a spec, but ERROR_NO_TRUST_LSA_SECRET inside (xiaoping8385/TKGi-GMSA)',
      ...one(container({ credspec: 'webapp01.json' }), { query: TRANSCRIPTS.queryNoTrustLsaSecret() }),
      expect: [
        {
          severity: 'error',
          message: /nltest \/query answers 1786 ERROR_NO_TRUST_LSA_SECRET: the gMSA identity was not applied/,
        },
      ],
    },
  ],
});
