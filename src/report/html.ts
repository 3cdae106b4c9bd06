/**
 * One self-contained HTML file: inline CSS, no script, no network access, so it can be mailed or attached to a
 * ticket and opened anywhere. Secrets are redacted like in every other format.
 */
import type { Finding, Severity } from '../engine/finding.js';
import { bySeverity, countBySeverity } from '../engine/finding.js';
import { printable } from '../engine/printable.js';
import { redact } from '../engine/redact.js';
import { SECTION_ORDER, SECTIONS } from '../engine/sections.js';
import { chainStates } from './likely-cause.js';
import type { PasteSummary, Report, Scope } from './model.js';
import { TOOL_NAME, TOOL_VERSION } from '../tool-info.js';

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const CSS = `
:root { color-scheme: light; --error:#b3261e; --warning:#9a6700; --info:#0b6bcb; --pass:#1a7f37; --skipped:#6e7781; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; overflow-wrap: anywhere; }
header, main { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
header h1 { font-size: 22px; margin: 8px 0 4px; }
header dl.scope { font-size: 15px; color: #1f2328; margin: 4px 0 8px; }
.meta { color: #57606a; font-size: 13px; }
.summary span { display: inline-block; margin-right: 12px; font-weight: 600; }
.cause { background: #fff; border: 2px solid var(--error); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.cause.none { border-color: var(--pass); }
.cause h2 { margin: 0 0 6px; font-size: 17px; }
.chain { display: flex; gap: 6px; margin: 12px 0; flex-wrap: wrap; }
.link { flex: 1 1 150px; padding: 10px; border-radius: 6px; background: #fff; border: 1px solid #d0d7de; text-align: center; }
.link b { display: block; }
.link.failed { border: 2px solid var(--error); color: var(--error); }
.link.warning { border: 2px solid var(--warning); color: var(--warning); }
.link.passed { border: 2px solid var(--pass); color: var(--pass); }
.link.not-checked { color: var(--skipped); border-style: dashed; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; margin: 14px 0; padding: 8px 16px; }
section h2 { font-size: 17px; margin: 8px 0; }
.finding { border-left: 4px solid var(--skipped); padding: 6px 10px; margin: 8px 0; background: #fafbfc; }
.finding.error { border-color: var(--error); } .finding.warning { border-color: var(--warning); }
.finding.info { border-color: var(--info); } .finding.pass { border-color: var(--pass); }
.sev { font-weight: 700; text-transform: uppercase; font-size: 12px; margin-right: 6px; }
.sev.error { color: var(--error); } .sev.warning { color: var(--warning); } .sev.info { color: var(--info); }
.sev.pass { color: var(--pass); } .sev.skipped { color: var(--skipped); }
code, pre { font: 13px/1.4 ui-monospace, "Cascadia Mono", Consolas, monospace; }
pre { background: #0d1117; color: #e6edf3; padding: 8px 10px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; }
dl { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 2px 12px; margin: 6px 0; font-size: 13px; color: #57606a; }
dt { font-weight: 600; } dd { margin: 0; min-width: 0; }
@media (max-width: 600px) {
  header, main { padding: 12px; }
  section { padding: 6px 10px; }
  dl { grid-template-columns: minmax(0, 1fr); }
  dd { margin-bottom: 4px; }
}
.id { color: #57606a; font-size: 13px; }
summary { cursor: pointer; color: #57606a; margin: 6px 0; }
`;

