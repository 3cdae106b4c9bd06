import { CCG_PROVIDER } from '../../protocol/ccg-events.js';
import { byId, failureCheck } from './_events.js';

export default failureCheck(
  byId(CCG_PROVIDER, 3),
  'events/ccg-credspec-parse',
  'CCG could parse the credential spec (event 3)',
  { link: 'credspec', fault: 'credspec-rejected' },
);
