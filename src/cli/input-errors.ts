/**
 * What the user gave that the run could not use: files that could not be read at all (missing, not a regular
 * file, over a limit, not what they should be) and usage problems only the run itself could find (no credentials
 * where the DC refuses anonymous reads, a --host that names no computer). Every command reports them the same way:
 * named with the file or option and the reason, exit code 2, never as a cause in the user's infrastructure.
 */
import type { FactReader } from '../engine/facts.js';
import { isCredSpecInputError } from '../facts/credspec.js';
import { LIVE_SOURCE } from '../probes/eventlog.js';
import type { InputError } from '../report/model.js';

/** The credential spec, docker inspect and event log files of the run that could not be read at all. */
export function fileInputErrors(facts: FactReader): InputError[] {
  const credspecs = (facts.optional('credspec.readErrors') ?? [])
    .filter(isCredSpecInputError)
    .map((e) => ({ file: e.file, reason: e.reason }));
  const inspects = (facts.optional('docker.inspectProblems') ?? [])
    .filter((p) => !p.field)
    .map((p) => ({ file: p.file, reason: p.reason }));
  const logs = (facts.optional('events.log')?.sources ?? [])
    .filter((s) => s.error && s.file !== LIVE_SOURCE)
    .map((s) => ({ file: s.file, reason: withoutFile(s.error!, s.file) }));
  return [...credspecs, ...inspects, ...logs];
}

/** The event reader's messages start with the file's name, which the input error shows already. */
function withoutFile(reason: string, file: string): string {
  return reason.startsWith(`${file}: `) ? reason.slice(file.length + 2) : reason;
}

/** Usage problems the run found: what to pass instead. */
export function usageInputErrors(facts: FactReader): InputError[] {
  const errors: InputError[] = [];
  const connection = facts.optional('ad.connection');
  if (connection?.problem?.kind === 'bind-required') {
    errors.push({
      file: '--user',
      usage: true,
      reason: `${connection.dc} does not let an anonymous session read the directory: bind as any domain user with --user USER@DOMAIN (password from GMSA_DOCTOR_PASSWORD, --password-file FILE or the prompt), or with --kerberos and a ticket (kinit)`,
    });
  }
  const lookup = facts.optional('ad.host');
  const domain = facts.optional('ad.domain')?.dnsName.toLowerCase();
  if (lookup?.given && !lookup.host && domain && (!lookup.domain || lookup.domain === domain)) {
    errors.push({
      file: `--host ${lookup.name}`,
      usage: true,
      reason: `no computer ${lookup.name}$ in ${domain}: pass the container host's computer name (as \`hostname\` prints it on the host), or its full DNS name when it is joined to another domain`,
    });
  }
  return errors;
}

/** Both: what a report lists as its input errors. */
export function inputErrorsOf(facts: FactReader): InputError[] {
  return [...fileInputErrors(facts), ...usageInputErrors(facts)];
}
