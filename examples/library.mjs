// gmsa-doctor as a library. Run it from a clone (after `npm ci`) or where the package is installed:
//   node examples/library.mjs            node node_modules/gmsa-doctor/examples/library.mjs
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { judgeFacts, lintCredentialSpec, readEventLog, renderReport, runChecks } from 'gmsa-doctor';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

// 1. Lint a credential spec held in memory: the rules of `gmsa-doctor credspec lint`.
const spec = {
  CmsPlugins: ['ActiveDirectory'],
  DomainJoinConfig: {
    Sid: 'S-1-5-21-702590844-1001920913-2680819671',
    MachineAccountName: 'webapp01',
    Guid: '56d9b575-1bbf-4bb7-a8e4-1c0a5b3d8e47',
    DnsTreeName: 'contoso.com',
    DnsName: 'contoso.com',
    NetBiosName: 'CONTOSO',
  },
  ActiveDirectoryConfig: {
    GroupManagedServiceAccounts: [{ Name: 'webapp01', Scope: 'contoso.com' }, { Name: 'webapp01', Scope: 'CONTOSO' }],
    HostAccountConfig: { PortableCcgVersion: '1', PluginGUID: '{GDMA0342-266A-4D1P-831J-20990E82944F}', PluginInput: 'secret' },
  },
};
for (const finding of lintCredentialSpec(spec, 'webapp01.json').filter((f) => f.severity === 'error')) {
  console.log(`${finding.id}: ${finding.message}`);
}

// 2. Judge facts saved on a container host by `gmsa-doctor collect`, anywhere, without any I/O but the read.
const report = await judgeFacts(await readFile(here('./facts/containerhost02.json'), 'utf8'), 'containerhost02.json');
console.log(`most likely cause: ${report.mostLikelyCause?.findingId}: ${report.mostLikelyCause?.summary}`);

// 3. Run the checks of `gmsa-doctor check` programmatically: here on a credential spec file alone, offline; give
//    domain, gmsa, host and ldap ({ user, password } or { kerberos: true }) to judge the account in AD as well.
const offline = await runChecks({ credspec: [here('./credspecs/contoso_webapp01.json')] });
const text = await renderReport(offline, 'text');
console.log(text.trim().split('\n').at(-1));

// 4. Read an EVTX log record by record (streamed, chunk by chunk).
let records = 0;
const ids = new Set();
for await (const record of readEventLog(here('./events/System-NETLOGON-5805.evtx'))) {
  records += 1;
  ids.add(`${record.provider} ${record.eventId}`);
}
console.log(`EVTX: ${records} records (${[...ids].join(', ')})`);
