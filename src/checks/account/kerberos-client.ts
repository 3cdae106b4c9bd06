import { defineCheck } from '../../engine/check.js';
import type { FaultKind } from '../../engine/faults.js';
import type { ChainLinkId } from '../../engine/chain.js';
import type { PastedObservationOf } from '../../facts/pasted.js';
import { aboutObservation, observed } from '../_paste.js';

type Problem = PastedObservationOf<'kerberos-client-error'>['problem'];

const MEANING: Record<Problem, { link: ChainLinkId; fault: FaultKind; text: string }> = {
  'client-revoked': {
    link: 'account',
    fault: 'account-disabled',
    text: 'the KDC says the account is disabled, locked out or expired (KDC_ERR_CLIENT_REVOKED)',
  },
  'principal-unknown': {
    link: 'account',
    fault: 'account-missing',
    text: 'the KDC does not know the principal (KDC_ERR_C_PRINCIPAL_UNKNOWN / S_PRINCIPAL_UNKNOWN): the account or SPN does not exist in that realm',
  },
  'preauth-failed': {
    link: 'account',
    fault: 'kdc-failed',
    text: 'pre-authentication failed: the key used (keytab, retrieved password) is not the account’s current one',
  },
  'clock-skew': {
    link: 'dc',
    fault: 'clock-skew',
    text: 'the clocks of this machine and the KDC differ by more than 5 minutes',
  },
  'kdc-unreachable': { link: 'dc', fault: 'dc-unreachable', text: 'no KDC of the realm answered' },
  'etype-nosupp': {
    link: 'account',
    fault: 'account-no-aes',
    text: 'the KDC and the account share no encryption type (KDC_ERR_ETYPE_NOSUPP)',
  },
  other: { link: 'account', fault: 'kdc-failed', text: 'the Kerberos request failed' },
};

export default defineCheck({
  meta: {
    id: 'account/kerberos-client',
    title: 'A Kerberos client gets a ticket for the gMSA',
    section: 'account',
    link: 'account',
    fault: 'kdc-failed',
    looksAt:
      'Kerberos errors pasted from Linux tools that use the gMSA (kinit, gmsad, credentials-fetcher, sssd): client revoked, principal unknown, pre-authentication failed, clock skew, no KDC.',
    why: 'The KDC’s answer names the failing link precisely: a disabled or missing gMSA, a stale key, the clock or the network.',
    remediation:
      'Fix what the KDC says: enable or create the gMSA, fetch its current password, sync the clock, or open the way to a KDC.',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'kerberos-client-error').map((o) => {
      const meaning = MEANING[o.problem];
      const name = o.principal?.replace(/@.*$/, '');
      const account = name?.replace(/\$$/, '') ?? '<gmsa>';
      // A gMSA's principal ends in $; another principal is a user (a domainless host's fetching account, say).
      const lookup =
        name === undefined || name.endsWith('$')
          ? `Get-ADServiceAccount ${account} -Properties Enabled,LockedOut,AccountExpirationDate,msDS-SupportedEncryptionTypes`
          : `Get-ADObject -LDAPFilter "(sAMAccountName=${account})" -Properties userAccountControl,userPrincipalName`;
      return aboutObservation(o, {
        severity: 'error',
        link: meaning.link,
        fault: meaning.fault,
        subject: o.principal ?? o.tool,
        message: `${o.tool} could not get a ticket${o.principal ? ` for ${o.principal}` : ''}: ${meaning.text}.`,
        remediation: {
          text: 'Confirm in AD what the KDC says about the account.',
          commands: [
            lookup,
            ...(name?.endsWith('$') || name === undefined
              ? [`gmsa-doctor check --gmsa ${account} --domain <domain>`]
              : []),
          ],
        },
      });
    });
  },
});
