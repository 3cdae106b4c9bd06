/**
 * The most likely cause, over the whole catalogue (issue 12): its headline is the failing finding's own kind, the
 * account link wins over the DC's echo of the same fact, event findings take part in the chain, and one fault is
 * one finding, whatever crossed it. Facts are the checks' own case facts (captured from the lab DC and real logs).
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../src/checks/index.js';
import { FactStore } from '../../../src/engine/facts.js';
import type { Finding } from '../../../src/engine/finding.js';
import { readFactsFile } from '../../../src/facts/file.js';
import { mostLikelyCause } from '../../../src/report/likely-cause.js';
import { caseFile } from '../../checks/_harness.js';
import type { CheckCase, CheckCases } from '../../checks/_harness.js';
import { domain, kdc, krb, ping, port, tls } from '../../checks/_fixtures.js';
import { check, findingsOf } from '../../helpers/checks.js';
import ccgCredspecParse from '../../checks/events/ccg-credspec-parse.cases.js';
import ccgGmsaFetch from '../../checks/events/ccg-gmsa-fetch.cases.js';
import ccgPluginCredentials from '../../checks/events/ccg-plugin-credentials.cases.js';
import ccgPluginGuid from '../../checks/events/ccg-plugin-guid.cases.js';
import ccgPluginLoad from '../../checks/events/ccg-plugin-load.cases.js';
import hypervExternalCredentials from '../../checks/events/hyperv-external-credentials.cases.js';
import logonTypeGranted from '../../checks/events/logon-type-granted.cases.js';

type Facts = NonNullable<CheckCase['facts']>;

/** The DC the run found (DNS SRV), as every run with network checks has it. */
const FOUND = { 'dc.candidates': [{ host: 'dc1.contoso.com', address: '10.213.37.2', source: 'dns-srv' as const }] };

/** Every check of the catalogue on these facts, as `analyze` judges a saved file. */
function judgeAll(facts: Facts, subjects?: CheckCase['subjects']): Finding[] {
  const file = caseFile({ name: 'run', facts: { ...FOUND, ...facts }, subjects, expect: [] });
  const { snapshot, problems } = readFactsFile(file);
  expect(problems).toEqual([]);
  return findingsOf(ALL_CHECKS, new FactStore(snapshot));
}

const errorsOf = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');
const kerberos = (...exchanges: ReturnType<typeof kdc>[]) => ({
  account: 'webapp01$',
  realm: 'CONTOSO.COM',
  exchanges,
});

