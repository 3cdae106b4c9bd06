/**
 * "Make sure the host can use the gMSA": Test-ADServiceAccount, explained. Evaluates the gMSA's
 * msDS-GroupMSAMembership against the host computer's objectSid and tokenGroups, and spots a group change the
 * host's Kerberos ticket cannot know about yet.
 */
import { defineCheck } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import { evaluatePasswordRead } from '../protocol/acl.js';
import type { PasswordReadDecision } from '../protocol/acl.js';
import { parseSecurityDescriptor, SecurityDescriptorError, toSddl } from '../protocol/security-descriptor.js';
import type { SecurityDescriptor } from '../protocol/security-descriptor.js';
import { COMPUTER_TOKEN_WELL_KNOWN_SIDS, domainOfSid, wellKnownSidName } from '../protocol/sid.js';
import type { Check } from '../engine/check.js';
import { accountLabel, ACCOUNT_CHECKS, bareName, ldapConnectionCheck } from './account.js';
import type { AdAccount, AdGroup, AdHost } from '../facts/ad.js';

interface Judgement {
  gmsa: AdAccount;
  host: AdHost;
  sd: SecurityDescriptor;
  decision: PasswordReadDecision;
  names: Map<string, string>;
}

function sidNames(facts: FactReader): Map<string, string> {
  return new Map(Object.entries(facts.optional('ad.sidNames') ?? {}));
}

function principalName(sid: string, names: ReadonlyMap<string, string>): string {
  return names.get(sid) ?? wellKnownSidName(sid) ?? sid;
}

/** The host's token: its own SID, every group SID the DC computed, and what any computer logon carries. */
export function hostTokenSids(host: AdHost): string[] {
  return [host.objectSid, ...host.tokenGroups, ...COMPUTER_TOKEN_WELL_KNOWN_SIDS];
}

type Preconditions = { judgement: Judgement } | { finding: FindingDraft };

function judge(facts: FactReader): Preconditions {
  const { name: gmsaName, account: gmsa } = facts.get('ad.gmsa');
  if (!gmsa) return { finding: { severity: 'skipped', message: `gMSA ${gmsaName}$ was not found (see account/exists)` } };
  const { name: hostName, host } = facts.get('ad.host');
  if (!host) return { finding: { severity: 'skipped', message: `computer ${hostName}$ was not found (see account/same-domain)` } };
  if (gmsa.membershipDescriptorHex === undefined) return { finding: noDescriptor(gmsa, host) };
  let sd: SecurityDescriptor;
  try {
    sd = parseSecurityDescriptor(Buffer.from(gmsa.membershipDescriptorHex, 'hex'));
  } catch (error) {
    if (!(error instanceof SecurityDescriptorError)) throw error;
    return { finding: { severity: 'error', subject: accountLabel(gmsa), message: `msDS-GroupMSAMembership of ${accountLabel(gmsa)} is not a valid security descriptor: ${error.message}`, evidence: { hex: gmsa.membershipDescriptorHex } } };
  }
  const names = sidNames(facts);
  return { judgement: { gmsa, host, sd, names, decision: evaluatePasswordRead(sd, hostTokenSids(host), names) } };
}

function noDescriptor(gmsa: AdAccount, host: AdHost): FindingDraft {
  const account = bareName(accountLabel(gmsa));
  return {
    severity: 'error',
    subject: accountLabel(host),
    evidence: { gmsa: gmsa.dn, 'msDS-GroupMSAMembership': null },
    message: `${accountLabel(gmsa)} has no msDS-GroupMSAMembership: no host at all may retrieve its password (Test-ADServiceAccount returns False everywhere)`,
    remediation: {
      text: 'Allow a group of container hosts (preferred) or this host to retrieve the password.',
      commands: [`Set-ADServiceAccount -Identity ${account} -PrincipalsAllowedToRetrieveManagedPassword ${host.sAMAccountName ?? accountLabel(host)}`],
    },
  };
}

