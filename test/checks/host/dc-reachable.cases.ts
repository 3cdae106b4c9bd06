import { cases } from '../_harness.js';
import { TRANSCRIPTS } from '../_fixtures.js';

const host = { build: 17763, domainJoined: true, domain: 'contoso.com' };

export default cases({
  success: [
    {
      name: 'nltest /sc_verify: NERR_Success (Azure Key Vault plug-in README)',
      facts: { 'host.windows': host, 'host.commands': { scVerify: TRANSCRIPTS.scVerifyOk() } },
      expect: [{ severity: 'pass', message: /secure channel to .* is verified \(NERR_Success\)/ }],
    },
  ],
  failure: [
    {
      name: 'ERROR_NO_LOGON_SERVERS (microsoft/SDN#339)',
      facts: { 'host.windows': host, 'host.commands': { scVerify: TRANSCRIPTS.scVerifyNoLogonServers() } },
      expect: [{ severity: 'error', subject: 'contoso.com', message: /failed with 1311 ERROR_NO_LOGON_SERVERS/ }],
    },
  ],
});
