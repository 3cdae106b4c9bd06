import { defineCheck } from '../../engine/check.js';
import { accountLabel } from '../account/_account.js';
import { asSkipped, judge, laterLogonNote, membershipTime, principalName } from './_password-access.js';
import { domainOfSid } from '../../protocol/sid.js';

export default defineCheck({
  meta: {
    id: 'host/group-change-needs-reboot',
    title: "The host's Kerberos ticket already carries the group that grants the password",
    section: 'host-domain-joined',
    link: 'host',
    fault: 'host-ticket-stale',
    looksAt:
      "When the host joined the allowed group (the group's member value metadata, else its whenChanged) against the host's last logon (lastLogonTimestamp / lastLogon).",
    why: "A computer's group memberships are fixed in its Kerberos ticket at logon: a host added to the group later keeps failing until its tickets are renewed.",
    remediation: "Purge the host's system tickets (klist -li 0x3e7 purge) or restart it.",
  },
  subject: 'gmsa',
  needs: ['ad.gmsa', 'ad.host', 'ad.hostGroups'],
  uses: ['ad.sidNames'],
  run(facts) {
    const pre = judge(facts);
    if ('finding' in pre) return [asSkipped(pre.finding)];
    const { gmsa, host, decision, names } = pre.judgement;
    const subject = accountLabel(host);
    const sid = decision.decidedBy?.matchedSid;
    if (!decision.allowed || !sid)
      return [
        {
          severity: 'skipped',
          subject,
          message: `${subject} is not allowed to retrieve the password at all (see host/can-retrieve-password)`,
        },
      ];
    if (!host.tokenGroups.includes(sid)) {
      return [
        {
          severity: 'pass',
          subject,
          evidence: { grantedTo: principalName(sid, names) },
          message: `${subject} is allowed through ${principalName(sid, names)}, not through a group: no ticket renewal needed`,
        },
      ];
    }
    // Any allowed group the host is in will do: the one it has been in the longest decides.
    const allowedGroups = decision.allowedPrincipals.filter((s) => host.tokenGroups.includes(s));
    const primary =
      host.primaryGroupId === undefined ? undefined : `${domainOfSid(host.objectSid)}-${host.primaryGroupId}`;
    if (primary && allowedGroups.includes(primary)) {
      return [
        {
          severity: 'pass',
          subject,
          evidence: { grantedTo: principalName(primary, names), primaryGroupId: host.primaryGroupId },
          message: `${subject} is allowed through its primary group ${principalName(primary, names)}, which every ticket it ever got carries`,
        },
      ];
    }
    const groups = facts.get('ad.hostGroups');
    const earliest = allowedGroups
      .map((groupSid) => ({ groupSid, joined: membershipTime(host, groups, groupSid) }))
      .filter((c) => c.joined?.at !== undefined)
      .sort((a, b) => (a.joined!.at! < b.joined!.at! ? -1 : 1))[0];
    const joined = earliest?.joined;
    const group = principalName(earliest?.groupSid ?? sid, names);
    // lastLogonTimestamp is the replicated logon time every DC agrees on; lastLogon (one DC's view) is the fallback.
    const loggedOn = host.lastLogonTimestamp ?? host.lastLogon;
    const evidence = {
      group,
      joinedAt: joined?.at,
      joinedExactly: joined?.exact ?? false,
      path: joined?.path,
      lastLogonTimestamp: host.lastLogonTimestamp,
      lastLogon: host.lastLogon,
      gmsa: gmsa.dn,
    };
    if (!joined?.at || !loggedOn) {
      return [
        {
          severity: 'info',
          subject,
          evidence,
          message: `Cannot tell whether ${subject} logged on after joining ${group}: ${!loggedOn ? 'no last logon recorded' : 'no membership time available'}`,
          remediation: {
            text: 'If the host was added to the group recently, purge its tickets or restart it.',
            commands: ['klist -li 0x3e7 purge'],
          },
        },
      ];
    }
    const when = joined.exact ? 'was added' : 'changed (whenChanged; no per-member metadata)';
    const change = joined.exact ? `it was added to ${group}` : `${group} last changed`;
    const renew = {
      text: `Renew the host's system tickets (or restart it) so the new membership of ${group} takes effect.`,
      commands: ['klist -li 0x3e7 purge', 'Restart-Computer'],
    };
    // No logon known after the change: the guide's step 4, the reason the host cannot retrieve the password today.
    const latest = [host.lastLogonTimestamp, host.lastLogon]
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1)!;
    if (joined.at > latest) {
      return [
        {
          severity: 'error',
          subject,
          evidence,
          message: `${subject} last logged on ${latest}, before ${change} (${joined.at}): its Kerberos ticket still carries the old groups, so it cannot retrieve the password of ${accountLabel(gmsa)} until its tickets are renewed`,
          remediation: renew,
        },
      ];
    }
    // The replicated lastLogonTimestamp predates the change, this DC's lastLogon does not: probably renewed.
    if (joined.at > loggedOn) {
      return [
        {
          severity: 'warning',
          subject,
          evidence,
          message: `${subject}'s replicated last logon (lastLogonTimestamp ${loggedOn}) is before ${change} (${joined.at}): if it has not logged on since, its Kerberos ticket still carries the old groups${laterLogonNote(host.lastLogon, joined.at)}`,
          remediation: renew,
        },
      ];
    }
    return [
      {
        severity: 'pass',
        subject,
        evidence,
        message: `${subject} logged on ${loggedOn}, after its membership of ${group} ${when} (${joined.at})`,
      },
    ];
  },
});
