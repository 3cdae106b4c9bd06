import { documentCheck } from './_document.js';
import { findPlaceholder, isFqdn } from '../../credspec/values.js';
import { error, isDiagnostic, requiredDomainField } from './_document.js';
import type { Diagnostic } from './_document.js';

export default documentCheck({
  id: 'credspec/dns-names',
  title: 'DnsTreeName and DnsName are the forest and domain FQDNs',
  looksAt:
    "DomainJoinConfig.DnsTreeName (forest root) and DnsName (the gMSA's domain): fully qualified; DnsName is the forest root or below it.",
  why: 'CCG locates a domain controller through these DNS names.',
  remediation: 'Use (Get-ADDomain).Forest for DnsTreeName and (Get-ADDomain).DNSRoot for DnsName.',
  check(doc) {
    const out: Diagnostic[] = [];
    const tree = requiredDomainField(doc, 'DnsTreeName');
    const name = requiredDomainField(doc, 'DnsName');
    for (const item of [tree, name]) {
      if (isDiagnostic(item)) out.push(item);
      else if (!isFqdn(item.value))
        out.push(
          error(
            item.field,
            `"${item.value}" is not a fully qualified DNS name${item.value.includes('.') || findPlaceholder(item.value) ? '' : ' (a NetBIOS name?)'}`,
          ),
        );
    }
    if (!isDiagnostic(tree) && !isDiagnostic(name) && out.length === 0) {
      const t = tree.value.toLowerCase().replace(/\.$/, '');
      const n = name.value.toLowerCase().replace(/\.$/, '');
      if (n !== t && !n.endsWith(`.${t}`)) {
        out.push(
          error(
            name.field,
            `DnsName ${name.value} is not in the forest ${tree.value} (it must equal DnsTreeName or end with .${tree.value})`,
            { evidence: { DnsTreeName: tree.value, DnsName: name.value } },
          ),
        );
      }
    }
    return out;
  },
});
