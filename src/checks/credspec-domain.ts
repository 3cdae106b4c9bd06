/**
 * credspec/matches-domain: the credential spec's domain identity (Sid, Guid, DnsName, DnsTreeName, NetBiosName)
 * and account names against the live domain read over LDAP.
 */
import { defineCheck } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft } from '../engine/finding.js';
import { isGuid, normalizeGuid } from '../protocol/guid.js';
import { domainOfSid, isSid, normalizeSid } from '../protocol/sid.js';
import { GMSA_CLASS } from './account.js';
import type { AdAccountLookup, AdDomain } from '../facts/ad.js';
import type { CredSpecDocument } from '../facts/credspec.js';

type Dict = Record<string, unknown>;
const isObject = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Mismatch {
  field: string;
  message: string;
  expected?: string;
  actual?: unknown;
}

function fieldPath(doc: CredSpecDocument, field: string): string {
  return doc.specPath ? `${doc.specPath}.${field}` : field;
}

function domainFieldMismatches(dj: Dict, domain: AdDomain): Mismatch[] {
  const out: Mismatch[] = [];
  const sid = dj.Sid;
  if (typeof sid === 'string' && isSid(sid)) {
    const normal = normalizeSid(sid);
    if (normal !== domain.sid) {
      const accountOfDomain = domainOfSid(normal) === domain.sid;
      out.push({
        field: 'DomainJoinConfig.Sid',
        expected: domain.sid,
        actual: sid,
        message: accountOfDomain
          ? `Sid ${sid} is an account SID of ${domain.dnsName}, not the domain SID ${domain.sid} (a gMSA's own SID pasted where the domain's belongs)`
          : `Sid ${sid} is not the SID of ${domain.dnsName}: the domain's SID is ${domain.sid}`,
      });
    }
  }
  const guid = dj.Guid;
  if (typeof guid === 'string' && isGuid(guid) && normalizeGuid(guid) !== domain.guid) {
    out.push({ field: 'DomainJoinConfig.Guid', expected: domain.guid, actual: guid, message: `Guid ${guid} is not the objectGUID of ${domain.dnsName}: the domain's is ${domain.guid}` });
  }
  const text = (field: string, actual: unknown, expected: string | undefined, what: string): void => {
    if (typeof actual !== 'string' || expected === undefined) return;
    if (actual.toLowerCase() !== expected.toLowerCase()) out.push({ field, expected, actual, message: `${field.split('.').pop()} "${actual}" is not ${what} "${expected}"` });
  };
  text('DomainJoinConfig.DnsName', dj.DnsName, domain.dnsName, "the domain's DNS name");
  text('DomainJoinConfig.DnsTreeName', dj.DnsTreeName, domain.forestDnsName, "the forest's DNS name");
  text('DomainJoinConfig.NetBiosName', dj.NetBiosName, domain.netbiosName, "the domain's NetBIOS name");
  return out;
}

function lookupAccount(facts: FactReader, name: string): AdAccountLookup | undefined {
  const gmsa = facts.optional('ad.gmsa');
  if (gmsa && gmsa.name.toLowerCase() === name.toLowerCase()) return gmsa;
  return facts.optional('ad.accounts')?.[name.toLowerCase()];
}

function accountMismatch(facts: FactReader, field: string, name: string, domain: AdDomain): Mismatch | undefined {
  const lookup = lookupAccount(facts, name.replace(/\$$/, ''));
  if (!lookup) return undefined;
  if (!lookup.account) return { field, actual: name, message: `${field.split('.').pop()} "${name}": no account ${lookup.name}$ in ${domain.dnsName}` };
  if (!lookup.account.objectClass.includes(GMSA_CLASS)) {
    return { field, actual: name, message: `${field.split('.').pop()} "${name}": ${lookup.account.dn} is a ${lookup.account.objectClass.at(-1)}, not a gMSA` };
  }
  return undefined;
}

function inThisDomain(scope: unknown, domain: AdDomain): boolean {
  if (typeof scope !== 'string') return false;
  const s = scope.toLowerCase();
  return s === domain.dnsName.toLowerCase() || s === domain.netbiosName?.toLowerCase();
}

export function credspecMismatches(facts: FactReader, spec: unknown, domain: AdDomain): Mismatch[] {
  if (!isObject(spec)) return [];
  const dj = isObject(spec.DomainJoinConfig) ? spec.DomainJoinConfig : {};
  const out = domainFieldMismatches(dj, domain);
  if (typeof dj.MachineAccountName === 'string') {
    const m = accountMismatch(facts, 'DomainJoinConfig.MachineAccountName', dj.MachineAccountName, domain);
    if (m) out.push(m);
  }
  const ad = isObject(spec.ActiveDirectoryConfig) ? spec.ActiveDirectoryConfig : {};
  const entries = Array.isArray(ad.GroupManagedServiceAccounts) ? ad.GroupManagedServiceAccounts : [];
  entries.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.Name !== 'string' || !inThisDomain(entry.Scope, domain)) return;
    const m = accountMismatch(facts, `ActiveDirectoryConfig.GroupManagedServiceAccounts[${i}].Name`, entry.Name, domain);
    if (m) out.push(m);
  });
  return out;
}

export const credspecMatchesDomainCheck = defineCheck({
  meta: {
    id: 'credspec/matches-domain',
    title: 'The credential spec describes the live domain and existing gMSAs',
    section: 'credspec',
    looksAt: "DomainJoinConfig Sid, Guid, DnsName, DnsTreeName, NetBiosName against the domain's objectSid, objectGUID and names in AD; MachineAccountName and GroupManagedServiceAccounts names against the gMSAs in AD.",
    why: 'CCG hands these values to the container as its domain identity; a spec copied from another domain or naming a missing account makes the container logon fail.',
    remediation: 'Regenerate the spec from AD (gmsa-doctor credspec new --gmsa NAME) or correct each field to the value shown.',
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
          remediation: { text: m.expected ? `Set ${m.field} to "${m.expected}", or regenerate the spec from AD.` : 'Name an existing gMSA (without the $), or create it.', commands: [`gmsa-doctor credspec new --gmsa <name> --domain ${domain.dnsName}`] },
        });
      }
      if (mismatches.length === 0) {
        findings.push({ severity: 'pass', subject: doc.file, location: { file: doc.file }, message: `${doc.file} matches ${domain.dnsName} (${domain.sid}, ${domain.guid}) and names existing gMSAs` });
      }
    }
    return findings;
  },
});
