/**
 * The chain a gMSA travels to reach a container: host -> DC -> account -> credential spec -> container. When several
 * checks fail, the first failing link explains the rest (a container cannot verify its secure channel when the host
 * may not even retrieve the password). Each check names its link; the report names the first failing one. A link
 * says where a failure sits, never what it is: the finding's fault kind (faults.ts) says that.
 */
export const CHAIN = [
  { link: 'host', title: 'container host' },
  { link: 'dc', title: 'domain controller' },
  { link: 'account', title: 'gMSA account' },
  { link: 'credspec', title: 'credential spec' },
  { link: 'container', title: 'container' },
] as const;

export type ChainLink = (typeof CHAIN)[number];
export type ChainLinkId = ChainLink['link'];

export function chainLink(id: ChainLinkId): ChainLink {
  return CHAIN.find((l) => l.link === id)!;
}
