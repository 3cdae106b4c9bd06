import { GUID_PATTERN, parseDomainSid } from './identifiers.js';
import type { Diagnostic, Rule } from './rule.js';
import { KNOWN_KEYS, OPEN_OBJECTS, RESOURCE_KEYS } from './schema.js';
import { fieldPath } from './positions.js';
import {
  closestKey,
  findPlaceholder,
  isFqdn,
  isObject,
  lookup,
  NETBIOS_ILLEGAL,
  SAM_ILLEGAL,
  sameName,
  str,
} from './values.js';
import type { CredSpecDocument } from '../facts/credspec.js';

const error = (field: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({ severity: 'error', field, message, ...extra });
const warning = (field: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({ severity: 'warning', field, message, ...extra });

const domainJoin = (doc: CredSpecDocument) => lookup(doc.spec, 'DomainJoinConfig')?.value;
const adConfig = (doc: CredSpecDocument) => lookup(doc.spec, 'ActiveDirectoryConfig')?.value;
const hostAccount = (doc: CredSpecDocument) => lookup(adConfig(doc), 'HostAccountConfig')?.value;

/** A required string field of DomainJoinConfig: its value, or the diagnostic that it is missing or not a string. */
function requiredDomainField(doc: CredSpecDocument, key: string): { value: string; field: string } | Diagnostic {
  const field = `DomainJoinConfig.${key}`;
  const found = lookup(domainJoin(doc), key);
  if (!isObject(domainJoin(doc))) return error('DomainJoinConfig', `DomainJoinConfig is missing, so ${key} is too`);
  if (!found) return error('DomainJoinConfig', `${field} is missing`);
  if (typeof found.value !== 'string' || found.value.trim() === '') return error(`DomainJoinConfig.${found.key}`, `${field} must be a non-empty string`);
  return { value: found.value, field: `DomainJoinConfig.${found.key}` };
}

function isDiagnostic(value: unknown): value is Diagnostic {
  return isObject(value) && 'severity' in value;
}

const cmsPlugins: Rule = {
  slug: 'cms-plugins',
  title: 'CmsPlugins lists ActiveDirectory',
  looksAt: 'The CmsPlugins array at the top of the credential spec.',
  why: 'Container Credential Guard only uses a credential spec whose CmsPlugins contains "ActiveDirectory".',
  remediation: 'Set "CmsPlugins": ["ActiveDirectory"].',
  check(doc) {
    const found = lookup(doc.spec, 'CmsPlugins');
    if (!isObject(doc.spec)) return [error('', 'the credential spec is not a JSON object')];
    if (!found) return [error('', 'CmsPlugins is missing', { remediation: { text: 'Add "CmsPlugins": ["ActiveDirectory"].' } })];
    const values: unknown[] = Array.isArray(found.value) ? found.value : [found.value];
    if (values.includes('ActiveDirectory')) {
      return Array.isArray(found.value) ? [] : [warning(found.key, 'CmsPlugins should be an array: ["ActiveDirectory"]')];
    }
    const nearly = values.find((v): v is string => typeof v === 'string' && sameName(v, 'ActiveDirectory'));
    if (nearly) return [warning(found.key, `CmsPlugins has "${nearly}"; the plugin is spelled "ActiveDirectory"`)];
    return [error(found.key, `CmsPlugins does not contain "ActiveDirectory" (it has ${JSON.stringify(found.value)})`, { remediation: { text: 'Set "CmsPlugins": ["ActiveDirectory"].' } })];
  },
};

const domainSid: Rule = {
  slug: 'domain-sid',
  title: 'Sid is the domain SID',
  looksAt: 'DomainJoinConfig.Sid: a domain SID has the form S-1-5-21-a-b-c.',
  why: "CCG uses the domain SID to build the gMSA's identity. A fourth sub-authority after 21 makes it an account SID: usually the gMSA's own SID pasted where the domain SID belongs.",
  remediation: 'Use the domain SID: (Get-ADDomain).DomainSID, or regenerate the spec with New-CredentialSpec or `gmsa-doctor credspec new`.',
  check(doc) {
    const sid = requiredDomainField(doc, 'Sid');
    if (isDiagnostic(sid)) return [sid];
    const parsed = parseDomainSid(sid.value);
    if (parsed.kind === 'domain') return [];
    if (parsed.kind === 'account') {
      return [
        error(sid.field, `${sid.value} is an account SID (relative ID ${parsed.rid}), not a domain SID: the gMSA's own SID (or another account's) was pasted where the domain SID belongs`, {
          evidence: { sid: sid.value, domainSid: parsed.domainSid, rid: parsed.rid },
          remediation: { text: `Use the domain part, ${parsed.domainSid}, which is what (Get-ADDomain).DomainSID returns.`, commands: ['(Get-ADDomain).DomainSID.Value'] },
        }),
      ];
    }
    return [error(sid.field, `${sid.value} is not a domain SID (${parsed.reason}); a domain SID looks like S-1-5-21-702590844-1001920913-2680819671`, { evidence: { sid: sid.value } })];
  },
};

const machineAccountName: Rule = {
  slug: 'machine-account-name',
  title: 'MachineAccountName is the bare gMSA name',
  looksAt: 'DomainJoinConfig.MachineAccountName: no domain part, no $, at most 15 characters, legal SAM characters.',
  why: 'CCG appends the $ and the domain itself; a name with either, or one longer than a SAM account name can be, names an account that does not exist.',
  remediation: 'Write the gMSA SAM account name without the trailing $ and without the domain, e.g. "webapp01".',
  check(doc) {
    const name = requiredDomainField(doc, 'MachineAccountName');
    if (isDiagnostic(name)) return [name];
    return samNameProblems(name.value, name.field, 'MachineAccountName');
  },
};

function samNameProblems(value: string, field: string, label: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bare = value.replace(/^.*[\\@]|\..*$/g, '').replace(/\$+$/, '');
  if (/[\\@]/.test(value) || (value.includes('.') && !value.startsWith('$'))) {
    out.push(error(field, `${label} "${value}" has a domain part; write only the account name`, { remediation: { text: `Use "${bare}".` } }));
  }
  if (value.includes('$')) {
    out.push(error(field, `${label} "${value}" contains $; gMSA names are written without the trailing $ in a credential spec`, { remediation: { text: `Use "${value.replace(/\$/g, '')}".` } }));
  }
  const withoutDollar = value.replace(/\$/g, '');
  if (withoutDollar.length > 15) out.push(error(field, `${label} "${value}" is ${withoutDollar.length} characters; a gMSA SAM account name has at most 15 (before the $)`));
  const illegal = withoutDollar.replace(/^.*[\\@]/, '').match(SAM_ILLEGAL);
  if (illegal && !/[\\@]/.test(illegal[0])) out.push(error(field, `${label} "${value}" contains "${illegal[0]}", which is not allowed in a SAM account name`));
  return out;
}

const domainGuid: Rule = {
  slug: 'domain-guid',
  title: 'Guid is a well-formed domain GUID',
  looksAt: 'DomainJoinConfig.Guid: 8-4-4-4-12 hexadecimal digits, as (Get-ADDomain).ObjectGUID prints it.',
  why: 'CCG identifies the domain by this GUID; a malformed value makes it reject the spec (CCG event 3).',
  remediation: 'Use (Get-ADDomain).ObjectGUID, written without braces.',
  check(doc) {
    const guid = requiredDomainField(doc, 'Guid');
    if (isDiagnostic(guid)) return [guid];
    if (GUID_PATTERN.test(guid.value)) return [];
    if (/^\{.*\}$/.test(guid.value) && GUID_PATTERN.test(guid.value.slice(1, -1))) {
      return [warning(guid.field, `Guid ${guid.value} has braces; New-CredentialSpec writes it without them`)];
    }
    return [error(guid.field, `Guid "${guid.value}" is not a GUID (8-4-4-4-12 hexadecimal digits)`)];
  },
};

const dnsNames: Rule = {
  slug: 'dns-names',
  title: 'DnsTreeName and DnsName are the forest and domain FQDNs',
  looksAt: 'DomainJoinConfig.DnsTreeName (forest root) and DnsName (the gMSA\'s domain): fully qualified; DnsName is the forest root or below it.',
  why: 'CCG locates a domain controller through these DNS names.',
  remediation: 'Use (Get-ADDomain).Forest for DnsTreeName and (Get-ADDomain).DNSRoot for DnsName.',
  check(doc) {
    const out: Diagnostic[] = [];
    const tree = requiredDomainField(doc, 'DnsTreeName');
    const name = requiredDomainField(doc, 'DnsName');
    for (const item of [tree, name]) {
      if (isDiagnostic(item)) out.push(item);
      else if (!isFqdn(item.value)) out.push(error(item.field, `"${item.value}" is not a fully qualified DNS name${item.value.includes('.') || findPlaceholder(item.value) ? '' : ' (a NetBIOS name?)'}`));
    }
    if (!isDiagnostic(tree) && !isDiagnostic(name) && out.length === 0) {
      const t = tree.value.toLowerCase().replace(/\.$/, '');
      const n = name.value.toLowerCase().replace(/\.$/, '');
      if (n !== t && !n.endsWith(`.${t}`)) {
        out.push(error(name.field, `DnsName ${name.value} is not in the forest ${tree.value} (it must equal DnsTreeName or end with .${tree.value})`, { evidence: { DnsTreeName: tree.value, DnsName: name.value } }));
      }
    }
    return out;
  },
};

const netbiosName: Rule = {
  slug: 'netbios-name',
  title: 'NetBiosName is a NetBIOS domain name',
  looksAt: 'DomainJoinConfig.NetBiosName: at most 15 characters, no dots or reserved characters.',
  why: 'The NetBIOS name is the second scope of the gMSA entries and how down-level names (CONTOSO\\webapp01$) are formed.',
  remediation: 'Use (Get-ADDomain).NetBIOSName.',
  check(doc) {
    const nb = requiredDomainField(doc, 'NetBiosName');
    if (isDiagnostic(nb)) return [nb];
    const out: Diagnostic[] = [];
    if (nb.value.length > 15) out.push(error(nb.field, `NetBiosName "${nb.value}" is ${nb.value.length} characters; NetBIOS names have at most 15`));
    const illegal = nb.value.match(NETBIOS_ILLEGAL);
    if (illegal) out.push(error(nb.field, `NetBiosName "${nb.value}" contains "${illegal[0]}"${illegal[0] === '.' ? ': it looks like a DNS name, not the NetBIOS name' : ', which NetBIOS names do not allow'}`));
    return out;
  },
};

interface Entry {
  name: string;
  scope: string;
  field: string;
}

function gmsaEntries(doc: CredSpecDocument): { entries: Entry[]; problems: Diagnostic[]; field: string } {
  const config = adConfig(doc);
  const list = lookup(config, 'GroupManagedServiceAccounts');
  if (!isObject(config)) return { entries: [], problems: [error('', 'ActiveDirectoryConfig is missing')], field: '' };
  if (!list) return { entries: [], problems: [error('ActiveDirectoryConfig', 'ActiveDirectoryConfig.GroupManagedServiceAccounts is missing')], field: 'ActiveDirectoryConfig' };
  const field = `ActiveDirectoryConfig.${list.key}`;
  if (!Array.isArray(list.value) || list.value.length === 0) return { entries: [], problems: [error(field, 'GroupManagedServiceAccounts must be a non-empty array of {Name, Scope}')], field };
  const entries: Entry[] = [];
  const problems: Diagnostic[] = [];
  list.value.forEach((item, i) => {
    const itemField = fieldPath(field, i);
    const name = str(item, 'Name');
    const scope = str(item, 'Scope');
    if (name === undefined || scope === undefined) problems.push(error(itemField, `entry ${i} needs string Name and Scope`));
    else entries.push({ name, scope, field: itemField });
  });
  return { entries, problems, field };
}

const gmsaAccounts: Rule = {
  slug: 'gmsa-entries',
  title: 'GroupManagedServiceAccounts has a DNS and a NetBIOS entry for the account',
  looksAt: 'ActiveDirectoryConfig.GroupManagedServiceAccounts: for MachineAccountName one entry whose Scope is DnsName and one whose Scope is NetBiosName; every entry a bare account name; additional accounts (New-CredentialSpec -AdditionalAccounts) with the scope of their own domain.',
  why: 'CCG looks the account up under both scopes; a missing or foreign scope, or a Name that is not the account, makes the lookup fail.',
  remediation: 'Regenerate with New-CredentialSpec or `gmsa-doctor credspec new`, or add {"Name": ACCOUNT, "Scope": DnsName} and {"Name": ACCOUNT, "Scope": NetBiosName}.',
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
      if (e.name.includes('$') || /[\\@]/.test(e.name)) out.push(error(`${e.field}.Name`, `Name "${e.name}" must be the bare account name, without $ or domain`));
    }
    const names = [...new Map(entries.map((e) => [e.name.toLowerCase(), e.name])).values()];
    if (!machine) return out;
    if (!names.some((n) => sameName(n, machine))) {
      out.push(error(field, `no entry names MachineAccountName ${machine}: the entries name ${names.join(', ')} instead`, { evidence: { MachineAccountName: machine, names } }));
      return out;
    }
    // The account itself: exactly the two scopes of its domain. Additional accounts carry their own domain's scope.
    const own = entries.filter((e) => sameName(e.name, machine));
    for (const e of own) {
      if (dns && nb && !sameName(e.scope, dns) && !sameName(e.scope, nb)) {
        out.push(error(`${e.field}.Scope`, `Scope "${e.scope}" of ${e.name} is neither DnsName (${dns}) nor NetBiosName (${nb})`, { evidence: { Scope: e.scope, DnsName: dns, NetBiosName: nb } }));
      }
    }
    if (dns && !own.some((e) => sameName(e.scope, dns))) out.push(error(field, `${machine} has no entry with the DNS scope ${dns}`, { remediation: { text: `Add {"Name": "${machine}", "Scope": "${dns}"}.` } }));
    if (nb && !own.some((e) => sameName(e.scope, nb))) out.push(error(field, `${machine} has no entry with the NetBIOS scope ${nb}`, { remediation: { text: `Add {"Name": "${machine}", "Scope": "${nb}"}.` } }));
    return out;
  },
};

