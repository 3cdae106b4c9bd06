import { cases } from '../_harness.js';
import { dockerInfo } from '../_fixtures.js';

export default cases({
  success: [
    {
      name: 'Windows Server 2019 (registry)',
      facts: { 'host.windows': { build: 17763, ubr: 5458, domainJoined: true } },
      expect: [
        {
          severity: 'pass',
          message:
            /^build 17763 \(Windows Server 2019.*UBR 5458 \(10\.0\.17763\.5458\): none of the guide's known issues applies/,
        },
      ],
    },
    {
      name: 'the build docker info reports (moby#40545)',
      facts: { 'docker.info': dockerInfo() },
      expect: [{ severity: 'pass', message: /^build 18363 .*UBR 693/ }],
    },
  ],
  failure: [
    {
      name: 'Windows Server 1803',
      facts: { 'host.windows': { build: 17134, domainJoined: true } },
      expect: [
        {
          severity: 'info',
          message:
            /known issues apply: Container hostname must match the gMSA name; gMSA with Hyper-V isolation does not work/,
        },
      ],
    },
  ],
});
