/** `net config workstation`: the computer name, the user (a gMSA container shows the gMSA as `name$`), the domains. */
import type { Block } from '../segment.js';
import type { NetConfigWorkstationData } from '../types.js';
import { NOTHING, makeItem, outputOf, type Recognition } from '../item.js';

const FIELDS: Readonly<Record<string, keyof NetConfigWorkstationData>> = {
  'computer name': 'computerName',
  'full computer name': 'fullComputerName',
  'user name': 'userName',
  'workstation domain': 'workstationDomain',
  'workstation domain dns name': 'workstationDomainDnsName',
  'logon domain': 'logonDomain',
};
const FIELD =
  /^(Computer name|Full Computer name|User name|Workstation domain|Workstation Domain DNS Name|Logon domain|Workstation active on|Software version|COM Open Timeout \(sec\)|COM Send Count \(byte\)|COM Send Timeout \(msec\))(?:\s{2,}(.*))?$/i;

export function recogniseNetConfig(block: Block): Recognition {
  const isCommand = block.command?.program === 'net' && /^config\s+workstation\b/i.test(block.command.args);
  const read = block.lines.filter((l) => FIELD.test(l.text.trim()));
  const completed = block.lines.filter((l) => /^The command completed successfully\.$/.test(l.text.trim()));
  const named = read.filter((l) => /^(?:Computer name|Workstation domain)\b/i.test(l.text.trim()));
  if (read.length === 0 || (!isCommand && named.length < 2)) return NOTHING;
  const extent = [...read, ...completed].sort((a, b) => a.from - b.from);
  const data: NetConfigWorkstationData = { output: outputOf(extent) };
  for (const line of read) {
    const m = FIELD.exec(line.text.trim());
    const label = (m?.[1] ?? '').toLowerCase();
    const key = Object.hasOwn(FIELDS, label) ? FIELDS[label] : undefined;
    if (key && key !== 'output' && m?.[2]) data[key] = m[2].trim().replace(/^\\\\/, '');
  }
  const quote = read.filter((l) =>
    /^(?:Computer name|Full Computer name|User name|Workstation Domain DNS Name)\b/i.test(l.text.trim()),
  );
  return {
    items: [makeItem('net-config-workstation', quote, data, { extent })],
    read: [...read, ...(isCommand ? completed : [])],
  };
}
