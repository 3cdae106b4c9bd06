import { defineCheck } from '../../engine/check.js';
import { toSddl } from '../../protocol/security-descriptor.js';
import { accountLabel, bareName } from '../account/_account.js';
import { judge, principalName, psList } from './_password-access.js';

export default defineCheck({
  meta: {
    id: 'host/can-retrieve-password',
    title: 'The host may retrieve the gMSA password (Test-ADServiceAccount, explained)',
    section: 'host-domain-joined',
    link: 'host',
    fault: 'password-access-denied',
    looksAt:
      "The gMSA's msDS-GroupMSAMembership descriptor, evaluated ACE by ACE (deny before allow, in stored order) against the host computer's objectSid, its tokenGroups (nested groups included) and the well-known SIDs of a computer logon.",
    why: 'Only principals that descriptor allows may retrieve the managed password; without it the container cannot log on as the gMSA.',
    remediation:
      'Add the host to an allowed group (Add-ADGroupMember) or allow it (Set-ADServiceAccount -PrincipalsAllowedToRetrieveManagedPassword), then purge its tickets or restart it.',
  },
  subject: 'gmsa',
  needs: ['ad.gmsa', 'ad.host'],
  uses: ['ad.sidNames'],
  run(facts) {
    const pre = judge(facts);
    if ('finding' in pre) return [pre.finding];
    const { gmsa, host, sd, decision, names } = pre.judgement;
    const subject = accountLabel(host);
    const allowed = decision.allowedPrincipals.map((sid) => principalName(sid, names));
    const evidence = {
      gmsa: gmsa.dn,
      descriptor: toSddl(sd, names),
      allowedPrincipals: allowed,
      hostSid: host.objectSid,
      hostGroups: host.tokenGroups.map((sid) => principalName(sid, names)),
      decidingAce: decision.decidedBy
        ? {
            position: decision.decidedBy.index + 1,
            ace: decision.decidedBy.sddl,
            matched: principalName(decision.decidedBy.matchedSid, names),
          }
        : null,
    };
    const gmsaName = bareName(accountLabel(gmsa));
    if (decision.allowed) {
      return [
        {
          severity: 'pass',
          subject,
          evidence,
          message: `${subject} may retrieve the password of ${accountLabel(gmsa)}: ${decision.reason}`,
        },
      ];
    }
    const hostSam = host.sAMAccountName ?? subject;
    const groups = decision.allowedPrincipals.filter(
      (sid) => sid !== host.objectSid && names.has(sid) && !names.get(sid)!.endsWith('$'),
    );
    if (decision.decidedBy) {
      const keep = allowed.filter((name) => name !== hostSam);
      return [
        {
          severity: 'error',
          subject,
          evidence,
          message: `${subject} may not retrieve the password of ${accountLabel(gmsa)}: ${decision.reason}`,
          remediation: {
            text: 'Set-ADServiceAccount rewrites the descriptor with allow entries only, which drops the deny entry; list every principal that should keep access (and the host, if it should be allowed).',
            commands: [
              `Set-ADServiceAccount -Identity ${gmsaName} -PrincipalsAllowedToRetrieveManagedPassword ${psList([...keep, hostSam])}`,
            ],
          },
        },
      ];
    }
    const commands = [
      ...groups.map((sid) => `Add-ADGroupMember -Identity ${psList([names.get(sid)!])} -Members ${psList([hostSam])}`),
      `Set-ADServiceAccount -Identity ${gmsaName} -PrincipalsAllowedToRetrieveManagedPassword ${psList([...allowed, hostSam])}`,
      'klist -li 0x3e7 purge',
    ];
    return [
      {
        severity: 'error',
        subject,
        evidence,
        message: `${subject} may not retrieve the password of ${accountLabel(gmsa)}: ${decision.reason}; allowed: ${allowed.length ? allowed.join(', ') : 'nobody'}`,
        remediation: {
          text: `${groups.length ? `Add the host to ${groups.map((sid) => names.get(sid)).join(' or ')} (preferred), or add it to the allowed principals (the list replaces the current one, so it repeats it)` : 'Add the host (or a group of hosts) to the allowed principals (the list replaces the current one, so it repeats it)'}; then purge the host's system tickets or restart it so its Kerberos ticket carries the new group.`,
          commands,
        },
      },
    ];
  },
});
