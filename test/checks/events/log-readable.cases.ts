import { cases } from '../_harness.js';
import { eventLog } from '../_fixtures.js';
import { CCG_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'the CCG Admin export',
      facts: { 'events.log': CCG_LOG },
      expect: [{ severity: 'pass', message: /ccg-admin\.wevtutil\.xml: 11 records \(xml\), 11 about gMSA\./ }],
    },
  ],
  failure: [
    {
      name: 'a log that is not there',
      facts: { 'events.log': await eventLog(['no-such-log.evtx']) },
      expect: [{ severity: 'error', message: /^Could not read .*no-such-log\.evtx/ }],
    },
  ],
});
