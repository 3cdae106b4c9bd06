import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { CheckMeta } from '../engine/check.js';
import type { Finding, Severity } from '../engine/finding.js';
import { terminalSafeJson } from '../engine/printable.js';
import { redact } from '../engine/redact.js';
import { sectionDocs } from '../engine/sections.js';
import type { SectionId } from '../engine/sections.js';
import type { Report } from './model.js';
import { TOOL_NAME, TOOL_URI, TOOL_VERSION } from '../tool-info.js';

const LEVEL: Partial<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'note' };

/** Relative to the working directory when the file is under it (what code-scanning tools expect), else a file URL. */
function artifactUri(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  return pathToFileURL(path.resolve(cwd, file)).href;
}

function result(finding: Finding, ruleIndex: number, cwd: string) {
  const message = finding.remediation ? `${finding.message} Fix: ${finding.remediation.text}` : finding.message;
  const loc = finding.location;
  return {
    ruleId: finding.id,
    ruleIndex,
    level: LEVEL[finding.severity] ?? 'none',
    message: { text: message },
    ...(loc
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(loc.file, cwd) },
                ...(loc.line
                  ? { region: { startLine: loc.line, ...(loc.column ? { startColumn: loc.column } : {}) } }
                  : {}),
              },
              ...(loc.field ? { logicalLocations: [{ fullyQualifiedName: loc.field, kind: 'member' }] } : {}),
            },
          ],
        }
      : {}),
    ...(finding.evidence || finding.subject
      ? { properties: { ...(finding.evidence ? { evidence: finding.evidence } : {}), subject: finding.subject } }
      : {}),
  };
}

/** What SARIF's `tool.driver.rules` describes of a check (or of a Kubernetes rule, which has docs instead of a section). */
export interface SarifRule {
  meta: Pick<CheckMeta, 'id' | 'title' | 'why' | 'looksAt' | 'remediation'> & { section?: SectionId; docs?: string };
}

/** SARIF 2.1.0: one result per error, warning and info finding, on its file and line. */
export function renderSarif(report: Report, catalogue: readonly SarifRule[], cwd = process.cwd()): string {
  const reported = report.findings.filter((f) => LEVEL[f.severity]);
  const rules = catalogue.map(({ meta }) => ({
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.why },
    help: { text: `${meta.looksAt}\n\nFix: ${meta.remediation}` },
    ...(meta.docs || meta.section ? { helpUri: meta.docs ?? sectionDocs(meta.section!) } : {}),
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, informationUri: TOOL_URI, rules } },
        results: reported.map((f) => result(f, index.get(f.id) ?? -1, cwd)),
        invocations: [
          {
            executionSuccessful: report.inputErrors.length === 0,
            toolExecutionNotifications: report.inputErrors.map((e) => ({
              level: 'error',
              message: { text: `${e.file}${e.field ? ` (${e.field})` : ''}: ${e.reason}` },
            })),
          },
        ],
      },
    ],
  };
  return terminalSafeJson(JSON.stringify(redact(sarif), null, 2)) + '\n';
}
