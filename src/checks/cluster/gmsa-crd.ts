import { defineCheck } from '../../engine/check.js';
import { aboutObservation, observed } from '../_paste.js';

export default defineCheck({
  meta: {
    id: 'cluster/gmsa-crd',
    title: 'The cluster serves the GMSACredentialSpec resource',
    section: 'kubernetes',
    link: 'cluster',
    fault: 'crd-missing',
    looksAt:
      'kubectl errors about the GMSACredentialSpec kind: `no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"` (or v1alpha1).',
    why: 'Without the CRD no GMSACredentialSpec can be created, so no pod can name one; on AKS the CRD comes with --enable-windows-gmsa.',
    remediation:
      'Install the windows-gmsa CRD and webhook (the kubernetes-sigs/windows-gmsa chart or deploy script; AKS: az aks update --enable-windows-gmsa), then apply the GMSACredentialSpec again; use the apiVersion the cluster serves (windows.k8s.io/v1).',
  },
  needs: ['paste.observations'],
  run(facts) {
    return observed(facts, 'kubectl-error')
      .filter((o) => /^GMSACredentialSpec$/i.test(o.resourceKind ?? ''))
      .map((o) =>
        o.problem === 'no-matches-for-kind'
          ? aboutObservation(o, {
              severity: 'error',
              subject: `GMSACredentialSpec ${o.apiVersion ?? ''}`.trim(),
              message: `The cluster does not serve GMSACredentialSpec${o.apiVersion ? ` in ${o.apiVersion}` : ''}: the windows-gmsa CRD is not installed${o.apiVersion && o.apiVersion !== 'windows.k8s.io/v1' ? ', or the manifest asks for a version it no longer serves (windows.k8s.io/v1 is current)' : ''}.`,
              remediation: {
                text: 'Install the CRD (with the webhook), or apply the resource with the apiVersion the cluster serves.',
                commands: [
                  'kubectl get crd gmsacredentialspecs.windows.k8s.io -o jsonpath="{.spec.versions[*].name}"',
                  'kubectl api-resources --api-group=windows.k8s.io',
                ],
              },
            })
          : aboutObservation(o, {
              severity: 'warning',
              subject: 'GMSACredentialSpec',
              message: `kubectl refused the GMSACredentialSpec: ${o.message}`,
              remediation: {
                text: 'Check the resource against the CRD: `gmsa-doctor k8s lint FILE` says which field is wrong.',
                commands: ['gmsa-doctor k8s lint <manifest.yaml>'],
              },
            }),
      );
  },
});
