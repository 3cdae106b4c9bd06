import { cases } from '../_harness.js';
import { webapp01 } from '../_fixtures.js';

// The lab's trap: a user webapp01 beside the gMSA webapp01$.
const user = {
  dn: 'CN=webapp01 (user),OU=GmsaLab,DC=contoso,DC=com',
  sAMAccountName: 'webapp01',
  objectClass: ['top', 'person', 'organizationalPerson', 'user'],
};

export default cases({
  success: [
    {
      name: 'only the gMSA',
      subjects: { gmsa: { webapp01: webapp01() } },
      expect: [{ severity: 'pass', subject: 'webapp01$', message: 'No other account is named like webapp01$' }],
    },
  ],
  failure: [
    {
      name: 'a user named like the gMSA',
      subjects: { gmsa: { webapp01: { ...webapp01(), 'ad.similarNames': [...webapp01()['ad.similarNames'], user] } } },
      expect: [
        {
          severity: 'warning',
          subject: user.dn,
          message: /user webapp01 \(CN=webapp01 \(user\).*\) has the gMSA's name without the \$/,
        },
      ],
    },
  ],
});
