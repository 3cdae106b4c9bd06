import { byId, failureCheck } from './_events.js';

export default failureCheck(
  byId('Microsoft-Windows-Hyper-V-Compute', 11507),
  'events/hyperv-external-credentials',
  "Hyper-V-Compute set up the container's external credentials (event 11507)",
  { link: 'container', fault: 'container-credentials-failed' },
);