const HOST_FIELD = 'ActiveDirectoryConfig.HostAccountConfig';
const LIST_PLUGINS = 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses';

const hostAccountConfig: Rule = {
  slug: 'host-account-config',
  title: 'HostAccountConfig is complete (non-domain-joined hosts)',
  looksAt: 'ActiveDirectoryConfig.HostAccountConfig: PortableCcgVersion "1" and a PluginInput for the plugin.',
  why: 'A non-domain-joined host retrieves the gMSA through a CCG plugin that CCG loads from PluginGUID and feeds PluginInput.',
  remediation: 'Set "PortableCcgVersion": "1" and the PluginInput your plugin documents.',
  check(doc) {
    const config = hostAccount(doc);
    if (config === undefined) return [];
    if (!isObject(config)) return [error(HOST_FIELD, 'HostAccountConfig must be an object')];
    const out: Diagnostic[] = [];
    const version = lookup(config, 'PortableCcgVersion');
    if (!version) out.push(error(HOST_FIELD, 'PortableCcgVersion is missing; it must be "1"'));
    else if (version.value === 1) out.push(warning(`${HOST_FIELD}.${version.key}`, 'PortableCcgVersion is the number 1; write the string "1"'));
    else if (version.value !== '1') out.push(error(`${HOST_FIELD}.${version.key}`, `PortableCcgVersion is ${JSON.stringify(version.value)}; it must be "1"`));
    const input = lookup(config, 'PluginInput');
    if (!input || input.value === '' || input.value === null) {
      out.push(error(HOST_FIELD, 'PluginInput is missing or empty: the plugin gets nothing to find the credentials with (CCG event 6)'));
    } else if (isObject(input.value)) {
      out.push({
        severity: 'info',
        field: `${HOST_FIELD}.${input.key}`,
        message: `PluginInput is an object (keys: ${Object.keys(input.value).join(', ')}): the AWS ECS domainless convention, which the ECS agent rewrites into the string CCG expects. Used directly on Windows, CCG needs a string.`,
      });
    } else if (typeof input.value !== 'string') {
      out.push(error(`${HOST_FIELD}.${input.key}`, 'PluginInput must be a string (the plugin\'s own format)'));
    }
    return out;
  },
};

