import { documentCheck } from './_document.js';
import { resourceError } from './_document.js';

export default documentCheck({
  id: 'credspec/k8s-documents-glued',
  title: 'YAML resources are separated by ---',
  looksAt: 'Top-level keys apiVersion or kind repeated in one YAML document.',
  why: 'Resources pasted one after another without --- become one mapping with duplicate keys: kubectl rejects it, lenient parsers keep the last resource only.',
  remediation: 'Put a line with --- between the resources.',
  check(doc) {
    return doc.notes
      .filter((n) => n.kind === 'glued-documents')
      .map((n) => ({ ...resourceError(n.field, n.message), position: n.position }));
  },
});
