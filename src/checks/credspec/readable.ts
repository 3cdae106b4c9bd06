import { defineCheck } from '../../engine/check.js';
import type { FindingDraft } from '../../engine/finding.js';
import { isCredSpecInputError } from '../../facts/credspec.js';

export default defineCheck({
  meta: {
    id: 'credspec/readable',
    title: 'Credential spec files are readable JSON or YAML',
    section: 'credspec',
    link: 'credspec',
    looksAt:
      'Each given file: that it exists, is text (UTF-8, UTF-8 with BOM, UTF-16 from PowerShell Out-File) and parses as JSON or YAML; syntax errors are given with line and column.',
    why: 'CCG cannot read a credential spec it cannot parse (CCG event 3), and Docker refuses to start a container whose file:// spec is missing.',
    remediation:
      'Fix the syntax at the position shown, or regenerate the spec with New-CredentialSpec or `gmsa-doctor credspec new`.',
  },
  needs: ['credspec.readErrors'],
  run(facts) {
    const errors = facts.get('credspec.readErrors');
    if (errors.length === 0) return [{ severity: 'pass', message: 'Every credential spec file was read and parsed.' }];
    // A file that could not be read at all, or is not a credential spec, is an input error of the run: not judged.
    return errors.map((e): FindingDraft => ({
      severity: isCredSpecInputError(e) ? 'skipped' : e.kind === 'empty' ? 'warning' : 'error',
      message: isCredSpecInputError(e) ? `not judged: ${e.reason} (an input error)` : e.reason,
      subject: e.file,
      location: { file: e.file, ...(e.position ? { line: e.position.line, column: e.position.column } : {}) },
    }));
  },
});
