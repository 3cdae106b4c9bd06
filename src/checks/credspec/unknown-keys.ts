import { documentCheck } from './_document.js';
import { fieldPath } from '../../credspec/positions.js';
import { KNOWN_KEYS, OPEN_OBJECTS, RESOURCE_KEYS } from '../../credspec/schema.js';
import { closestKey, isObject } from '../../credspec/values.js';
import { warning } from './_document.js';
import type { Diagnostic } from './_document.js';

function knownKeysAt(path: string): readonly string[] | undefined {
  if (OPEN_OBJECTS.some((p) => p.test(path))) return undefined;
  return KNOWN_KEYS.find(([pattern]) => pattern.test(path))?.[1];
}

export default documentCheck({
  id: 'credspec/unknown-keys',
  title: 'No unknown or misspelled keys',
  looksAt:
    'Every key of the credential spec (and of a GMSACredentialSpec resource) against the keys CCG reads, in their exact case.',
  why: 'A misspelled or wrongly cased key is ignored by some readers and rejected by others: the value it carries is lost.',
  remediation: 'Rename the key to the spelling shown.',
  check(doc) {
    const out: Diagnostic[] = [];
    const visit = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, fieldPath(path, i)));
      if (!isObject(value)) return;
      const known = knownKeysAt(path);
      if (!known) return;
      for (const [key, child] of Object.entries(value)) {
        const childPath = fieldPath(path, key);
        if (!known.includes(key)) {
          const near = closestKey(key, known);
          out.push(
            warning(
              childPath,
              `unknown key ${key}${near ? `: did you mean ${near}?` : ` (known here: ${known.join(', ')})`}`,
            ),
          );
        }
        visit(child, childPath);
      }
    };
    visit(doc.spec, '');
    if (doc.specPath) {
      // The resource itself: apiVersion, kind, metadata, credspec.
      const top = Object.keys(doc.positions).filter((p) => /^[^.[]+$/.test(p));
      for (const key of top) {
        if (!(RESOURCE_KEYS as readonly string[]).includes(key)) {
          const near = closestKey(key, RESOURCE_KEYS);
          out.push(
            warning(key, `unknown resource key ${key}${near ? `: did you mean ${near}?` : ''}`, {
              documentField: true,
            }),
          );
        }
      }
    }
    return out;
  },
});
