import { documentCheck } from './_document.js';
import { warning } from './_document.js';

export default documentCheck({
  id: 'credspec/duplicate-keys',
  title: 'No key appears twice',
  looksAt: 'Keys repeated inside one object or mapping.',
  why: 'Readers disagree on which of two values wins; strict YAML parsers (kubectl) reject the file.',
  remediation: 'Keep one of the two keys.',
  check(doc) {
    // Duplicate apiVersion/kind at the top of a resource are reported as glued resources instead.
    return doc.notes
      .filter((n) => n.kind === 'duplicate-key')
      .map((n) => warning(n.field, n.message, { documentField: true, position: n.position }));
  },
});
