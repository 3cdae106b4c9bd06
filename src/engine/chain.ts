/**
 * The chain a gMSA travels to reach a container: host -> DC -> account -> credential spec -> container. When several
 * checks fail, the first failing link explains the rest (a container cannot verify its secure channel when the host
 * may not even retrieve the password). Each check names its link; the report names the first failing one. A link
 * says where a failure sits, never what it is: the finding's fault kind (faults.ts) says that.
 *
 * In Kubernetes the chain starts earlier and ends in a pod: manifest (what kubectl refuses is never applied; `k8s
 * lint` only) -> cluster (the CRD and the admission webhook, without which no pod gets its credential spec, or no
 * pod is created at all) -> Windows node (the container host) -> credential spec (the GMSACredentialSpec) -> pod.
 */
const LINKS = {
  host: { link: 'host', title: 'container host' },
  dc: { link: 'dc', title: 'domain controller' },
  account: { link: 'account', title: 'gMSA account' },
  credspec: { link: 'credspec', title: 'credential spec' },
  container: { link: 'container', title: 'container' },
  manifest: { link: 'manifest', title: 'manifest' },
  cluster: { link: 'cluster', title: 'cluster' },
  pod: { link: 'pod', title: 'pod' },
} as const;

export type ChainLink = (typeof LINKS)[keyof typeof LINKS];
export type ChainLinkId = ChainLink['link'];

export const CHAIN: readonly ChainLink[] = [LINKS.host, LINKS.dc, LINKS.account, LINKS.credspec, LINKS.container];

export const KUBERNETES_CHAIN: readonly ChainLink[] = [
  LINKS.manifest,
  LINKS.cluster,
  LINKS.host,
  LINKS.credspec,
  LINKS.pod,
];

/** `k8s --nodes`: each Windows node's own checks (its host, the way to the DCs, the account, its containers) too. */
export const KUBERNETES_NODE_CHAIN: readonly ChainLink[] = [
  LINKS.manifest,
  LINKS.cluster,
  LINKS.host,
  LINKS.dc,
  LINKS.account,
  LINKS.credspec,
  LINKS.pod,
  LINKS.container,
];

/**
 * A paste can hold anything from a kubectl error to nltest inside a container: every link, Kubernetes' first, the
 * container's own commands last (they fail because of everything before them).
 */
export const PASTE_CHAIN: readonly ChainLink[] = KUBERNETES_NODE_CHAIN;

export function chainLink(id: ChainLinkId): ChainLink {
  return LINKS[id];
}
