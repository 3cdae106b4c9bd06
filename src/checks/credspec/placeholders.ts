import { documentCheck } from './_document.js';
import { fieldPath } from '../../credspec/positions.js';
import { findPlaceholder, isObject } from '../../credspec/values.js';
import { isSecretKey } from '../../engine/redact.js';
import { warning } from './_document.js';
import type { Diagnostic } from './_document.js';

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, fieldPath(path, i), visit));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, fieldPath(path, k), visit);
}

/** A value under a secret field (PluginInput...): a placeholder is named by its kind, its text never quoted. */
const isSecretField = (path: string): boolean =>
  path.split(/[.[\]]/).some((segment) => segment && isSecretKey(segment));

export default documentCheck({
  id: 'credspec/placeholders',
  title: 'No placeholders or unrendered templates',
  looksAt: "Every string value (and a resource's metadata.name): <...>, $name$, {{ ... }}, ${...}.",
  why: 'A value copied from documentation or a template that was never rendered names a domain, account or secret that does not exist.',
  remediation: 'Replace each placeholder with the real value, or render the template before use.',
  check(doc) {
    const out: Diagnostic[] = [];
    walkStrings(doc.spec, '', (text, path) => {
      const found = findPlaceholder(text);
      if (!found) return;
      if (isSecretField(path))
        out.push(warning(path, `${path} contains ${found.what} (the value of a secret field is not shown)`));
      else
        out.push(
          warning(path, `${path || 'value'} contains ${found.what}: ${found.token}`, {
            evidence: { placeholder: found.token },
          }),
        );
    });
    const name = doc.k8s?.name;
    if (typeof name === 'string' && findPlaceholder(name)) {
      out.push(
        warning('metadata.name', `metadata.name is ${findPlaceholder(name)!.what}: ${name}`, { documentField: true }),
      );
    }
    return out;
  },
});
