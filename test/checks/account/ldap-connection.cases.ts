import { cases } from '../_harness.js';

const session = {
  dc: 'dc1.contoso.com',
  address: '10.213.37.2',
  port: 636,
  transport: 'ldaps' as const,
  bind: 'simple' as const,
  identity: 'Administrator@contoso.com',
};

export default cases({
  success: [
    {
      name: 'an LDAPS session with a simple bind',
      facts: { 'ad.connection': { ...session, ok: true } },
      expect: [
        {
          severity: 'pass',
          subject: 'ldaps://dc1.contoso.com:636',
          message: 'Read AD from dc1.contoso.com over LDAPS with a simple bind as Administrator@contoso.com',
        },
      ],
    },
  ],
  failure: [
    {
      name: 'a wrong password (AD sub-code 52e)',
      facts: {
        'ad.connection': {
          ...session,
          ok: false,
          problem: {
            kind: 'invalid-credentials',
            resultCode: 49,
            dataCode: '52e',
            detail: '80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839',
          },
        },
      },
      expect: [
        {
          severity: 'error',
          message:
            'dc1.contoso.com:636 rejected the bind of Administrator@contoso.com (LDAP result 49, AD sub-code 52e)',
        },
      ],
    },
    {
      name: 'no way to use integrated authentication on this machine (no SSPI, no kerberos addon)',
      facts: {
        'ad.connection': {
          ...session,
          bind: 'gssapi',
          ok: false,
          problem: {
            kind: 'integrated-auth-unavailable',
            detail:
              'integrated (Kerberos) authentication is not available on this machine (the kerberos addon: not installed)',
          },
        },
      },
      expect: [
        {
          severity: 'error',
          message:
            /^No Kerberos bind to dc1\.contoso\.com:636: integrated \(Kerberos\) authentication is not available/,
        },
      ],
    },
  ],
});