const pluginGuid: Rule = {
  slug: 'plugin-guid',
  title: 'PluginGUID is a braced COM CLSID',
  looksAt: 'ActiveDirectoryConfig.HostAccountConfig.PluginGUID: {8-4-4-4-12 hexadecimal digits}.',
  why: 'CCG parses PluginGUID as a COM class id; anything else fails with CCG event 9 and the plugin is never loaded.',
  remediation: "Use the CLSID your plugin registers under HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses, with braces.",
  check(doc) {
    const config = hostAccount(doc);
    if (!isObject(config)) return [];
    const found = lookup(config, 'PluginGUID');
    if (!found) return [error(HOST_FIELD, 'PluginGUID is missing: CCG cannot know which plugin to load (CCG event 9)')];
    const field = `${HOST_FIELD}.${found.key}`;
    if (typeof found.value !== 'string') return [error(field, 'PluginGUID must be a string like {01BF101D-BFB6-433F-B416-02885CDC5AD3}')];
    const value = found.value;
    const inner = value.replace(/^\{|\}$/g, '');
    const nonHex = [...new Set(inner.replace(/-/g, '').match(/[^0-9a-f]/gi) ?? [])];
    if (nonHex.length) {
      const fromDocs = value.toUpperCase().startsWith('{GDMA0342') ? ": this is the troubleshooting guide's example value, not a real plugin's CLSID" : '';
      return [
        error(field, `PluginGUID ${value} contains ${nonHex.join(', ')}, which ${nonHex.length > 1 ? 'are' : 'is'} not hexadecimal${fromDocs}; CCG fails to parse it (event 9)`, {
          evidence: { PluginGUID: value, notHex: nonHex },
          remediation: { text: 'Use the CLSID your plugin registered on the host, with braces; list the registered plugins with:', commands: [LIST_PLUGINS] },
        }),
      ];
    }
    if (!GUID_PATTERN.test(inner)) return [error(field, `PluginGUID ${value} is not 8-4-4-4-12 hexadecimal digits`)];
    if (!value.startsWith('{') || !value.endsWith('}')) return [error(field, `PluginGUID ${value} needs braces: {${inner}}`, { remediation: { text: `Use "{${inner}}".` } })];
    return [];
  },
};

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, fieldPath(path, i), visit));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, fieldPath(path, k), visit);
}

