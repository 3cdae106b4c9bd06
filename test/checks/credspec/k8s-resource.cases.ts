import { cases } from '../_harness.js';
import { checked, sample } from './_specs.js';

export default cases({
  success: [
    {
      name: 'a GMSACredentialSpec (xiaoping8385/TKGi-GMSA)',
      ...sample('xiaoping8385-TKGi-GMSA__gmsa__gmsaspec.yaml'),
      expect: [checked('GMSACredentialSpec resource is well-formed')],
    },
  ],
  failure: [
    {
      name: "an uppercase name (the Kubernetes docs' gmsa-WebApp1)",
      ...sample('kubernetes-website__configure-gmsa__gmsa-WebApp1.yaml'),
      expect: [
        { severity: 'warning', message: 'apiVersion windows.k8s.io/v1alpha1 is deprecated; use windows.k8s.io/v1' },
        { severity: 'error', message: /metadata\.name "gmsa-WebApp1" is not a lowercase DNS-1123 subdomain/ },
      ],
    },
  ],
});
