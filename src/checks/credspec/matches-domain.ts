/**
 * credspec/matches-domain: the credential spec's domain identity (Sid, Guid, DnsName, DnsTreeName, NetBiosName)
 * and account names against the live domain read over LDAP.
 */
import { defineCheck } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { FindingDraft } from '../../engine/finding.js';
import { credspecIdentity } from '../../credspec/identity.js';
import type { CredSpecIdentity, SpecValue } from '../../credspec/identity.js';
import { isGuid, normalizeGuid } from '../../protocol/guid.js';
import { domainOfSid, isSid, normalizeSid } from '../../protocol/sid.js';
import { GMSA_CLASS } from '../account/_account.js';
import type { AdAccountLookup, AdDomain } from '../../facts/ad.js';
import type { CredSpecDocument } from '../../facts/credspec.js';

interface Mismatch {
  field: string;
  message: string;
  expected?: string;
  actual?: unknown;
}

function fieldPath(doc: CredSpecDocument, field: string): string {
  return doc.specPath ? `${doc.specPath}.${field}` : field;
}

const label = (field: string): string => field.split('.').pop() ?? field;

function domainFieldMismatches(spec: CredSpecIdentity, domain: AdDomain): Mismatch[] {
  const out: Mismatch[] = [];
  if (spec.sid && isSid(spec.sid.value)) {
    const { value: sid, field } = spec.sid;
    const normal = normalizeSid(sid);
    if (normal !== domain.sid) {
      const accountOfDomain = domainOfSid(normal) === domain.sid;
      out.push({
        field,
        expected: domain.sid,
        actual: sid,
        message: accountOfDomain
          ? `Sid ${sid} is an account SID of ${domain.dnsName}, not the domain SID ${domain.sid} (a gMSA's own SID pasted where the domain's belongs)`
          : `Sid ${sid} is not the SID of ${domain.dnsName}: the domain's SID is ${domain.sid}`,
      });
    }
  }
  if (spec.guid && isGuid(spec.guid.value) && normalizeGuid(spec.guid.value) !== domain.guid) {
    const { value: guid, field } = spec.guid;
    out.push({
      field,
      expected: domain.guid,
      actual: guid,
      message: `Guid ${guid} is not the objectGUID of ${domain.dnsName}: the domain's is ${domain.guid}`,
    });
  }
  const text = (actual: SpecValue | undefined, expected: string | undefined, what: string): void => {
    if (!actual || expected === undefined) return;
    if (actual.value.toLowerCase() !== expected.toLowerCase()) {
      out.push({
        field: actual.field,
        expected,
        actual: actual.value,
        message: `${label(actual.field)} "${actual.value}" is not ${what} "${expected}"`,
      });
    }
  };
  text(spec.dnsName, domain.dnsName, "the domain's DNS name");
  text(spec.dnsTreeName, domain.forestDnsName, "the forest's DNS name");
  text(spec.netbiosName, domain.netbiosName, "the domain's NetBIOS name");
  return out;
}

type AccountFacts = FactReader<'ad.gmsa' | 'ad.accounts'>;

/** The account as AD answered for it: one of the gMSAs judged, or one of the other accounts the specs name. */
function lookupAccount(facts: AccountFacts, name: string): AdAccountLookup | undefined {
  const gmsa = facts.each('ad.gmsa').find(({ value }) => value.name.toLowerCase() === name.toLowerCase());
  return gmsa?.value ?? facts.optional('ad.accounts')?.[name.toLowerCase()];
}

function accountMismatch(facts: AccountFacts, named: SpecValue, domain: AdDomain): Mismatch | undefined {
  const { value: name, field } = named;
  const lookup = lookupAccount(facts, name.replace(/\$$/, ''));
  if (!lookup) return undefined;
  if (!lookup.account)
    return {
      field,
      actual: name,
      message: `${label(field)} "${name}": no account ${lookup.name}$ in ${domain.dnsName}`,
    };
  if (!lookup.account.objectClass.includes(GMSA_CLASS)) {
    return {
      field,
      actual: name,
      message: `${label(field)} "${name}": ${lookup.account.dn} is a ${lookup.account.objectClass.at(-1)}, not a gMSA`,
    };
  }
  return undefined;
}

function inThisDomain(scope: SpecValue | undefined, domain: AdDomain): boolean {
  const s = scope?.value.toLowerCase();
  return s !== undefined && (s === domain.dnsName.toLowerCase() || s === domain.netbiosName?.toLowerCase());
}

function credspecMismatches(facts: AccountFacts, specValue: unknown, domain: AdDomain): Mismatch[] {
  const spec = credspecIdentity(specValue);
  const out = domainFieldMismatches(spec, domain);
  const named = [
    ...(spec.machineAccountName ? [spec.machineAccountName] : []),
    ...spec.gmsaEntries.filter((e) => inThisDomain(e.scope, domain)).map((e) => e.name),
  ];
  for (const name of named) {
    const m = accountMismatch(facts, name, domain);
    if (m) out.push(m);
  }
  return out;
}

export default defineCheck({
  meta: {
    id: 'credspec/matches-domain',
    title: 'The credential spec describes the live domain and existing gMSAs',
    section: 'credspec',
    link: 'credspec',
    fault: 'credspec-mismatch',
    looksAt:
      "DomainJoinConfig Sid, Guid, DnsName, DnsTreeName, NetBiosName against the domain's objectSid, objectGUID and names in AD; MachineAccountName and GroupManagedServiceAccounts names against the gMSAs in AD.",
    why: 'CCG hands these values to the container as its domain identity; a spec copied from another domain or naming a missing account makes the container logon fail.',
    remediation:
      'Regenerate the spec from AD (gmsa-doctor credspec new --gmsa NAME) or correct each field to the value shown.',
  },
  needs: ['credspec.documents', 'ad.domain'],
  uses: ['ad.gmsa', 'ad.accounts'],
  run(facts) {
    const domain = facts.get('ad.domain');
    const findings: FindingDraft[] = [];
    for (const doc of facts.get('credspec.documents')) {
      const mismatches = credspecMismatches(facts, doc.spec, domain);
      for (const m of mismatches) {
        const path = fieldPath(doc, m.field);
        const position = doc.positions[path];
        findings.push({
          severity: 'error',
          subject: doc.file,
          message: m.message,
          evidence: { field: path, credspec: m.actual, ad: m.expected },
          location: { file: doc.file, field: path, ...(position ?? {}) },
          remediation: {
            text: m.expected
              ? `Set ${m.field} to "${m.expected}", or regenerate the spec from AD.`
              : 'Name an existing gMSA (without the $), or create it.',
            commands: [`gmsa-doctor credspec new --gmsa <name> --domain ${domain.dnsName}`],
          },
        });
      }
      if (mismatches.length === 0) {
        findings.push({
          severity: 'pass',
          subject: doc.file,
          location: { file: doc.file },
          message: `${doc.file} matches ${domain.dnsName} (${domain.sid}, ${domain.guid}) and names existing gMSAs`,
        });
      }
    }
    return findings;
  },
});
