import { countBySeverity } from '../engine/finding.js';
import { terminalSafeJson } from '../engine/printable.js';
import { redact } from '../engine/redact.js';
import type { Report } from './model.js';
import { exitCodeOf } from './model.js';
import { TOOL_NAME, TOOL_VERSION } from '../tool-info.js';

/** Bump on any change that could break a consumer (renamed or removed field, changed meaning). */
export const JSON_SCHEMA_VERSION = 1;

export function toJson(report: Report) {
  return redact({
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    command: report.command,
    generatedAt: new Date().toISOString(),
    durationMs: Math.round(report.durationMs),
    exitCode: exitCodeOf(report),
    ...(report.vantagePoint ? { vantagePoint: report.vantagePoint } : {}),
    ...(report.scope ? { scope: report.scope } : {}),
    summary: countBySeverity(report.findings),
    ...(report.mostLikelyCause ? { mostLikelyCause: report.mostLikelyCause } : {}),
    ...(report.paste ? { paste: report.paste } : {}),
    findings: report.findings,
    inputErrors: report.inputErrors,
    ...(report.ignored ? { ignored: report.ignored } : {}),
    ...(report.notChecked ? { notChecked: report.notChecked } : {}),
    ...(report.probes ? { probes: report.probes.map((p) => ({ ...p, ms: Math.round(p.ms) })) } : {}),
  });
}

export function renderJson(report: Report): string {
  return terminalSafeJson(JSON.stringify(toJson(report), null, 2)) + '\n';
}
