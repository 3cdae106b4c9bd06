import { documentCheck } from './_document.js';
import { lookup, sameName } from '../../credspec/values.js';
import { warning } from './_document.js';
import { isObject } from '../../credspec/values.js';
import { error } from './_document.js';

export default documentCheck({
  id: 'credspec/cms-plugins',
  title: 'CmsPlugins lists ActiveDirectory',
  looksAt: 'The CmsPlugins array at the top of the credential spec.',
  why: 'Container Credential Guard only uses a credential spec whose CmsPlugins contains "ActiveDirectory".',
  remediation: 'Set "CmsPlugins": ["ActiveDirectory"].',
  check(doc) {
    const found = lookup(doc.spec, 'CmsPlugins');
    if (!isObject(doc.spec)) return [error('', 'the credential spec is not a JSON object')];
    if (!found)
      return [error('', 'CmsPlugins is missing', { remediation: { text: 'Add "CmsPlugins": ["ActiveDirectory"].' } })];
    const values: unknown[] = Array.isArray(found.value) ? found.value : [found.value];
    if (values.includes('ActiveDirectory')) {
      return Array.isArray(found.value)
        ? []
        : [warning(found.key, 'CmsPlugins should be an array: ["ActiveDirectory"]')];
    }
    const nearly = values.find((v): v is string => typeof v === 'string' && sameName(v, 'ActiveDirectory'));
    if (nearly) return [warning(found.key, `CmsPlugins has "${nearly}"; the plugin is spelled "ActiveDirectory"`)];
    return [
      error(found.key, `CmsPlugins does not contain "ActiveDirectory" (it has ${JSON.stringify(found.value)})`, {
        remediation: { text: 'Set "CmsPlugins": ["ActiveDirectory"].' },
      }),
    ];
  },
});
