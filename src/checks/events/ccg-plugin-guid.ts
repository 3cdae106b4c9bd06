import { CCG_PROVIDER } from '../../protocol/ccg-events.js';
import { byId, failureCheck } from './_events.js';

export default failureCheck(
  byId(CCG_PROVIDER, 9),
  'events/ccg-plugin-guid',
  'CCG could parse the PluginGUID (event 9)',
  { link: 'credspec', fault: 'plugin-guid-invalid' },
);