describe('the headline is what the failing finding found, not where it sits in the chain', () => {
  it('every error of every check case says what failed (its fault kind), so no cause is headed by a link', async () => {
    const unnamed: string[] = [];
    for (const c of ALL_CHECKS) {
      const file = new URL(`../../checks/${c.meta.id}.cases.ts`, import.meta.url).pathname;
      const { default: cases } = (await import(file)) as { default: CheckCases };
      for (const run of [...cases.success, ...cases.failure]) {
        const { snapshot } = readFactsFile(caseFile(run));
        for (const f of findingsOf([c], new FactStore(snapshot)))
          if (f.severity === 'error' && f.link && !f.fault) unnamed.push(`${f.id} "${run.name}"`);
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('TCP and UDP 88 dropped: "Port blocked", one finding with both transports; Kerberos defers to it', () => {
    const findings = judgeAll({
      'net.ports': [port(88, 'tcp', 'filtered'), port(88, 'udp', 'filtered'), port(389, 'tcp', 'open', 'LDAP')],
      'net.kerberos': kerberos(kdc('udp', undefined, 'timeout'), kdc('tcp', undefined, 'timeout')),
    });
    expect(errorsOf(findings).map((f) => f.id)).toEqual(['network/firewall']);
    expect(mostLikelyCause(findings)).toMatchObject({
      link: 'domain controller',
      kind: 'port-blocked',
      summary: expect.stringMatching(
        /^Port blocked: TCP and UDP 88 \(Kerberos\) on dc1\.contoso\.com are filtered: no answer within 3000 ms/,
      ) as string,
    });
    expect(findings.find((f) => f.id === 'network/kerberos')).toMatchObject({
      severity: 'skipped',
      message: expect.stringContaining(
        'UDP 88 is filtered, TCP 88 is filtered on dc1.contoso.com (see network/firewall)',
      ) as string,
    });
  });

  it('a wrong password: "Bind refused", though the DC answered on every port', () => {
    const findings = judgeAll({
      'net.ports': [port(636, 'tcp', 'open', 'LDAP SSL')],
      'ad.connection': {
        dc: 'dc1.contoso.com',
        address: '10.213.37.2',
        port: 636,
        transport: 'ldaps',
        bind: 'simple',
        identity: 'Administrator@contoso.com',
        ok: false,
        problem: { kind: 'invalid-credentials', resultCode: 49, dataCode: '52e', detail: 'data 52e' },
      },
    });
    expect(mostLikelyCause(findings)).toMatchObject({
      kind: 'bind-refused',
      summary:
        'Bind refused: dc1.contoso.com:636 rejected the bind of Administrator@contoso.com (LDAP result 49, AD sub-code 52e).',
    });
  });

  it('an untrusted CA: "Certificate untrusted", once for LDAPS and StartTLS; the LDAP session defers to it', () => {
    const untrusted = { chainValid: false, chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' };
    const findings = judgeAll({
      'net.tls': [tls(untrusted), tls({ ...untrusted, port: 389, mode: 'starttls' })],
      'ad.connection': {
        dc: 'dc1.contoso.com',
        address: '10.213.37.2',
        port: 636,
        transport: 'ldaps',
        bind: 'simple',
        ok: false,
        problem: { kind: 'tls-certificate', detail: 'unable to get local issuer certificate' },
      },
    });
    expect(errorsOf(findings).map((f) => f.id)).toEqual(['network/ldaps']);
    expect(mostLikelyCause(findings)).toMatchObject({
      kind: 'certificate-untrusted',
      summary: expect.stringMatching(
        /^Certificate untrusted: LDAPS \(TCP 636\) and StartTLS on TCP 389: the certificate chain does not verify/,
      ) as string,
    });
  });
});

describe('the account link wins over the DC echoing the same fact', () => {
  const unknownToTheDc = { 'net.cldap': [ping('cldap-ping-user-unknown.bin', 'webap01$')] };

  it('a gMSA that does not exist: account/exists names the cause, not the LDAP ping that says so too', () => {
    const findings = judgeAll(
      { ...unknownToTheDc, 'ad.domain': domain() },
      { gmsa: { webap01: { 'ad.gmsa': { name: 'webap01', account: null }, 'ad.similarNames': [] } } },
    );
    expect(findings.find((f) => f.id === 'network/ldap-ping')).toMatchObject({ severity: 'error', link: 'account' });
    expect(mostLikelyCause(findings)).toMatchObject({
      link: 'gMSA account',
      findingId: 'account/exists',
      kind: 'account-missing',
      summary: 'Account missing: No account with sAMAccountName webap01$ in contoso.com.',
    });
  });

  it('when AD could not be read, the DC’s word is the account finding: "Account unknown to the DC"', () => {
    expect(mostLikelyCause(judgeAll(unknownToTheDc))).toMatchObject({
      link: 'gMSA account',
      findingId: 'network/ldap-ping',
      kind: 'account-unusable',
    });
  });
});

describe('event findings take part in the cause chain', () => {
  it.each([
    ['events/ccg-credspec-parse', ccgCredspecParse],
    ['events/ccg-plugin-load', ccgPluginLoad],
    ['events/ccg-plugin-credentials', ccgPluginCredentials],
    ['events/ccg-gmsa-fetch', ccgGmsaFetch],
    ['events/ccg-plugin-guid', ccgPluginGuid],
    ['events/hyperv-external-credentials', hypervExternalCredentials],
    ['events/logon-type-granted', logonTypeGranted],
  ] as [string, CheckCases][])('%s: its failure names the cause, with its own kind', (id, cases) => {
    const failure = cases.failure.find((c) => c.expect.some((e) => e.severity === 'error'))!;
    const findings = judgeAll(failure.facts ?? {}, failure.subjects).filter((f) => f.id === id);
    const { meta } = check(id);
    expect(meta.link).not.toBeNull();
    expect(mostLikelyCause(findings)).toMatchObject({ findingId: id, kind: meta.fault });
  });
});

describe('one finding per fault, with all its transports', () => {
  it('a KDC that lists no keys for the gMSA, over UDP and TCP 88: one warning, not one per transport', () => {
    const noKeys = krb('krb-error-25-webapp01-gmsa.bin');
    const findings = judgeAll({ 'net.kerberos': kerberos(kdc('udp', noKeys), kdc('tcp', noKeys)) }).filter(
      (f) => f.id === 'network/kerberos',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', subject: 'dc1.contoso.com UDP and TCP 88' });
    expect(findings[0]!.message).toContain('lists no keys for it');
  });

  it('a DC that answers on no port at all: one "Domain controller unreachable", not a finding per port', () => {
    const findings = judgeAll({
      'net.ports': [port(88, 'tcp', 'filtered'), port(88, 'udp', 'filtered'), port(636, 'tcp', 'filtered', 'LDAPS')],
    });
    expect(errorsOf(findings)).toHaveLength(1);
    expect(mostLikelyCause(findings)).toMatchObject({
      kind: 'dc-unreachable',
      summary: expect.stringMatching(
        /^Domain controller unreachable: dc1\.contoso\.com \(10\.213\.37\.2\) answers on none/,
      ) as string,
    });
  });
});
