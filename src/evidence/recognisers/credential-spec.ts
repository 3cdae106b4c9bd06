/** A credential spec pasted as JSON (New-CredentialSpec's output, a file's contents, `Get-Content spec.json`). */
import { NOTHING, makeItem, outputOf, type Recognition } from '../item.js';
import type { Block } from '../segment.js';
import { jsonBlock } from './json.js';

const SPEC_KEYS = ['CmsPlugins', 'DomainJoinConfig', 'ActiveDirectoryConfig'];

export function recogniseCredentialSpec(block: Block): Recognition {
  const json = jsonBlock(block.lines);
  const value = json?.value;
  if (!json || typeof value !== 'object' || value === null || Array.isArray(value)) return NOTHING;
  const keys = Object.keys(value);
  if (!SPEC_KEYS.some((k) => keys.some((key) => key.toLowerCase() === k.toLowerCase()))) return NOTHING;
  const quote = json.lines.filter((l) => /"(?:DnsName|MachineAccountName|Sid|Guid|PluginGUID)"/i.test(l.text));
  return {
    items: [
      makeItem(
        'credential-spec',
        quote.length > 0 ? quote : json.lines.slice(0, 1),
        { text: outputOf(json.lines), firstLine: json.lines[0]!.from },
        { extent: json.lines },
      ),
    ],
    read: json.lines,
  };
}
