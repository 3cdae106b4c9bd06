import { CCG_PROVIDER } from '../../protocol/ccg-events.js';
import { byId, failureCheck } from './_events.js';

export default failureCheck(
  byId(CCG_PROVIDER, 6),
  'events/ccg-plugin-credentials',
  'The plug-in returned credentials (event 6)',
  { link: 'host', fault: 'plugin-no-credentials' },
);