function psList(items: string[]): string {
  return items.map((item) => (/[\s,'$]/.test(item) ? `'${item}'` : item)).join(', ');
}

export const canRetrievePasswordCheck = defineCheck({
  meta: {
    id: 'host/can-retrieve-password',
    title: 'The host may retrieve the gMSA password (Test-ADServiceAccount, explained)',
    section: 'host-domain-joined',
    looksAt: "The gMSA's msDS-GroupMSAMembership descriptor, evaluated ACE by ACE (deny before allow, in stored order) against the host computer's objectSid, its tokenGroups (nested groups included) and the well-known SIDs of a computer logon.",
    why: 'Only principals that descriptor allows may retrieve the managed password; without it the container cannot log on as the gMSA.',
    remediation: 'Add the host to an allowed group (Add-ADGroupMember) or allow it (Set-ADServiceAccount -PrincipalsAllowedToRetrieveManagedPassword), then purge its tickets or restart it.',
  },
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
      decidingAce: decision.decidedBy ? { position: decision.decidedBy.index + 1, ace: decision.decidedBy.sddl, matched: principalName(decision.decidedBy.matchedSid, names) } : null,
    };
    const gmsaName = bareName(accountLabel(gmsa));
    if (decision.allowed) {
      return [{ severity: 'pass', subject, evidence, message: `${subject} may retrieve the password of ${accountLabel(gmsa)}: ${decision.reason}` }];
    }
    const hostSam = host.sAMAccountName ?? subject;
    const groups = decision.allowedPrincipals.filter((sid) => sid !== host.objectSid && names.has(sid) && !names.get(sid)!.endsWith('$'));
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
            commands: [`Set-ADServiceAccount -Identity ${gmsaName} -PrincipalsAllowedToRetrieveManagedPassword ${psList([...keep, hostSam])}`],
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

/** When the host became a member of `target`, along the earliest-complete membership path from the host. */
export function membershipTime(host: AdHost, groups: readonly AdGroup[], targetSid: string): { at?: string; path: string[]; exact: boolean } | undefined {
  const byDn = new Map(groups.map((g) => [g.dn.toLowerCase(), g]));
  const target = groups.find((g) => g.sid === targetSid);
  if (!target) return undefined;
  // Depth-first over memberOf edges; each edge's time is when the parent recorded the child as a member.
  let best: { at?: string; path: string[]; exact: boolean } | undefined;
  const walk = (childDn: string, parents: string[], path: string[], latest: string | undefined, exact: boolean): void => {
    for (const parentDn of parents) {
      const parent = byDn.get(parentDn.toLowerCase());
      if (!parent || path.includes(parent.dn)) continue;
      const added = parent.memberAddedAt?.[childDn.toLowerCase()];
      const edgeTime = added ?? parent.whenChanged;
      const at = latest === undefined || (edgeTime !== undefined && edgeTime > latest) ? edgeTime : latest;
      const nextExact = exact && added !== undefined;
      const nextPath = [...path, parent.dn];
      if (parent.sid === targetSid) {
        if (!best || (at !== undefined && (best.at === undefined || at < best.at))) best = { at, path: nextPath, exact: nextExact };
      } else {
        walk(parent.dn, parent.memberOf, nextPath, at, nextExact);
      }
    }
  };
  walk(host.dn, host.memberOf, [], undefined, true);
  return best;
}

/** lastLogonTimestamp lags (up to ~14 days on Windows); a later lastLogon on this DC may mean a fresh ticket. */
function laterLogonNote(lastLogon: string | undefined, joinedAt: string): string {
  return lastLogon && lastLogon > joinedAt ? ` (this DC recorded a later logon at ${lastLogon}: if the host itself logged on then, its ticket is already renewed)` : '';
}

/** A problem another check reports as an error is, for this check, a reason not to judge. */
function asSkipped({ message, subject }: FindingDraft): FindingDraft {
  return { severity: 'skipped', message: `${message} (see host/can-retrieve-password)`, ...(subject ? { subject } : {}) };
}

export const groupChangeNeedsRebootCheck = defineCheck({
  meta: {
    id: 'host/group-change-needs-reboot',
    title: "The host's Kerberos ticket already carries the group that grants the password",
    section: 'host-domain-joined',
    looksAt: "When the host joined the allowed group (the group's member value metadata, else its whenChanged) against the host's last logon (lastLogonTimestamp / lastLogon).",
    why: "A computer's group memberships are fixed in its Kerberos ticket at logon: a host added to the group later keeps failing until its tickets are renewed.",
    remediation: 'Purge the host\'s system tickets (klist -li 0x3e7 purge) or restart it.',
  },
  needs: ['ad.gmsa', 'ad.host', 'ad.hostGroups'],
  uses: ['ad.sidNames'],
  run(facts) {
    const pre = judge(facts);
    if ('finding' in pre) return [asSkipped(pre.finding)];
    const { gmsa, host, decision, names } = pre.judgement;
    const subject = accountLabel(host);
    const sid = decision.decidedBy?.matchedSid;
    if (!decision.allowed || !sid) return [{ severity: 'skipped', subject, message: `${subject} is not allowed to retrieve the password at all (see host/can-retrieve-password)` }];
    if (!host.tokenGroups.includes(sid)) {
      return [{ severity: 'pass', subject, evidence: { grantedTo: principalName(sid, names) }, message: `${subject} is allowed through ${principalName(sid, names)}, not through a group: no ticket renewal needed` }];
    }
    // Any allowed group the host is in will do: the one it has been in the longest decides.
    const allowedGroups = decision.allowedPrincipals.filter((s) => host.tokenGroups.includes(s));
    const primary = host.primaryGroupId === undefined ? undefined : `${domainOfSid(host.objectSid)}-${host.primaryGroupId}`;
    if (primary && allowedGroups.includes(primary)) {
      return [{ severity: 'pass', subject, evidence: { grantedTo: principalName(primary, names), primaryGroupId: host.primaryGroupId }, message: `${subject} is allowed through its primary group ${principalName(primary, names)}, which every ticket it ever got carries` }];
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
    const evidence = { group, joinedAt: joined?.at, joinedExactly: joined?.exact ?? false, path: joined?.path, lastLogonTimestamp: host.lastLogonTimestamp, lastLogon: host.lastLogon, gmsa: gmsa.dn };
    if (!joined?.at || !loggedOn) {
      return [{ severity: 'info', subject, evidence, message: `Cannot tell whether ${subject} logged on after joining ${group}: ${!loggedOn ? 'no last logon recorded' : 'no membership time available'}`, remediation: { text: 'If the host was added to the group recently, purge its tickets or restart it.', commands: ['klist -li 0x3e7 purge'] } }];
    }
    const when = joined.exact ? 'was added' : 'changed (whenChanged; no per-member metadata)';
    if (joined.at > loggedOn) {
      return [
        {
          severity: 'warning',
          subject,
          evidence,
          message: `${subject} last logged on ${loggedOn}, before ${joined.exact ? `it was added to ${group}` : `${group} last changed`} (${joined.at}): its Kerberos ticket still carries the old groups, so it cannot retrieve the password yet${laterLogonNote(host.lastLogon, joined.at)}`,
          remediation: { text: `Renew the host's system tickets (or restart it) so the new membership of ${group} takes effect.`, commands: ['klist -li 0x3e7 purge', 'Restart-Computer'] },
        },
      ];
    }
    return [{ severity: 'pass', subject, evidence, message: `${subject} logged on ${loggedOn}, after its membership of ${group} ${when} (${joined.at})` }];
  },
});

export const PASSWORD_ACCESS_CHECKS = [canRetrievePasswordCheck, groupChangeNeedsRebootCheck];

/**
 * What is judged again for each further gMSA a host's containers use: the account, and whether the host may retrieve
 * its password. The connection and the credential specs are judged once.
 */
export const PER_ACCOUNT_CHECKS: readonly Check[] = [...ACCOUNT_CHECKS.filter((c) => c !== ldapConnectionCheck), ...PASSWORD_ACCESS_CHECKS];
