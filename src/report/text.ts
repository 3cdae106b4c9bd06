import { createColors } from 'picocolors';
import type { NotChecked } from '../engine/check.js';
import type { Finding, Severity } from '../engine/finding.js';
import { bySeverity, countBySeverity } from '../engine/finding.js';
import { printable } from '../engine/printable.js';
import { redact } from '../engine/redact.js';
import { SECTION_ORDER, SECTIONS } from '../engine/sections.js';
import { SUBJECT_KINDS, subjectText } from '../facts/subjects.js';
import type { InputError, PasteSummary, Report } from './model.js';

export interface TextOptions {
  color: boolean;
  /** Show passing findings one by one (they are counted otherwise). */
  verbose?: boolean;
}

type Colors = ReturnType<typeof createColors>;

const MARK: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ', pass: '✔', skipped: '○' };

function paint(c: Colors, severity: Severity, text: string): string {
  switch (severity) {
    case 'error':
      return c.red(text);
    case 'warning':
      return c.yellow(text);
    case 'info':
      return c.cyan(text);
    case 'pass':
      return c.green(text);
    case 'skipped':
      return c.dim(text);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function where(f: Finding): string {
  const loc = f.location;
  if (!loc) return f.subject ?? '';
  const pos = loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : '';
  return `${loc.file}${pos}`;
}

/**
 * `[gMSA webapp02]` when the report judges several subjects of the kind and the place shown does not name it (a
 * finding about the host, for one of several gMSAs). A kind whose findings show a name of their own (a container's)
 * needs no tag.
 */
function subjectTag(f: Finding, several: ReadonlySet<string>, place: string): string {
  if (!f.about || !several.has(f.about.kind) || SUBJECT_KINDS[f.about.kind].namedBy) return '';
  if (place.toLowerCase().includes(f.about.id.toLowerCase())) return '';
  return ` [${subjectText(f.about)}]`;
}

/** The kinds of subject of which the findings judge more than one. */
function severalSubjects(findings: readonly Finding[]): Set<string> {
  const ids = new Map<string, Set<string>>();
  for (const f of findings) if (f.about) ids.set(f.about.kind, (ids.get(f.about.kind) ?? new Set()).add(f.about.id));
  return new Set([...ids].filter(([, set]) => set.size > 1).map(([kind]) => kind));
}

/** One line per way to run more: the flag or place, then the checks it would run. */
function notCheckedLines(notChecked: readonly NotChecked[], c: Colors): string[] {
  const byHow = new Map<string, string[]>();
  for (const n of notChecked) byHow.set(n.how, [...(byHow.get(n.how) ?? []), n.id]);
  const lines = [
    '',
    c.bold(c.underline(`Not checked here (${notChecked.length} check${notChecked.length === 1 ? '' : 's'})`)),
  ];
  for (const [how, ids] of byHow) lines.push(...wrapList(`  ${c.dim('○')} ${how}: `, ids, '      '));
  return lines;
}

/** `lead a, b, c` wrapped at 120 columns, continuation lines indented. */
function wrapList(lead: string, items: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  let line = lead;
  items.forEach((item, i) => {
    const text = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line !== lead && line.length + text.length + 1 > 120) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += line === lead || line === indent ? text : ` ${text}`;
  });
  return [...lines, line];
}

function findingLines(f: Finding, c: Colors, several: ReadonlySet<string>): string[] {
  const place = where(f);
  const tag = subjectTag(f, several, place);
  const head = `  ${paint(c, f.severity, `${MARK[f.severity]} ${f.severity.padEnd(7)}`)} ${c.bold(f.id)}${place || tag ? c.dim(`  ${place}${tag}`) : ''}`;
  const lines = [head, `      ${f.message}`];
  if (f.location?.field) lines.push(c.dim(`      field: ${f.location.field}`));
  for (const q of f.quote ?? []) lines.push(c.dim(`      line ${q.line}: ${q.text}`));
  for (const [key, value] of Object.entries(f.evidence ?? {})) {
    if (value !== undefined && value !== null) lines.push(c.dim(`      ${key}: ${formatValue(value)}`));
  }
  if (f.remediation) {
    // A fix may carry a snippet (the YAML to add): its lines stay under the finding, indented as it is.
    lines.push(`      ${c.bold('fix:')} ${f.remediation.text.replace(/\n/g, '\n        ')}`);
    for (const command of f.remediation.commands ?? []) lines.push(`        ${c.cyan('$')} ${command}`);
  }
  return lines;
}

/** `cannot read FILE: reason`, or `OPTION: reason` for a usage problem. */
export function inputErrorText(error: InputError): string {
  const where = `${error.file}${error.field ? ` (${error.field})` : ''}`;
  return error.usage ? `${where}: ${error.reason}` : `cannot read ${where}: ${error.reason}`;
}

export function renderText(given: Report, options: TextOptions): string {
  const report = printable(redact(given));
  const c = createColors(options.color);
  const out: string[] = [];
  const findings = report.findings;
  for (const error of report.inputErrors) out.push(`${c.red('✖')} ${inputErrorText(error)}`);
  if (report.vantagePoint) out.push(c.dim(`Observed from: ${report.vantagePoint}`));
  if (report.paste)
    out.push(
      ...pasteHeadLines(
        report.paste,
        findings.some((f) => f.severity === 'error' || f.severity === 'warning'),
        c,
      ),
    );
  const several = severalSubjects(findings);
  for (const section of SECTION_ORDER) {
    const inSection = findings.filter((f) => f.section === section).sort(bySeverity);
    if (inSection.length === 0) continue;
    if (!options.verbose && report.paste && inSection.every((f) => f.severity === 'skipped')) continue;
    // A paste leaves most checks nothing to judge: what it did not show is listed with --verbose.
    const hidden = (f: Finding): boolean =>
      f.severity === 'pass' || (report.paste !== undefined && f.severity === 'skipped');
    const shown = options.verbose ? inSection : inSection.filter((f) => !hidden(f));
    const passed = inSection.length - shown.length;
    out.push('', c.bold(c.underline(SECTIONS[section].title)));
    for (const f of shown) out.push(...findingLines(f, c, several));
    if (passed > 0) out.push(c.green(`  ✔ ${passed} passed`) + c.dim(' (--verbose lists them)'));
  }
  const notChecked = report.notChecked ?? [];
  if (notChecked.length > 0) out.push(...notCheckedLines(notChecked, c));
  if (report.mostLikelyCause) {
    const cause = report.mostLikelyCause;
    out.push('', c.bold(`Most likely cause (${cause.link}): `) + `${cause.summary} ${c.dim(`[${cause.findingId}]`)}`);
  } else if (!report.paste && (report.command === 'check' || report.command === 'analyze' || report.chain)) {
    const among =
      notChecked.length > 0
        ? ` among the checks that ran (${notChecked.length} did not run here: see Not checked here)`
        : '';
    const chain = report.chain
      ? report.chain.map((l) => l.title).join(' -> ')
      : 'host -> DC -> account -> credential spec -> container';
    out.push('', c.bold('Most likely cause: ') + `none found${among}: no link of the chain ${chain} has an error.`);
  }
  if (report.paste) out.push(...pasteTailLines(report, report.paste, c));
  if (report.ignored?.length)
    out.push(
      '',
      c.dim(
        `${report.ignored.length} finding${report.ignored.length === 1 ? '' : 's'} silenced by gmsa-doctor.io/ignore annotations (--format json lists them)`,
      ),
    );
  out.push('', summaryLine(report, c));
  return out.join('\n') + '\n';
}

/** What was read from the paste, and the codes in it decoded. */
function pasteHeadLines(paste: PasteSummary, judged: boolean, c: Colors): string[] {
  const read =
    paste.events === undefined
      ? `${paste.lines} line${paste.lines === 1 ? '' : 's'}`
      : `${paste.events} gMSA-related event${paste.events === 1 ? '' : 's'}`;
  const lines = [c.dim(`Read ${read} from ${paste.source}`)];
  if (paste.recognised.length > 0) lines.push(...wrapList(c.dim('Recognised: '), paste.recognised, '  '));
  if (paste.codes.length > 0) {
    lines.push('', c.bold(c.underline('Status codes')));
    for (const code of paste.codes) {
      lines.push(
        `  ${c.bold(code.name ?? code.hex)} ${c.dim(`${code.hex} ${code.kind}, line ${code.line}`)}${code.text ? `: ${code.text}` : ''}`,
      );
      // What a code means for a gMSA is said once: by the findings that rest on it, else here.
      if (code.meaning && !judged) lines.push(`      ${code.meaning}`);
    }
  }
  return lines;
}

/** The verdict when no link fails, and what to run next. */
function pasteTailLines(report: Report, paste: PasteSummary, c: Colors): string[] {
  const lines: string[] = [];
  if (!report.mostLikelyCause && report.inputErrors.length === 0) {
    const verdict =
      paste.verdict === 'not-gmsa'
        ? (paste.notGmsa ?? 'Not a gMSA failure.')
        : paste.verdict === 'healthy'
          ? 'No gMSA failure in the paste: what it shows works (--verbose lists each piece).'
          : 'The paste holds nothing that says whether the gMSA works: paste the failing command with its output, or run `gmsa-doctor check` on the container host.';
    lines.push('', c.bold('Verdict: ') + verdict);
  }
  if (paste.nextSteps.length > 0) {
    lines.push('', c.bold('Next steps, to confirm it:'));
    for (const step of paste.nextSteps) lines.push(`  ${c.cyan('$')} ${step}`);
  }
  return lines;
}

function summaryLine(report: Report, c: Colors): string {
  const n = countBySeverity(report.findings);
  const parts = [
    paint(c, 'error', `${n.error} error${n.error === 1 ? '' : 's'}`),
    paint(c, 'warning', `${n.warning} warning${n.warning === 1 ? '' : 's'}`),
    `${n.info} info`,
    paint(c, 'pass', `${n.pass} passed`),
    c.dim(`${n.skipped} skipped`),
  ];
  const inputs = report.inputErrors.length;
  const unreadable = inputs ? `, ${c.red(`${inputs} input error${inputs === 1 ? '' : 's'}`)}` : '';
  return `${parts.join(', ')}${unreadable} ${c.dim(`(${Math.round(report.durationMs)} ms)`)}`;
}
