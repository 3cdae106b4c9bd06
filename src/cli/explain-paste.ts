/**
 * `gmsa-doctor explain` of pasted evidence: recognise what the paste holds, turn it into facts, judge them with the
 * same checks as a live run along the whole chain, and say what the paste shows: a gMSA failure and its most likely
 * cause, a look-alike, or a working piece. Findings quote the pasted lines they rest on. No I/O.
 */
import { ALL_CHECKS } from '../checks/index.js';
import { declaredFacts } from '../engine/check.js';
import { PASTE_CHAIN } from '../engine/chain.js';
import { REPORT_BUGS_AT } from '../engine/finding.js';
import type { Finding } from '../engine/finding.js';
import { run } from '../engine/runner.js';
import { factsOfEvidence, originKey, PASTE_SOURCE, recognise } from '../evidence/index.js';
import type { EvidenceItem, ExportedEvents, PasteFacts } from '../evidence/index.js';
import { planSaved } from '../plan/plan.js';
import { mostLikelyCause } from '../report/likely-cause.js';
import type { InputError, PastedCode, PasteSummary, Report } from '../report/model.js';

/** What explain reads, for the message of a paste where nothing was recognised. */
export const READABLE =
  'nltest (any subcommand), klist, whoami, net config workstation, Test-ADServiceAccount, AD cmdlet errors and Get-ADServiceAccount/Get-ADComputer/Get-ADDomain output, docker run/daemon/HCS errors with winapi error numbers, docker info and docker inspect (whole or in part), credential spec read errors, kubectl describe events, webhook denials and logs, kubectl apply errors, CCG/Hyper-V-Compute/NETLOGON/Security events as text, netlogon.log lines, reg query and .reg exports of the CCG and CredentialSpecs keys, kinit/credentials-fetcher errors, and status codes in any form';

const LABELS: Partial<Record<EvidenceItem['kind'], string>> = {
  whoami: 'whoami',
  'net-config-workstation': 'net config workstation',
  'test-adserviceaccount': 'Test-ADServiceAccount',
  'powershell-error': 'a PowerShell error record',
  'hcs-error': 'an HCS error',
  'docker-daemon-error': 'a Docker daemon error',
  'credspec-error': 'a credential spec error of Docker',
  'docker-info': 'docker info',
  'docker-inspect': 'docker inspect',
  'k8s-event': 'a Kubernetes event',
  'webhook-call-error': 'a webhook call error',
  'webhook-denial': 'a webhook denial',
  'webhook-log': "the webhook's log",
  'webhook-deploy': "the webhook deploy script's output",
  'k8s-csr': 'a CertificateSigningRequest',
  'kubectl-error': 'a kubectl error',
  'netlogon-log': 'netlogon.log',
  'ad-object': 'an AD object',
  registry: 'registry keys',
  'linux-kerberos': 'a Kerberos error',
  'credentials-fetcher': 'credentials-fetcher output',
  'trust-failure': 'a trust relationship failure',
  message: 'a known message',
  'credential-spec': 'a credential spec',
  'status-code': 'a status code',
};

function labelOf(item: EvidenceItem): string {
  switch (item.kind) {
    case 'nltest':
      return `nltest /${item.data.subcommand}`;
    case 'klist':
      return item.data.subcommand === 'tickets' ? 'klist' : `klist ${item.data.subcommand}`;
    case 'windows-event':
      return `event ${[item.data.provider, item.data.eventId].filter((v) => v !== undefined).join(' ') || 'text'}`;
    case 'ad-object':
      return item.data.cmdlet ?? `an AD ${item.data.objectType}`;
    default:
      return LABELS[item.kind] ?? item.kind;
  }
}

function linesText(item: EvidenceItem): string {
  const { from, to } = item.lines;
  return from === to ? `line ${from}` : `lines ${from}-${to}`;
}

/** `nltest /sc_verify (lines 3-9)`, repeated kinds once each with all their places. */
function recognisedText(items: readonly EvidenceItem[]): string[] {
  const byLabel = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind === 'command') continue;
    const label = labelOf(item);
    byLabel.set(label, [...(byLabel.get(label) ?? []), linesText(item)]);
  }
  return [...byLabel].map(([label, places]) =>
    places.length > 3 ? `${label} (${places.length} times, from ${places[0]})` : `${label} (${places.join(', ')})`,
  );
}

