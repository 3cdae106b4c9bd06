/**
 * The chain a gMSA travels to reach a container: host -> DC -> account -> credential spec -> container. When several
 * checks fail, the first failing link explains the rest (a container cannot verify its secure channel when the host
 * may not even retrieve the password). Each check names its link; the report names the first failing one.
 */
export const CHAIN = [
  { link: 'host', title: 'container host', lead: 'The container host cannot get the gMSA' },
  { link: 'dc', title: 'domain controller', lead: 'No domain controller can be found or reached' },
  { link: 'account', title: 'gMSA account', lead: 'The gMSA account in AD is misconfigured' },
  { link: 'credspec', title: 'credential spec', lead: 'The credential spec is wrong or missing' },
  { link: 'container', title: 'container', lead: 'The container is not set up to use the gMSA' },
] as const;

export type ChainLink = (typeof CHAIN)[number];
export type ChainLinkId = ChainLink['link'];

export function chainLink(id: ChainLinkId): ChainLink {
  return CHAIN.find((l) => l.link === id)!;
}