const placeholders: Rule = {
  slug: 'placeholders',
  title: 'No placeholders or unrendered templates',
  looksAt: 'Every string value (and a resource\'s metadata.name): <...>, $name$, {{ ... }}, ${...}.',
  why: 'A value copied from documentation or a template that was never rendered names a domain, account or secret that does not exist.',
  remediation: 'Replace each placeholder with the real value, or render the template before use.',
  check(doc) {
    const out: Diagnostic[] = [];
    walkStrings(doc.spec, '', (text, path) => {
      const found = findPlaceholder(text);
      if (found) out.push(warning(path, `${path || 'value'} contains ${found.what}: ${found.token}`, { evidence: { placeholder: found.token } }));
    });
    const name = doc.k8s?.name;
    if (typeof name === 'string' && findPlaceholder(name)) {
      out.push(warning('metadata.name', `metadata.name is ${findPlaceholder(name)!.what}: ${name}`, { documentField: true }));
    }
    return out;
  },
};

const SECRET_ASSIGNMENT = /(?:^|[;,\s])(password|passwd|pwd|pass|secret|clientsecret|apikey|token)\s*=\s*([^;,\s]+)/i;

const plaintextSecret: Rule = {
  slug: 'plaintext-secret',
  title: 'PluginInput holds no plaintext password',
  looksAt: 'ActiveDirectoryConfig.HostAccountConfig.PluginInput: key=value pairs such as PASSWORD=..., and the domain:user:password form.',
  why: 'A credential spec is stored in DockerRootDir, in Kubernetes resources and in source control; a password inside it is readable by everyone who can read those.',
  remediation: 'Keep the password in a secret store your plugin reads (Key Vault, Vault, Secrets Manager) and put only its reference in PluginInput; rotate the exposed password.',
  check(doc) {
    const config = hostAccount(doc);
    const input = lookup(config, 'PluginInput');
    if (!input || typeof input.value !== 'string') return [];
    const field = `${HOST_FIELD}.${input.key}`;
    const assignment = SECRET_ASSIGNMENT.exec(input.value);
    if (assignment && !findPlaceholder(assignment[2]!)) {
      return [warning(field, `PluginInput contains a ${assignment[1]!.toUpperCase()}= value in plain text (value not shown)`)];
    }
    const parts = input.value.split(':');
    if (parts.length === 3 && /^[a-z0-9.-]+$/i.test(parts[0]!) && parts[2] && !findPlaceholder(parts[2])) {
      return [warning(field, 'PluginInput looks like domain:user:password with the password in plain text (value not shown)')];
    }
    return [];
  },
};

