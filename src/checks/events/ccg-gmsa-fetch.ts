import { CCG_PROVIDER } from '../../protocol/ccg-events.js';
import { byId, failureCheck } from './_events.js';

export default failureCheck(
  byId(CCG_PROVIDER, 8),
  'events/ccg-gmsa-fetch',
  "CCG fetched the gMSA password with the plug-in's account (event 8)",
  { link: 'host', fault: 'plugin-account-denied' },
);
