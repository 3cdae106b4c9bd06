/**
 * "Make sure the host can use the gMSA": Test-ADServiceAccount, explained. What host/can-retrieve-password and
 * host/group-change-needs-reboot share: the gMSA's msDS-GroupMSAMembership evaluated against the host computer's
 * objectSid and tokenGroups, and when the host joined the group that grants it.
 */
import type { FactReader } from '../../engine/facts.js';
import type { FindingDraft } from '../../engine/finding.js';
import { evaluatePasswordRead } from '../../protocol/acl.js';
import type { PasswordReadDecision } from '../../protocol/acl.js';
import { parseSecurityDescriptor, SecurityDescriptorError } from '../../protocol/security-descriptor.js';
import type { SecurityDescriptor } from '../../protocol/security-descriptor.js';
import { COMPUTER_TOKEN_WELL_KNOWN_SIDS, wellKnownSidName } from '../../protocol/sid.js';
import { accountLabel, bareName } from '../account/_account.js';
import type { AdAccount, AdGroup, AdHost } from '../../facts/ad.js';

interface Judgement {
  gmsa: AdAccount;
  host: AdHost;
  sd: SecurityDescriptor;
  decision: PasswordReadDecision;
  names: Map<string, string>;
}

export function sidNames(facts: FactReader<'ad.sidNames'>): Map<string, string> {
  return new Map(Object.entries(facts.optional('ad.sidNames') ?? {}));
}

export function principalName(sid: string, names: ReadonlyMap<string, string>): string {
  return names.get(sid) ?? wellKnownSidName(sid) ?? sid;
}

/** The host's token: its own SID, every group SID the DC computed, and what any computer logon carries. */
function hostTokenSids(host: AdHost): string[] {
  return [host.objectSid, ...host.tokenGroups, ...COMPUTER_TOKEN_WELL_KNOWN_SIDS];
}

type Preconditions = { judgement: Judgement } | { finding: FindingDraft };

export function judge(facts: FactReader<'ad.gmsa' | 'ad.host' | 'ad.sidNames'>): Preconditions {
  const { name: gmsaName, account: gmsa } = facts.get('ad.gmsa');
  if (!gmsa)
    return { finding: { severity: 'skipped', message: `gMSA ${gmsaName}$ was not found (see account/exists)` } };
  const { name: hostName, host } = facts.get('ad.host');
  if (!host)
    return {
      finding: { severity: 'skipped', message: `computer ${hostName}$ was not found (see account/same-domain)` },
    };
  if (gmsa.membershipDescriptorHex === undefined) return { finding: noDescriptor(gmsa, host) };
  let sd: SecurityDescriptor;
  try {
    sd = parseSecurityDescriptor(Buffer.from(gmsa.membershipDescriptorHex, 'hex'));
  } catch (error) {
    if (!(error instanceof SecurityDescriptorError)) throw error;
    return {
      finding: {
        severity: 'error',
        fault: 'membership-unreadable',
        subject: accountLabel(gmsa),
        message: `msDS-GroupMSAMembership of ${accountLabel(gmsa)} is not a valid security descriptor: ${error.message}`,
        evidence: { hex: gmsa.membershipDescriptorHex },
      },
    };
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
      commands: [
        `Set-ADServiceAccount -Identity ${account} -PrincipalsAllowedToRetrieveManagedPassword ${host.sAMAccountName ?? accountLabel(host)}`,
      ],
    },
  };
}

export function psList(items: string[]): string {
  return items.map((item) => (/[\s,'$]/.test(item) ? `'${item}'` : item)).join(', ');
}

/** When the host became a member of `target`, along the earliest-complete membership path from the host. */
export function membershipTime(
  host: AdHost,
  groups: readonly AdGroup[],
  targetSid: string,
): { at?: string; path: string[]; exact: boolean } | undefined {
  const byDn = new Map(groups.map((g) => [g.dn.toLowerCase(), g]));
  const target = groups.find((g) => g.sid === targetSid);
  if (!target) return undefined;
  // Depth-first over memberOf edges; each edge's time is when the parent recorded the child as a member.
  let best: { at?: string; path: string[]; exact: boolean } | undefined;
  const walk = (
    childDn: string,
    parents: string[],
    path: string[],
    latest: string | undefined,
    exact: boolean,
  ): void => {
    for (const parentDn of parents) {
      const parent = byDn.get(parentDn.toLowerCase());
      if (!parent || path.includes(parent.dn)) continue;
      const added = parent.memberAddedAt?.[childDn.toLowerCase()];
      const edgeTime = added ?? parent.whenChanged;
      const at = latest === undefined || (edgeTime !== undefined && edgeTime > latest) ? edgeTime : latest;
      const nextExact = exact && added !== undefined;
      const nextPath = [...path, parent.dn];
      if (parent.sid === targetSid) {
        if (!best || (at !== undefined && (best.at === undefined || at < best.at)))
          best = { at, path: nextPath, exact: nextExact };
      } else {
        walk(parent.dn, parent.memberOf, nextPath, at, nextExact);
      }
    }
  };
  walk(host.dn, host.memberOf, [], undefined, true);
  return best;
}

/** lastLogonTimestamp lags (up to ~14 days on Windows); a later lastLogon on this DC may mean a fresh ticket. */
export function laterLogonNote(lastLogon: string | undefined, joinedAt: string): string {
  return lastLogon && lastLogon > joinedAt
    ? ` (this DC recorded a later logon at ${lastLogon}: if the host itself logged on then, its ticket is already renewed)`
    : '';
}

/** A problem another check reports as an error is, for this check, a reason not to judge. */
export function asSkipped({ message, subject }: FindingDraft): FindingDraft {
  return {
    severity: 'skipped',
    message: `${message} (see host/can-retrieve-password)`,
    ...(subject ? { subject } : {}),
  };
}