function value(v: unknown): string {
  return escapeHtml(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
}

function findingHtml(f: Finding): string {
  const evidence = Object.entries(f.evidence ?? {}).filter(([, v]) => v !== undefined);
  const place = f.location ? `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}` : f.subject;
  return [
    `<div class="finding ${f.severity}">`,
    `<div><span class="sev ${f.severity}">${f.severity}</span><code class="id">${escapeHtml(f.id)}</code>${place ? ` <span class="id">${escapeHtml(place)}</span>` : ''}</div>`,
    `<p>${escapeHtml(f.message)}</p>`,
    f.quote?.length
      ? `<pre class="quote">${f.quote.map((q) => `line ${q.line}: ${escapeHtml(q.text)}`).join('\n')}</pre>`
      : '',
    evidence.length
      ? `<dl>${evidence.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${value(v)}</dd>`).join('')}</dl>`
      : '',
    f.remediation ? `<p><b>Fix:</b> ${escapeHtml(f.remediation.text)}</p>` : '',
    f.remediation?.commands?.length ? `<pre>${f.remediation.commands.map(escapeHtml).join('\n')}</pre>` : '',
    `<p class="id"><a href="${escapeHtml(f.docs)}">${escapeHtml(f.title)}</a></p>`,
    '</div>',
  ].join('');
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info', 'pass', 'skipped'];

/** The header's "what was judged": domain, gMSA(s) and host, each said to be unknown rather than left out. */
function scopeHtml(scope: Scope | undefined): string {
  if (!scope) return '';
  const rows: [string, string][] = [
    ['Domain', scope.domain ?? 'not known (--domain D)'],
    [scope.gmsas.length > 1 ? 'gMSAs' : 'gMSA', scope.gmsas.join(', ') || 'none named (--gmsa NAME)'],
    ['Host', scope.host ?? 'not named (--host COMPUTER)'],
  ];
  return `<dl class="scope">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** "webapp01 on containerhost02, contoso.com": what was judged, for the page title. */
function scopeTitle(scope: Scope | undefined): string {
  if (!scope) return '';
  const gmsas = scope.gmsas.join(', ');
  const parts = [gmsas && scope.host ? `${gmsas} on ${scope.host}` : gmsas || scope.host, scope.domain].filter(Boolean);
  return parts.length ? `: ${parts.join(', ')}` : '';
}

/** What explain read from a paste, the codes it decoded, and what to run next. */
function pasteHtml(paste: PasteSummary): string {
  const codes = paste.codes.length
    ? `<dl>${paste.codes.map((c) => `<dt><code>${escapeHtml(c.name ?? c.hex)}</code> ${escapeHtml(`${c.hex} ${c.kind}, line ${c.line}`)}</dt><dd>${escapeHtml([c.text, c.meaning].filter(Boolean).join(' '))}</dd>`).join('')}</dl>`
    : '';
  const next = paste.nextSteps.length
    ? `<p><b>Next steps, to confirm it:</b></p><pre>${paste.nextSteps.map(escapeHtml).join('\n')}</pre>`
    : '';
  return `<section><h2>Read from ${escapeHtml(paste.source)}</h2><p>${paste.lines} lines. Recognised: ${escapeHtml(paste.recognised.join(', ') || 'nothing')}</p>${codes}${next}</section>`;
}

export function renderHtml(given: Report, generatedAt: Date = new Date()): string {
  const report = printable(redact(given));
  const findings = report.findings;
  const counts = countBySeverity(findings);
  const cause = report.mostLikelyCause
    ? `<div class="cause"><h2>Most likely cause (${escapeHtml(report.mostLikelyCause.link)})</h2><p>${escapeHtml(report.mostLikelyCause.summary)}</p><p class="id">${escapeHtml(report.mostLikelyCause.findingId)}</p></div>`
    : report.paste?.verdict === 'not-gmsa'
      ? `<div class="cause"><h2>Verdict</h2><p>${escapeHtml(report.paste.notGmsa ?? 'Not a gMSA failure.')}</p></div>`
      : '<div class="cause none"><h2>Most likely cause</h2><p>No failing link: every check that ran passed.</p></div>';
  const chain = chainStates(findings, report.chain)
    .map(
      ({ link, state }) =>
        `<div class="link ${state.replace(' ', '-')}"><b>${escapeHtml(link.title)}</b>${state}</div>`,
    )
    .join('<span aria-hidden="true">→</span>');
  const sections = SECTION_ORDER.map((section) => {
    const inSection = findings.filter((f) => f.section === section).sort(bySeverity);
    if (inSection.length === 0) return '';
    // Problems first and open; what passed or was skipped folds away under one line.
    const quiet = inSection.filter((f) => f.severity === 'pass' || f.severity === 'skipped');
    const loud = inSection.filter((f) => !quiet.includes(f));
    const passed = quiet.filter((f) => f.severity === 'pass').length;
    const folded = quiet.length
      ? `<details><summary>${passed} passed, ${quiet.length - passed} skipped</summary>${quiet.map(findingHtml).join('')}</details>`
      : '';
    return `<section><h2>${escapeHtml(SECTIONS[section].title)}</h2>${loud.map(findingHtml).join('')}${folded}</section>`;
  }).join('');
  const notChecked = report.notChecked?.length
    ? `<section><h2>Not checked here</h2><dl>${report.notChecked.map((n) => `<dt><code>${escapeHtml(n.id)}</code></dt><dd>${escapeHtml(n.title)}: ${escapeHtml(n.how)}</dd>`).join('')}</dl></section>`
    : '';
  const inputErrors = report.inputErrors.length
    ? `<section><h2>Unreadable input</h2>${report.inputErrors.map((e) => `<div class="finding error"><p>${escapeHtml(`${e.file}${e.field ? ` (${e.field})` : ''}: ${e.reason}`)}</p></div>`).join('')}</section>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${TOOL_NAME} ${report.command}${scopeTitle(report.scope)}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(TOOL_NAME)} ${escapeHtml(report.command)}</h1>
${scopeHtml(report.scope)}
<div class="meta">${escapeHtml(TOOL_NAME)} ${escapeHtml(TOOL_VERSION)} · ${escapeHtml(generatedAt.toISOString())} · ${Math.round(report.durationMs)} ms${report.vantagePoint ? ` · observed from ${escapeHtml(report.vantagePoint)}` : ''}</div>
<div class="summary">${SEVERITY_ORDER.map((s) => `<span class="sev ${s}">${counts[s]} ${s}</span>`).join('')}</div>
</header>
<main>
${cause}
${report.paste ? pasteHtml(report.paste) : ''}
<div class="chain">${chain}</div>
${inputErrors}
${sections}
${notChecked}
</main>
</body>
</html>
`;
}
