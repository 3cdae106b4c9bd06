import { cases } from '../_harness.js';
import { container, gmsa, TRANSCRIPTS } from '../_fixtures.js';
import { one } from './_container-cases.js';

export default cases({
  success: [
    {
      name: 'NERR_Success',
      ...one(container({ credspec: 'webapp01.json' }), { domain: 'contoso.com', scVerify: TRANSCRIPTS.scVerifyOk() }),
      expect: [{ severity: 'pass', message: /the secure channel to .* verifies \(NERR_Success\)/ }],
    },
  ],
  failure: [
    {
      name: 'ERROR_NO_LOGON_SERVERS, and no TGT either (microsoft/SDN#339)',
      ...one(container({ credspec: 'webapp01.json' }), {
        domain: 'k8s.lab',
        scVerify: TRANSCRIPTS.scVerifyNoLogonServers(),
        klist: TRANSCRIPTS.klistAccessDenied(),
      }),
      expect: [
        { severity: 'error', message: /^Inside shared, nltest \/sc_verify answers 1311 ERROR_NO_LOGON_SERVERS/ },
      ],
    },
    {
      // plooploops/windows-containers-AD#7: the ticket proves the identity; the flag is not blamed first.
      name: '1787 while klist got a TGT for the gMSA: the identity works, Netlogon cannot set up its channel',
      ...one(container({ credspec: 'webapp01.json' }), {
        domain: 'dev.md.com',
        scVerify: TRANSCRIPTS.scVerifyNoTrustSamAccount(),
        klist: TRANSCRIPTS.klistWithScVerify1787(),
      }),
      expect: [
        {
          severity: 'error',
          message:
            /^Inside shared, nltest \/sc_verify answers 1787 ERROR_NO_TRUST_SAM_ACCOUNT\. But klist get krbtgt obtained a TGT for containerwp\$@DEV\.MD\.COM: the gMSA identity works .*only Netlogon cannot set up its secure channel\. If account\/workstation-trust-flag passes .*RPC to the DC \(TCP 135 and 49152-65535\)/,
        },
      ],
    },
    {
      name: '1787 with a TGT, and AD shows the flag set: not the flag',
      subjects: {
        ...one(container({ credspec: 'webapp01.json' }), {
          domain: 'dev.md.com',
          scVerify: TRANSCRIPTS.scVerifyNoTrustSamAccount(),
          klist: TRANSCRIPTS.klistWithScVerify1787(),
        }).subjects,
        gmsa: {
          containerwp: {
            'ad.gmsa': {
              name: 'containerwp',
              account: gmsa({ sAMAccountName: 'containerwp$', userAccountControl: 0x1000 }),
            },
          },
        },
      },
      expect: [
        { severity: 'error', message: /has WORKSTATION_TRUST_ACCOUNT \(0x1000\), so the flag is not the cause\./ },
      ],
    },
    {
      name: '1787 without a ticket: the account flag first',
      ...one(container({ credspec: 'webapp01.json' }), {
        domain: 'dev.md.com',
        scVerify: TRANSCRIPTS.scVerifyNoTrustSamAccount(),
      }),
      expect: [
        { severity: 'error', message: /1787 ERROR_NO_TRUST_SAM_ACCOUNT: .*see account\/workstation-trust-flag\./ },
      ],
    },
  ],
});
