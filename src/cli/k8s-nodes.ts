/**
 * `gmsa-doctor k8s --nodes`: the checks of each Windows node (host, containers, CCG events), judged where they run,
 * through one HostProcess Job per node (deploy/) that runs `gmsa-doctor collect`, its facts read back through the
 * pod log and judged as `analyze` judges them. The only command that creates anything in a cluster: it asks first
 * (unless --yes) and removes what it made.
 *
 * This module is the extension point the `k8s` command calls (src/cli/k8s.ts registers --nodes and --yes and hands
 * them here); its implementation comes with the deploy/ manifests. Until then --nodes says so, and the scan's
 * "not checked here" part names NODE_CHECKS_HOW for the node checks.
 */
import type { NotChecked } from '../engine/check.js';
import type { Finding } from '../engine/finding.js';
import type { K8sObject } from '../k8s/index.js';
import type { K8sClient } from '../probes/k8s/client.js';
import type { InputError } from '../report/model.js';
import { UsageError } from './output.js';

export interface NodeChecksRequest {
  client: K8sClient;
  /** --yes: create the Jobs without asking. */
  yes: boolean;
  /** The Windows nodes the scan read (Ready or not), as the API returned them. */
  nodes: readonly K8sObject[];
  /** Deadline of each request; the Jobs have their own. */
  timeoutMs: number;
}

/** Merged into the scan's report: findings about each node (subject `node/NAME`), what could not be checked. */
export interface NodeChecksResult {
  findings: Finding[];
  notChecked: NotChecked[];
  inputErrors: InputError[];
}

/** What runs a node's checks when --nodes does not: the "how" of the scan's Not checked here part. */
export const NODE_CHECKS_HOW = 'on each Windows node: `gmsa-doctor check` (or `collect` there, `analyze` anywhere)';

/**
 * Called before the scan reads anything, so that --nodes fails (or asks) first; the runner it returns gets the
 * scan's Windows nodes afterwards.
 */
export function prepareNodeChecks(): Promise<(request: NodeChecksRequest) => Promise<NodeChecksResult>> {
  return Promise.reject(new UsageError(`--nodes is not in this build yet: run the node checks ${NODE_CHECKS_HOW}.`));
}
