import { defineCheck } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { AdObjectSummary } from '../../facts/ad.js';
import { accountLabel, bareName, foundGmsa, notFound, qualified } from './_account.js';
import type { FindingDraft } from '../../engine/finding.js';

function spnOwnerLabel(facts: FactReader<'ad.domain'>, holder: AdObjectSummary): string {
  return holder.sAMAccountName ? qualified(facts, holder.sAMAccountName) : holder.dn;
}

export default defineCheck({
  meta: {
    id: 'account/spns',
    title: 'SPNs of the gMSA: unique, and covering the names clients use',
    section: 'account',
    link: 'account',
    fault: 'spn-conflict',
    looksAt:
      'servicePrincipalName of the gMSA, every other holder of each SPN (setspn -X), and host/NAME, HTTP/NAME for each --client-name.',
    why: 'Clients find the account by the name they reach the app at; a missing SPN or one held by two accounts makes Kerberos fail (or fall back to NTLM).',
    remediation:
      'Add the missing SPNs with setspn -S; remove a duplicate from the account that should not hold it with setspn -D.',
  },
  subject: 'gmsa',
  needs: ['ad.gmsa', 'ad.spns'],
  uses: ['ad.domain'],
  run(facts) {
    const account = foundGmsa(facts);
    if (!account) return [notFound(facts)];
    const { clientNames, holders } = facts.get('ad.spns');
    const subject = accountLabel(account);
    const own = account.servicePrincipalNames;
    const ownLower = new Set(own.map((s) => s.toLowerCase()));
    const identity = qualified(facts, account.sAMAccountName ?? subject);
    const findings: FindingDraft[] = [];
    for (const spn of own) {
      const others = (holders[spn.toLowerCase()] ?? []).filter((h) => h.dn.toLowerCase() !== account.dn.toLowerCase());
      for (const other of others) {
        findings.push({
          severity: 'error',
          subject,
          evidence: { spn, holders: [account.dn, other.dn] },
          message: `SPN ${spn} is held by both ${identity} and ${spnOwnerLabel(facts, other)} (${other.dn}): the KDC cannot tell which key to use`,
          remediation: {
            text: `Keep ${spn} on the account clients must reach (the gMSA) and remove it from the other one.`,
            commands: [`setspn -X`, `setspn -D ${spn} ${spnOwnerLabel(facts, other)}`],
          },
        });
      }
    }
    for (const name of clientNames) {
      for (const spn of [`host/${name}`, `HTTP/${name}`]) {
        if (ownLower.has(spn.toLowerCase())) continue;
        const elsewhere = (holders[spn.toLowerCase()] ?? []).filter(
          (h) => h.dn.toLowerCase() !== account.dn.toLowerCase(),
        );
        findings.push({
          severity: elsewhere.length ? 'error' : 'warning',
          subject,
          evidence: { clientName: name, spn, gmsaSpns: own, heldBy: elsewhere.map((h) => h.dn) },
          message: elsewhere.length
            ? `Clients reach the app as ${name}, but ${spn} belongs to ${elsewhere.map((h) => spnOwnerLabel(facts, h)).join(', ')}, not to ${identity}`
            : `Clients reach the app as ${name}, but ${identity} has no ${spn} SPN`,
          remediation: {
            text: elsewhere.length
              ? `Move ${spn} to the gMSA.`
              : `Add ${spn} to the gMSA (setspn -S refuses duplicates).`,
            commands: [
              ...elsewhere.map((h) => `setspn -D ${spn} ${spnOwnerLabel(facts, h)}`),
              `setspn -S ${spn} ${identity}`,
            ],
          },
        });
      }
    }
    if (findings.length) return findings;
    if (own.length === 0) {
      return [
        {
          severity: 'warning',
          subject,
          evidence: { spns: own },
          message: `${subject} has no SPN: clients cannot get a Kerberos ticket for it`,
          remediation: {
            text: 'Add an SPN for each name clients use.',
            commands: [`setspn -S HTTP/${account.dnsHostName ?? bareName(subject)} ${identity}`],
          },
        },
      ];
    }
    return [
      {
        severity: 'pass',
        subject,
        evidence: { spns: own, clientNames },
        message: `${subject} holds ${own.join(', ')}; no other account holds them${clientNames.length ? `; every client name is covered` : ''}`,
      },
    ];
  },
});
