import { CCG_PROVIDER } from '../../protocol/ccg-events.js';
import { byId, failureCheck } from './_events.js';

export default failureCheck(byId(CCG_PROVIDER, 4), 'events/ccg-plugin-load', 'CCG could load the plug-in (event 4)', {
  link: 'host',
  fault: 'plugin-not-loaded',
});
