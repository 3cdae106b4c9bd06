import { documentCheck } from './_document.js';
import { GUID_PATTERN } from '../../credspec/identifiers.js';
import { isObject, lookup } from '../../credspec/values.js';
import { HOST_FIELD, error, hostAccount } from './_document.js';

const LIST_PLUGINS = 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses';

export default documentCheck({
  id: 'credspec/plugin-guid',
  title: 'PluginGUID is a braced COM CLSID',
  looksAt: 'ActiveDirectoryConfig.HostAccountConfig.PluginGUID: {8-4-4-4-12 hexadecimal digits}.',
  why: 'CCG parses PluginGUID as a COM class id; anything else fails with CCG event 9 and the plugin is never loaded.',
  remediation:
    'Use the CLSID your plugin registers under HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses, with braces.',
  check(doc) {
    const config = hostAccount(doc);
    if (!isObject(config)) return [];
    const found = lookup(config, 'PluginGUID');
    if (!found) return [error(HOST_FIELD, 'PluginGUID is missing: CCG cannot know which plugin to load (CCG event 9)')];
    const field = `${HOST_FIELD}.${found.key}`;
    if (typeof found.value !== 'string')
      return [error(field, 'PluginGUID must be a string like {01BF101D-BFB6-433F-B416-02885CDC5AD3}')];
    const value = found.value;
    const inner = value.replace(/^\{|\}$/g, '');
    const nonHex = [...new Set(inner.replace(/-/g, '').match(/[^0-9a-f]/gi) ?? [])];
    if (nonHex.length) {
      const fromDocs = value.toUpperCase().startsWith('{GDMA0342')
        ? ": this is the troubleshooting guide's example value, not a real plugin's CLSID"
        : '';
      return [
        error(
          field,
          `PluginGUID ${value} contains ${nonHex.join(', ')}, which ${nonHex.length > 1 ? 'are' : 'is'} not hexadecimal${fromDocs}; CCG fails to parse it (event 9)`,
          {
            evidence: { PluginGUID: value, notHex: nonHex },
            remediation: {
              text: 'Use the CLSID your plugin registered on the host, with braces; list the registered plugins with:',
              commands: [LIST_PLUGINS],
            },
          },
        ),
      ];
    }
    if (!GUID_PATTERN.test(inner)) return [error(field, `PluginGUID ${value} is not 8-4-4-4-12 hexadecimal digits`)];
    if (!value.startsWith('{') || !value.endsWith('}'))
      return [
        error(field, `PluginGUID ${value} needs braces: {${inner}}`, { remediation: { text: `Use "{${inner}}".` } }),
      ];
    return [];
  },
});
