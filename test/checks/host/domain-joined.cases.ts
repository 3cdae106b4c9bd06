import { cases } from '../_harness.js';
import { specDocuments, NON_DOMAIN_JOINED, webapp01Spec } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: "joined to the gMSA's domain",
      facts: {
        'host.windows': { build: 17763, domainJoined: true, domain: 'contoso.com', computerName: 'CONTAINERHOST01' },
        'credspec.documents': webapp01Spec(),
      },
      expect: [{ severity: 'pass', subject: 'CONTAINERHOST01', message: 'CONTAINERHOST01 is joined to contoso.com.' }],
    },
    {
      name: 'not joined, with a CCG plug-in spec',
      facts: {
        'host.windows': { build: 20348, domainJoined: false, computerName: 'NODE1' },
        'credspec.documents': specDocuments(NON_DOMAIN_JOINED),
      },
      expect: [{ severity: 'pass', message: /NODE1 is not domain joined; its credential specs use a CCG plugin/ }],
    },
  ],
  failure: [
    {
      name: 'not joined, no HostAccountConfig',
      facts: {
        'host.windows': { build: 20348, domainJoined: false, computerName: 'NODE1' },
        'credspec.documents': webapp01Spec(),
      },
      expect: [{ severity: 'error', message: /not domain joined and no credential spec has HostAccountConfig/ }],
    },
    {
      name: "joined to another domain than the spec's",
      facts: {
        'host.windows': { build: 17763, domainJoined: true, domain: 'fabrikam.com', computerName: 'HOST9' },
        'credspec.documents': webapp01Spec(),
      },
      expect: [
        {
          severity: 'error',
          message: /HOST9 is joined to fabrikam\.com, but .*webapp01\.json names a gMSA of contoso\.com/,
        },
      ],
    },
  ],
});
