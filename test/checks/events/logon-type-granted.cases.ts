import { cases } from '../_harness.js';
import { BATCH_LOGON_RIGHT_LOG, CCG_LOG, LOGON_RIGHT_LOG, PASTED_4625_LOG, SECURITY_LOG } from './_logs.js';

export default cases({
  success: [
    {
      name: 'a real Security log whose 4625 is a wrong password (0xC000006D), not a missing logon right',
      facts: { 'events.log': SECURITY_LOG },
      expect: [
        {
          severity: 'pass',
          message: 'No Security event 4625 with 0xC000015B STATUS_LOGON_TYPE_NOT_GRANTED in 7 records in 1 log.',
        },
      ],
    },
    {
      name: 'the CCG log',
      facts: { 'events.log': CCG_LOG },
      expect: [{ severity: 'pass', message: /^No Security event 4625 with 0xC000015B .* in 11 records in 1 log\.$/ }],
    },
  ],
  failure: [
    {
      name: 'the Service Fabric host’s 4625 pasted as text (microsoft/service-fabric-issues#1299)',
      facts: { 'events.log': PASTED_4625_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'CORP\\gmsa.sf-prod$ on APWLLWS131',
          link: 'host',
          fault: 'logon-right-missing',
          message:
            /^Security event 4625: CORP\\gmsa\.sf-prod\$ may not log on as a service \(logon type 5\) on APWLLWS131: Status 0xC000015B STATUS_LOGON_TYPE_NOT_GRANTED \("The user has not been granted the requested logon type at this machine"\)\. On that machine "Log on as a service" \(SeServiceLogonRight\) is not granted .*"Deny log on as a service" \(SeDenyServiceLogonRight\) names it.* Caller: C:\\Program Files\\Microsoft Service Fabric\\bin\\FabricHost\.exe\./,
        },
      ],
    },
    {
      name: 'the same 4625 in a Security .evtx',
      facts: { 'events.log': LOGON_RIGHT_LOG },
      expect: [
        {
          severity: 'error',
          subject: 'CORP\\gmsa.sf-prod$ on temporal',
          message:
            /^Security event 4625, at 2016-06-29T15:24:36\.6860000Z: CORP\\gmsa\.sf-prod\$ may not log on as a service \(logon type 5\) on temporal: Status 0xC000015B STATUS_LOGON_TYPE_NOT_GRANTED\. On that machine "Log on as a service"/,
        },
      ],
    },
    {
      name: 'logon type 4 (a scheduled task): the batch logon right',
      facts: { 'events.log': BATCH_LOGON_RIGHT_LOG },
      expect: [
        {
          severity: 'error',
          message:
            /may not log on as a batch job \(a scheduled task\) \(logon type 4\) on temporal: .*"Log on as a batch job" \(SeBatchLogonRight\) is not granted .*"Deny log on as a batch job" \(SeDenyBatchLogonRight\)/,
        },
      ],
    },
  ],
});
