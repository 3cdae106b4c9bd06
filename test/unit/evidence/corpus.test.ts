/**
 * The pasted-evidence corpus (test/fixtures/evidence: real pastes from public threads, cases.json): for every
 * fixture, the kinds of evidence the corpus names are recognised, and the items rest on the lines cases.json records
 * under `recognised` (with the commands, failing codes and look-alikes they carry). The verdict and cause of each
 * case are for the checks that will judge these items.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recognise } from '../../../src/evidence/recognise.js';
import { summarise, type EvidenceSummary } from '../../../src/evidence/summarise.js';
import type { EvidenceItem, ItemDataMap, ItemKind } from '../../../src/evidence/types.js';

interface Case {
  file: string;
  kinds: string[];
  verdict: 'gmsa-failure' | 'not-gmsa' | 'healthy';
  cause: string;
  recognised: EvidenceSummary;
}

const DIR = new URL('../../fixtures/evidence/', import.meta.url);
const CASES: Case[] = (JSON.parse(readFileSync(new URL('cases.json', DIR), 'utf8')) as { cases: Case[] }).cases;

type Predicate = (items: readonly EvidenceItem[]) => boolean;
function has<K extends ItemKind>(
  kind: K,
  test: (data: ItemDataMap[K], item: EvidenceItem) => boolean = () => true,
): Predicate {
  return (items) => items.some((i) => i.kind === kind && test(i.data as ItemDataMap[K], i));
}
const any =
  (...predicates: Predicate[]): Predicate =>
  (items) =>
    predicates.some((p) => p(items));
const nltest = (subcommand: ItemDataMap['nltest']['subcommand']): Predicate =>
  has('nltest', (d) => d.subcommand === subcommand);
const event = (test: (d: ItemDataMap['windows-event']) => boolean): Predicate => has('windows-event', test);

/**
 * What each kind of evidence the corpus names is recognised as. Kinds that name where a line came from (a CI log, a
 * test log, a Python traceback) are recognised through the item of what the line says.
 */