function codesOf(items: readonly EvidenceItem[]): PastedCode[] {
  const seen = new Set<string>();
  const codes: PastedCode[] = [];
  for (const code of items.flatMap((i) => i.codes)) {
    if (!code.failing) continue;
    const key = `${code.name ?? code.hex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    codes.push({
      match: code.match,
      hex: code.hex,
      kind: code.kind,
      line: code.line,
      ...(code.name ? { name: code.name } : {}),
      ...(code.text ? { text: code.text } : {}),
      ...(code.meaning ? { meaning: code.meaning } : {}),
    });
  }
  return codes;
}

const CHECKS_BY_ID = new Map(ALL_CHECKS.map((c) => [c.meta.id, c]));

/** A finding without quotes of its own quotes the pasted lines of the facts its check read. */
function quoted(finding: Finding, paste: PasteFacts, source: string): Finding {
  const check = CHECKS_BY_ID.get(finding.id);
  let quote = finding.quote;
  if (!quote?.length && check) {
    const keys = [...declaredFacts(check)];
    quote = keys
      .flatMap((key) => paste.origins.get(originKey(key, finding.about)) ?? paste.origins.get(key) ?? [])
      .filter((q, i, all) => all.findIndex((o) => o.line === q.line) === i)
      .sort((a, b) => a.line - b.line)
      .slice(0, 6);
  }
  // A pasted credential spec's findings point into its JSON: the same place in the paste.
  const spec = /^the credential spec from line (\d+)$/.exec(finding.location?.file ?? '');
  const line = spec && finding.location?.line ? Number(spec[1]) + finding.location.line - 1 : quote?.[0]?.line;
  if (!quote?.length || line === undefined) return finding;
  const exact = spec ? quote.filter((q) => q.line === line) : [];
  return {
    ...finding,
    quote: exact.length > 0 ? exact : quote,
    location: { ...finding.location, file: source, line, column: undefined },
  };
}

/** What to run next: the cause's own commands, then a full check with the names the paste gives. */
function nextSteps(findings: readonly Finding[], causeId: string | undefined, paste: PasteFacts): string[] {
  const cause = findings.find((f) => f.id === causeId && f.severity === 'error');
  const own = cause?.remediation?.commands ?? [];
  const { domain, gmsa, host } = paste.named;
  // A cluster's fault is confirmed by a scan of the cluster; the others by a check of the host and the account.
  const inCluster = cause?.link === 'cluster' || cause?.link === 'pod' || cause?.link === 'manifest';
  const tool = inCluster ? 'gmsa-doctor k8s' : 'gmsa-doctor check';
  const full = inCluster
    ? tool
    : `${tool}${domain ? ` --domain ${domain}` : ''} --gmsa ${gmsa ?? '<gmsa>'} --host ${host ?? '<container-host>'}`;
  // The cause's own commands may run the same tool already (with the values of its finding).
  return own.some((c) => c.startsWith(tool)) ? [...own] : [...own, full];
}

function verdictOf(findings: readonly Finding[], hasCause: boolean): Pick<PasteSummary, 'verdict' | 'notGmsa'> {
  if (hasCause) return { verdict: 'gmsa-failure' };
  const lookAlike = findings.find((f) => f.id === 'known-issues/look-alike' && f.severity !== 'pass');
  if (lookAlike) return { verdict: 'not-gmsa', notGmsa: lookAlike.message };
  if (findings.some((f) => f.severity === 'pass')) return { verdict: 'healthy' };
  return { verdict: 'undecided' };
}

/** Judges a paste (text or bytes, any encoding) with every check its facts allow. */
export async function explainPaste(
  input: string | Uint8Array,
  source = 'the paste',
  exported?: ExportedEvents,
): Promise<Report> {
  const started = performance.now();
  const recognised = recognise(input);
  const items = recognised.items;
  const summary = {
    source,
    lines: recognised.lineCount,
    ...(exported ? { events: exported.records.length } : {}),
    recognised: [
      ...(exported ? [`${exported.records.length} gMSA-related events (${exported.format})`] : []),
      ...recognisedText(items),
    ],
    codes: codesOf(items),
  };
  const refused = (error: InputError): Report => ({
    command: 'explain',
    findings: [],
    inputErrors: [error],
    durationMs: performance.now() - started,
    paste: { ...summary, verdict: 'undecided', nextSteps: [] },
  });
  if (recognised.error) return refused({ file: source, reason: recognised.error.message });
  const nothing = !items.some((i) => i.kind !== 'command');
  if (nothing && exported?.records.length === 0)
    return refused({
      file: source,
      usage: true,
      reason: `no gMSA-related event in this ${exported.format} log (CCG, Hyper-V-Compute 11507, NETLOGON 5719/5720, Security 4625 with 0xC000015B): export the log that holds them (wevtutil epl Microsoft-Windows-Containers-CCG/Admin ccg.evtx) and give that`,
    });
  if (nothing && !exported)
    return refused({
      file: source,
      usage: true,
      reason: `no gMSA evidence recognised in ${recognised.lineCount} line${recognised.lineCount === 1 ? '' : 's'}. explain reads: ${READABLE}.`,
    });
  const paste = factsOfEvidence(items, exported);
  const plan = planSaved(paste.facts, ALL_CHECKS);
  const result = await run({ checks: plan.checks, facts: paste.facts });
  const findings = result.findings.map((f) => quoted(f, paste, source === 'the paste' ? PASTE_SOURCE : source));
  const cause = mostLikelyCause(findings, PASTE_CHAIN);
  return {
    command: 'explain',
    chain: PASTE_CHAIN,
    findings,
    // A recogniser that failed is a bug: what it would have read is missing, and the report says so.
    inputErrors: recognised.failures.map((f) => ({
      file: source,
      field: `line ${f.line}`,
      reason: `the ${f.recogniser} recogniser failed (${f.message}), so this part was not read: a bug in gmsa-doctor, please report it at ${REPORT_BUGS_AT}`,
    })),
    durationMs: performance.now() - started,
    ...(cause ? { mostLikelyCause: cause } : {}),
    paste: {
      ...summary,
      ...verdictOf(findings, cause !== undefined),
      nextSteps: cause ? nextSteps(findings, cause.findingId, paste) : [],
    },
  };
}
