/**
 * The node checks' own finding: a Windows node whose HostProcess Job gave no facts to judge (its pod could not be
 * made, pulled, started or read, or it ran out of time), or a Job the run could not remove. The node's gMSA setup
 * itself is judged by the catalogue's checks, on the facts the Job returned (src/plan/node-checks.ts).
 */
import type { K8sRule } from '../rule.js';

export const NODE_CHECK_RULE: K8sRule = {
  meta: {
    id: 'k8s/node-check',
    link: null,
    title: 'Each Windows node returned its facts to gmsa-doctor k8s --nodes',
    looksAt:
      'The HostProcess Job gmsa-doctor k8s --nodes made on each Windows node: its pod (pull, start, kubelet admission), its log (the facts file `gmsa-doctor collect -o -` printed), the time it took, and its removal.',
    why: 'A node whose Job gave no facts is not checked at all: its gMSA setup may be broken or fine, nothing says which.',
    remediation:
      'Apply deploy/ (kubectl apply -k deploy/), push the image built from deploy/Dockerfile where the nodes can pull it, and read the pod: kubectl -n gmsa-doctor describe pod POD.',
  },
  needs: [],
  mode: 'cluster',
  // Its findings come from the node runs, not from the objects of a scan.
  check: () => [],
  subjects: () => ({ count: 0, noun: 'nodes' }),
};
