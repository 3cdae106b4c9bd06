import { documentCheck } from './_document.js';
import { isObject, lookup } from '../../credspec/values.js';
import { HOST_FIELD, error, hostAccount, warning } from './_document.js';
import type { Diagnostic } from './_document.js';

export default documentCheck({
  id: 'credspec/host-account-config',
  title: 'HostAccountConfig is complete (non-domain-joined hosts)',
  looksAt: 'ActiveDirectoryConfig.HostAccountConfig: PortableCcgVersion "1" and a PluginInput for the plugin.',
  why: 'A non-domain-joined host retrieves the gMSA through a CCG plugin that CCG loads from PluginGUID and feeds PluginInput.',
  remediation: 'Set "PortableCcgVersion": "1" and the PluginInput your plugin documents.',
  check(doc) {
    const config = hostAccount(doc);
    if (config === undefined) return [];
    if (!isObject(config)) return [error(HOST_FIELD, 'HostAccountConfig must be an object')];
    const out: Diagnostic[] = [];
    const version = lookup(config, 'PortableCcgVersion');
    if (!version) out.push(error(HOST_FIELD, 'PortableCcgVersion is missing; it must be "1"'));
    else if (version.value === 1)
      out.push(warning(`${HOST_FIELD}.${version.key}`, 'PortableCcgVersion is the number 1; write the string "1"'));
    else if (version.value !== '1')
      out.push(
        error(`${HOST_FIELD}.${version.key}`, `PortableCcgVersion is ${JSON.stringify(version.value)}; it must be "1"`),
      );
    const input = lookup(config, 'PluginInput');
    if (!input || input.value === '' || input.value === null) {
      out.push(
        error(
          HOST_FIELD,
          'PluginInput is missing or empty: the plugin gets nothing to find the credentials with (CCG event 6)',
        ),
      );
    } else if (isObject(input.value)) {
      out.push({
        severity: 'info',
        field: `${HOST_FIELD}.${input.key}`,
        message: `PluginInput is an object (keys: ${Object.keys(input.value).join(', ')}): the AWS ECS domainless convention, which the ECS agent rewrites into the string CCG expects. Used directly on Windows, CCG needs a string.`,
      });
    } else if (typeof input.value !== 'string') {
      out.push(error(`${HOST_FIELD}.${input.key}`, "PluginInput must be a string (the plugin's own format)"));
    }
    return out;
  },
});
