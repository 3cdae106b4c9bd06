import { cases } from '../_harness.js';
import { domain, gmsa, webapp01 } from '../_fixtures.js';

const legacy = {
  dn: 'CN=legacyweb01,OU=GmsaLab,DC=contoso,DC=com',
  sAMAccountName: 'legacyweb01$',
  objectClass: ['top', 'computer'],
};

export default cases({
  success: [
    {
      name: 'its own SPNs, held by no one else',
      facts: { 'ad.domain': domain() },
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [
        {
          severity: 'pass',
          message: 'webapp01$ holds HTTP/webapp01.contoso.com, HTTP/webapp01; no other account holds them',
        },
      ],
    },
  ],
  failure: [
    {
      name: "an SPN held by two accounts (the lab's dupapp01$)",
      facts: { 'ad.domain': domain() },
      subjects: {
        gmsa: {
          webapp01: {
            ...webapp01(gmsa({ servicePrincipalNames: ['HTTP/webapp01.contoso.com'] })),
            'ad.spns': { clientNames: [], holders: { 'http/webapp01.contoso.com': [gmsa(), legacy] } },
          },
        },
      },
      expect: [
        {
          severity: 'error',
          message: /SPN HTTP\/webapp01\.contoso\.com is held by both CONTOSO\\webapp01\$ and CONTOSO\\legacyweb01\$/,
        },
      ],
    },
  ],
});