function knownKeysAt(path: string): readonly string[] | undefined {
  if (OPEN_OBJECTS.some((p) => p.test(path))) return undefined;
  return KNOWN_KEYS.find(([pattern]) => pattern.test(path))?.[1];
}

const unknownKeys: Rule = {
  slug: 'unknown-keys',
  title: 'No unknown or misspelled keys',
  looksAt: 'Every key of the credential spec (and of a GMSACredentialSpec resource) against the keys CCG reads, in their exact case.',
  why: 'A misspelled or wrongly cased key is ignored by some readers and rejected by others: the value it carries is lost.',
  remediation: 'Rename the key to the spelling shown.',
  check(doc) {
    const out: Diagnostic[] = [];
    const visit = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, fieldPath(path, i)));
      if (!isObject(value)) return;
      const known = knownKeysAt(path);
      if (!known) return;
      for (const [key, child] of Object.entries(value)) {
        const childPath = fieldPath(path, key);
        if (!known.includes(key)) {
          const near = closestKey(key, known);
          out.push(warning(childPath, `unknown key ${key}${near ? `: did you mean ${near}?` : ` (known here: ${known.join(', ')})`}`));
        }
        visit(child, childPath);
      }
    };
    visit(doc.spec, '');
    if (doc.specPath) {
      // The resource itself: apiVersion, kind, metadata, credspec.
      const top = Object.keys(doc.positions).filter((p) => /^[^.[]+$/.test(p));
      for (const key of top) {
        if (!(RESOURCE_KEYS as readonly string[]).includes(key)) {
          const near = closestKey(key, RESOURCE_KEYS);
          out.push(warning(key, `unknown resource key ${key}${near ? `: did you mean ${near}?` : ''}`, { documentField: true }));
        }
      }
    }
    return out;
  },
};

const duplicateKeys: Rule = {
  slug: 'duplicate-keys',
  title: 'No key appears twice',
  looksAt: 'Keys repeated inside one object or mapping.',
  why: 'Readers disagree on which of two values wins; strict YAML parsers (kubectl) reject the file.',
  remediation: 'Keep one of the two keys.',
  check(doc) {
    // Duplicate apiVersion/kind at the top of a resource are reported as glued resources instead.
    return doc.notes
      .filter((n) => n.kind === 'duplicate-key')
      .map((n) => warning(n.field, n.message, { documentField: true, position: n.position }));
  },
};

export const CREDSPEC_CONTENT_RULES: readonly Rule[] = [
  cmsPlugins,
  domainSid,
  machineAccountName,
  domainGuid,
  dnsNames,
  netbiosName,
  gmsaAccounts,
  hostAccountConfig,
  pluginGuid,
  placeholders,
  plaintextSecret,
  unknownKeys,
  duplicateKeys,
];
