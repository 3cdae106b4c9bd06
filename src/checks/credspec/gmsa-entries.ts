import { documentCheck } from './_document.js';
import { fieldPath } from '../../credspec/positions.js';
import { isObject, lookup, sameName, str } from '../../credspec/values.js';
import type { CredSpecDocument } from '../../facts/credspec.js';
import { adConfig, domainJoin, error, placeholderIn, warning } from './_document.js';
import type { Diagnostic } from './_document.js';

interface Entry {
  name: string;
  scope: string;
  field: string;
}

function gmsaEntries(doc: CredSpecDocument): { entries: Entry[]; problems: Diagnostic[]; field: string } {
  const config = adConfig(doc);
  const list = lookup(config, 'GroupManagedServiceAccounts');
  if (!isObject(config)) return { entries: [], problems: [error('', 'ActiveDirectoryConfig is missing')], field: '' };
  if (!list)
    return {
      entries: [],
      problems: [error('ActiveDirectoryConfig', 'ActiveDirectoryConfig.GroupManagedServiceAccounts is missing')],
      field: 'ActiveDirectoryConfig',
    };
  const field = `ActiveDirectoryConfig.${list.key}`;
  if (!Array.isArray(list.value) || list.value.length === 0)
    return {
      entries: [],
      problems: [error(field, 'GroupManagedServiceAccounts must be a non-empty array of {Name, Scope}')],
      field,
    };
  const entries: Entry[] = [];
  const problems: Diagnostic[] = [];
  list.value.forEach((item, i) => {
    const itemField = fieldPath(field, i);
    const name = str(item, 'Name');
    const scope = str(item, 'Scope');
    if (name === undefined || scope === undefined)
      problems.push(error(itemField, `entry ${i} needs string Name and Scope`));
    else entries.push({ name, scope, field: itemField });
  });
  return { entries, problems, field };
}

export default documentCheck({
  id: 'credspec/gmsa-entries',
  title: 'GroupManagedServiceAccounts has a DNS and a NetBIOS entry for the account',
  looksAt:
    'ActiveDirectoryConfig.GroupManagedServiceAccounts: for MachineAccountName one entry whose Scope is DnsName and one whose Scope is NetBiosName; every entry a bare account name; additional accounts (New-CredentialSpec -AdditionalAccounts) with the scope of their own domain.',
  why: 'CCG looks the account up under both scopes; a missing or foreign scope, or a Name that is not the account, makes the lookup fail.',
  remediation:
    'Regenerate with New-CredentialSpec or `gmsa-doctor credspec new`, or add {"Name": ACCOUNT, "Scope": DnsName} and {"Name": ACCOUNT, "Scope": NetBiosName}.',
  check(doc) {
    const { entries, problems, field } = gmsaEntries(doc);
    if (entries.length === 0) return problems;
    const machine = str(domainJoin(doc), 'MachineAccountName');
    const dns = str(domainJoin(doc), 'DnsName');
    const nb = str(domainJoin(doc), 'NetBiosName');
    const out = [...problems];
    const seen = new Set<string>();
    for (const e of entries) {
      const key = `${e.name.toLowerCase()}|${e.scope.toLowerCase()}`;
      if (seen.has(key)) out.push(warning(e.field, `entry {Name: ${e.name}, Scope: ${e.scope}} is listed twice`));
      seen.add(key);
      const placeholder = placeholderIn(e.name, `${e.field}.Name`);
      if (placeholder) out.push(placeholder);
      else if (e.name.includes('$') || /[\\@]/.test(e.name))
        out.push(error(`${e.field}.Name`, `Name "${e.name}" must be the bare account name, without $ or domain`));
    }
    const names = [...new Map(entries.map((e) => [e.name.toLowerCase(), e.name])).values()];
    if (!machine) return out;
    if (!names.some((n) => sameName(n, machine))) {
      out.push(
        error(field, `no entry names MachineAccountName ${machine}: the entries name ${names.join(', ')} instead`, {
          evidence: { MachineAccountName: machine, names },
        }),
      );
      return out;
    }
    // The account itself: exactly the two scopes of its domain. Additional accounts carry their own domain's scope.
    const own = entries.filter((e) => sameName(e.name, machine));
    for (const e of own) {
      if (dns && nb && !sameName(e.scope, dns) && !sameName(e.scope, nb)) {
        out.push(
          error(
            `${e.field}.Scope`,
            `Scope "${e.scope}" of ${e.name} is neither DnsName (${dns}) nor NetBiosName (${nb})`,
            { evidence: { Scope: e.scope, DnsName: dns, NetBiosName: nb } },
          ),
        );
      }
    }
    if (dns && !own.some((e) => sameName(e.scope, dns)))
      out.push(
        error(field, `${machine} has no entry with the DNS scope ${dns}`, {
          remediation: { text: `Add {"Name": "${machine}", "Scope": "${dns}"}.` },
        }),
      );
    if (nb && !own.some((e) => sameName(e.scope, nb)))
      out.push(
        error(field, `${machine} has no entry with the NetBIOS scope ${nb}`, {
          remediation: { text: `Add {"Name": "${machine}", "Scope": "${nb}"}.` },
        }),
      );
    return out;
  },
});
