import { cases } from '../_harness.js';
import { eventLog } from '../_fixtures.js';
import { CCG_LOG, NO_CCG_LOG } from './_logs.js';

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
      name: 'a log that is not there: an input error of the run, not judged here',
      facts: { 'events.log': await eventLog(['no-such-log.evtx']) },
      expect: [{ severity: 'skipped', message: /^not judged: could not read .*no-such-log\.evtx: no such file/ }],
    },
    {
      name: 'a log read around damage (chunks whose CRC32 does not match)',
      facts: { 'events.log': NO_CCG_LOG },
      expect: [{ severity: 'warning', message: /Application_no_crc32\.evtx: read \d+ records around damage/ }],
    },
  ],
});
