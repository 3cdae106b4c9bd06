/** Domain SID and GUID syntax, as credential specs carry them. Pure. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DomainSidVerdict =
  { kind: 'domain' } | { kind: 'account'; domainSid: string; rid: number } | { kind: 'invalid'; reason: string };

const MAX_SUB_AUTHORITY = 0xffffffff;

export function parseDomainSid(value: string): DomainSidVerdict {
  const match = /^S-1-(\d+)((?:-\d+)*)$/i.exec(value.trim());
  if (!match) return { kind: 'invalid', reason: 'a SID is S-1- followed by numbers separated by dashes' };
  const subs = match[2]!.split('-').slice(1).map(Number);
  if (subs.some((n) => n > MAX_SUB_AUTHORITY))
    return { kind: 'invalid', reason: 'a sub-authority is larger than 4294967295' };
  if (match[1] !== '5' || subs[0] !== 21) return { kind: 'invalid', reason: 'domain SIDs start with S-1-5-21-' };
  if (subs.length === 4) return { kind: 'domain' };
  if (subs.length === 5) return { kind: 'account', domainSid: `S-1-5-${subs.slice(0, 4).join('-')}`, rid: subs[4]! };
  return { kind: 'invalid', reason: `it has ${subs.length - 1} sub-authorities after 21; a domain SID has 3` };
}