const KINDS: Readonly<Record<string, Predicate>> = {
  'nltest-sc_verify': any(
    nltest('sc_verify'),
    // A CI log line without the command: which nltest call failed is not in the paste.
    has('nltest', (d) => d.subcommand === 'unknown' && d.failure?.operation === 'I_NetLogonControl'),
  ),
  'nltest-sc_reset': nltest('sc_reset'),
  'nltest-query': nltest('query'),
  'nltest-parentdomain': nltest('parentdomain'),
  'nltest-dclist': nltest('dclist'),
  'nltest-dsgetdc': nltest('dsgetdc'),
  'klist-get': has('klist', (d) => d.subcommand === 'get'),
  whoami: has('whoami'),
  'test-adserviceaccount': has('test-adserviceaccount'),
  'install-adserviceaccount': has('powershell-error', (d) =>
    /Install-?ADServiceAccount/i.test(`${d.source} ${d.category ?? ''} ${d.fullyQualifiedErrorId ?? ''}`),
  ),
  'powershell-ad-error': has('powershell-error', (d) => d.adModule),
  'powershell-error': has('powershell-error'),
  'powershell-native-command-error': has('powershell-error', (d) => d.nativeCommand),
  netaddserviceaccount: has('powershell-error', (d) => d.problem === 'access-denied'),
  'get-adserviceaccount': has('ad-object', (d) => d.objectType === 'service-account'),
  'get-adcomputer': has('ad-object', (d) => d.objectType === 'computer'),
  'get-addomain': has('ad-object', (d) => d.objectType === 'domain'),
  'hcs-error': has('hcs-error'),
  'hcn-error': has('hcs-error', (d) => d.api === 'hcn'),
  'hns-error': has('hcs-error', (d) => d.api === 'hns'),
  'containerd-task-error': has('hcs-error', (d) => d.via === 'containerd'),
  'docker-run-error': any(has('hcs-error'), has('credspec-error'), has('docker-daemon-error')),
  'credspec-read-error': has('credspec-error', (d) => d.problem === 'file-unreadable'),
  'docker-inspect-fragment': has('docker-inspect', (d) => d.form === 'fragment'),
  'reg-query': has('registry', (d) => d.form === 'reg-query'),
  'reg-file': has('registry', (d) => d.form === 'reg-export'),
  'kubectl-describe-events': has('k8s-event'),
  'kubectl-event-message': has('webhook-call-error'),
  'kubectl-get-yaml': has('webhook-call-error', (_d, i) => i.quote.some((q) => q.text.startsWith('message:'))),
  'kubectl-apply-error': has('kubectl-error'),
  'kubectl-exec': has('command', (d) => d.program === 'kubectl' && /\bexec\b/.test(d.args)),
  'kubectl-get-csr': has('k8s-csr'),
  'webhook-call-error': has('webhook-call-error', (d) => d.gmsaWebhook),
  'webhook-log': has('webhook-log'),
  'go-panic': has('webhook-log', (_d, i) => i.quote.some((q) => q.text.startsWith('panic:'))),
  'webhook-deploy-script': any(
    has('webhook-deploy'),
    has('command', (d) => /deploy-gmsa-webhook\.sh/.test(`${d.program} ${d.args}`)),
  ),
  'ccg-event-text': event((d) => d.provider === 'Microsoft-Windows-Containers-CCG' && d.form === 'message-text'),
  'hyperv-compute-11507': event((d) => d.eventId === 11507),
  'event-get-winevent-format-list': event((d) => d.form === 'format-list'),
  'event-get-eventlog-format-list': event((d) => d.form === 'get-eventlog'),
  'netlogon-5720': event((d) => d.eventId === 5720 && d.known?.outcome === 'failure'),
  'security-event-4625': event((d) => d.eventId === 4625),
  'dc-event-message-text': event((d) => d.form === 'message-text' && d.language === 'de'),
  'netlogon-log': has('netlogon-log'),
  'linux-kerberos': has('linux-kerberos'),
  'sssd-log': has('linux-kerberos', (d) => d.tool === 'sssd'),
  'python-traceback': has('linux-kerberos', (d) => d.tool === 'gmsad'),
  'credentials-fetcher': has('credentials-fetcher'),
  'dotnet-exception': has('trust-failure', (d) => d.source === 'dotnet'),
  'test-log': has('trust-failure'),
  'error-sentence': has('trust-failure', (d) => d.source === 'message'),
  'app-log': has('trust-failure', (d) => d.source === 'win32'),
  'app-error': has('message', (d) => d.id === 'hostprocess-token-path'),
  hostprocess: has('message', (d) => d.id === 'hostprocess-token-path'),
  'ci-log': has('nltest'),
  'e2e-log': has('command', (d) => d.shell === 'none' && d.program === 'kubectl'),
};

describe('the pasted-evidence corpus', () => {
  it('holds at least 40 real pastes, and every kind it names has a recogniser', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const unknown = [...new Set(CASES.flatMap((c) => c.kinds))].filter((k) => !Object.hasOwn(KINDS, k));
    expect(unknown).toEqual([]);
  });

  describe.each(CASES.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const result = recognise(readFileSync(new URL(c.file, DIR)));

    it.each(c.kinds)('recognises the %s', (kind) => {
      expect(KINDS[kind]!(result.items)).toBe(true);
    });

    it('rests its items on the lines recorded in cases.json', () => {
      expect(summarise(result.items)).toEqual(c.recognised);
      expect(result.failures).toEqual([]);
    });

    it('says what a look-alike is instead, and calls no gMSA failure one', () => {
      if (c.verdict === 'not-gmsa') {
        const token = c.cause.replace(/^not-gmsa:/, '');
        const found = result.items.flatMap((i) => (i.lookAlike ? [i.lookAlike.id, ...(i.lookAlike.or ?? [])] : []));
        // The thread's cause is among the look-alikes the paste shows (attach namespace: image mismatch or CNI).
        expect(found).toContain(token);
      } else {
        expect(result.items.filter((i) => i.lookAlike?.certain).map((i) => i.lookAlike?.id)).toEqual([]);
      }
    });
  });
});
