import { documentCheck } from './_document.js';
import { NETBIOS_ILLEGAL } from '../../credspec/values.js';
import { error, isDiagnostic, requiredDomainField } from './_document.js';
import type { Diagnostic } from './_document.js';

export default documentCheck({
  id: 'credspec/netbios-name',
  title: 'NetBiosName is a NetBIOS domain name',
  looksAt: 'DomainJoinConfig.NetBiosName: at most 15 characters, no dots or reserved characters.',
  why: 'The NetBIOS name is the second scope of the gMSA entries and how down-level names (CONTOSO\\webapp01$) are formed.',
  remediation: 'Use (Get-ADDomain).NetBIOSName.',
  check(doc) {
    const nb = requiredDomainField(doc, 'NetBiosName');
    if (isDiagnostic(nb)) return [nb];
    const out: Diagnostic[] = [];
    if (nb.value.length > 15)
      out.push(
        error(nb.field, `NetBiosName "${nb.value}" is ${nb.value.length} characters; NetBIOS names have at most 15`),
      );
    const illegal = nb.value.match(NETBIOS_ILLEGAL);
    if (illegal)
      out.push(
        error(
          nb.field,
          `NetBiosName "${nb.value}" contains "${illegal[0]}"${illegal[0] === '.' ? ': it looks like a DNS name, not the NetBIOS name' : ', which NetBIOS names do not allow'}`,
        ),
      );
    return out;
  },
});
