/**
 * One line per finding, for grep and CI logs, as kube-score's `ci` output has it:
 * `[ERROR] web/Deployment/webapp: (k8s/credspec-exists) the pod names ...`, with ` at FILE:LINE:COLUMN` when the
 * finding is on a file. Passes are left out unless asked for; a check that could not run is a `[SKIPPED]` line,
 * what was not checked here a `[NOT CHECKED]` line, an unreadable input an `[ERROR]` line. Secrets are redacted.
 */
import type { Finding } from '../engine/finding.js';
import { printable } from '../engine/printable.js';
import { redact } from '../engine/redact.js';
import type { Report } from './model.js';

const LABEL = { error: 'ERROR', warning: 'WARNING', info: 'INFO', pass: 'OK', skipped: 'SKIPPED' } as const;

/** Newlines and runs of spaces would break the one-line contract. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

function place(f: Finding): string {
  const loc = f.location;
  if (!loc) return '';
  return ` at ${loc.file}${loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : ''}`;
}

export function renderCi(given: Report, options: { verbose?: boolean } = {}): string {
  const report = printable(redact(given));
  const lines: string[] = [];
  for (const e of report.inputErrors)
    lines.push(`[ERROR] ${e.file}: (input) cannot read${e.field ? ` ${e.field}` : ''}: ${oneLine(e.reason)}`);
  for (const f of report.findings) {
    if (f.severity === 'pass' && !options.verbose) continue;
    lines.push(
      `[${LABEL[f.severity]}] ${f.subject ?? f.location?.file ?? '-'}: (${f.id}) ${oneLine(f.message)}${place(f)}`,
    );
  }
  for (const n of report.notChecked ?? []) lines.push(`[NOT CHECKED] -: (${n.id}) ${oneLine(n.how)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
