/**
 * gmsa-doctor as a library: the CLI's judgement, called from code. Each function returns the data the CLI prints
 * (a Report of Findings, with the most likely cause), and renderReport gives the CLI's own text, JSON, SARIF and
 * HTML. Only the functions whose names say so read files or the network.
 */
import { analyzeFacts, loadFactsFile } from './cli/analyze.js';
import type { SavedFacts } from './cli/analyze.js';
import { checkReport } from './cli/check.js';
import { lintReport } from './cli/credspec-lint.js';
import { analyzeEvents } from './cli/events.js';
import { explainPaste } from './cli/explain-paste.js';
import { boundedPassword } from './cli/credentials.js';
import { accountNameOf, caFileOf, checkOptions } from './cli/options.js';
import { render } from './cli/output.js';
import type { Format } from './cli/output.js';
import { ALL_CHECKS } from './checks/index.js';
import type { CheckMeta } from './engine/check.js';
import type { CheckOptions, LdapTransport } from './engine/options.js';
import type { EventRecord } from './facts/events.js';
import { currentEnvironment } from './plan/environment.js';
import { lintCredSpecBytes } from './plan/lint.js';
import { eventRecordsOfText } from './evidence/facts.js';
import { readEventFile } from './probes/eventlog.js';
import type { Finding } from './engine/finding.js';
import type { Report } from './report/model.js';

export type { Finding, Remediation, Severity, SourceLocation } from './engine/finding.js';
export type { CheckMeta } from './engine/check.js';
export type { EventRecord } from './facts/events.js';
export type { InputError, LikelyCause, Report } from './report/model.js';
export type { SavedFacts } from './cli/analyze.js';
export { exitCodeOf } from './report/model.js';

/** The catalogue: every check's id, title, guide section, what it looks at, why, and how to fix what it finds. */
export const checks: readonly CheckMeta[] = ALL_CHECKS.map((check) => check.meta);

/** Lints one credential spec held in memory (JSON or GMSACredentialSpec YAML, any encoding): `credspec lint`'s rules. */
export function lintCredentialSpec(spec: string | Uint8Array | object, file = 'credential-spec.json'): Finding[] {
  const bytes =
    typeof spec === 'string'
      ? Buffer.from(spec, 'utf8')
      : spec instanceof Uint8Array
        ? spec
        : Buffer.from(JSON.stringify(spec));
  return lintCredSpecBytes(bytes, file);
}

/** `gmsa-doctor credspec lint PATH...` (reads the files): files, folders, Docker's root, security options. */
export function lintCredentialSpecFiles(
  paths: readonly string[],
  options: { dockerRoot?: string; securityOpt?: readonly string[] } = {},
): Promise<Report> {
  return lintReport(paths, {
    securityOpt: [...(options.securityOpt ?? [])],
    ...(options.dockerRoot ? { dockerRoot: options.dockerRoot } : {}),
  });
}

/** Reads facts saved by `gmsa-doctor collect` (the file's text or its parsed JSON), validated field by field. */
export function readFacts(saved: string | object, file = 'facts.json'): SavedFacts {
  return loadFactsFile(typeof saved === 'string' ? saved : JSON.stringify(saved), file);
}

/** `gmsa-doctor analyze`: judges saved facts with every check they allow, without any I/O. */
export function judgeFacts(saved: SavedFacts | string | object, file?: string): Promise<Report> {
  const facts = isSavedFacts(saved) ? saved : readFacts(saved, file);
  return analyzeFacts(facts);
}

function isSavedFacts(value: unknown): value is SavedFacts {
  return typeof value === 'object' && value !== null && 'facts' in value && 'meta' in value && 'inputErrors' in value;
}

/** What `runChecks` can be told: the options of `gmsa-doctor check`. */
export interface CheckRequest {
  domain?: string;
  dc?: string;
  dnsServer?: string;
  /** The gMSA(s) to judge, with or without the trailing $. */
  gmsa?: string | readonly string[];
  /** The container host's computer account (its right to the password). */
  host?: string;
  credspec?: readonly string[];
  inspect?: readonly string[];
  events?: readonly string[];
  clientNames?: readonly string[];
  containers?: readonly string[];
  /** Deadline of each probe, in seconds (3 by default). */
  timeoutSeconds?: number;
  ldap?: {
    transport?: LdapTransport;
    /** CA certificates (PEM file) for the DC's LDAPS certificate; verification stays on unless insecureTls. */
    ca?: string;
    insecureTls?: boolean;
    user?: string;
    password?: string;
    kerberos?: boolean;
  };
}

/** `gmsa-doctor check`: everything that applies from where it runs (reads files, DNS, LDAP, Kerberos, Docker). */
export function runChecks(request: CheckRequest = {}): Promise<Report> {
  const options: CheckOptions = {
    ...checkOptions(
      {
        domain: request.domain,
        dc: request.dc,
        dnsServer: request.dnsServer,
        timeout: String(request.timeoutSeconds ?? 3),
      },
      {
        transport: request.ldap?.transport ?? 'ldaps',
        caFile: caFileOf({ ca: request.ldap?.ca }),
        insecureTls: request.ldap?.insecureTls ?? false,
        user: request.ldap?.user,
        password:
          request.ldap?.password === undefined ? undefined : boundedPassword(request.ldap.password, 'ldap.password'),
        kerberos: request.ldap?.kerberos ?? false,
      },
    ),
    gmsas: [request.gmsa ?? []].flat().map((g) => accountNameOf('gmsa', g, request.domain)),
    host: request.host === undefined ? undefined : accountNameOf('host', request.host, request.domain, true),
    credspec: [...(request.credspec ?? [])],
    inspect: [...(request.inspect ?? [])],
    events: [...(request.events ?? [])],
    clientNames: [...(request.clientNames ?? [])],
    containers: [...(request.containers ?? [])],
  };
  return checkReport(options, currentEnvironment(), () => undefined);
}

/**
 * `gmsa-doctor events FILE...` (reads the files: exports, .evtx or event text): CCG, Hyper-V-Compute, NETLOGON and
 * Security 4625 (logon type not granted) events judged.
 */
export function judgeEventLogs(files: readonly string[], options: { since?: string } = {}): Promise<Report> {
  return analyzeEvents(files, options);
}

/**
 * Every record of an event log file: .evtx (streamed, chunk by chunk), wevtutil XML, Get-WinEvent JSON, or events
 * as text (Event Viewer's "Copy details as text", Format-List, a pasted message), each with its export's data names.
 */
export async function* readEventLog(file: string): AsyncGenerator<EventRecord> {
  for await (const batch of readEventFile(file, { readText: eventRecordsOfText })) yield* batch.records;
}

/**
 * `gmsa-doctor explain` of pasted evidence (no I/O): a transcript, an error, event text or docker inspect output, as
 * text or bytes in any encoding, judged by the same checks; `report.paste` holds the verdict and what was read.
 */
export function judgePaste(paste: string | Uint8Array, source = 'the paste'): Promise<Report> {
  return explainPaste(paste, source);
}

/** A report as the CLI prints it. */
export function renderReport(
  report: Report,
  format: Format = 'text',
  options: { color?: boolean; verbose?: boolean } = {},
): Promise<string> {
  return render(report, { format, color: options.color ?? false, verbose: options.verbose ?? false });
}
