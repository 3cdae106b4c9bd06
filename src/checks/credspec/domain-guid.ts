import { documentCheck } from './_document.js';
import { GUID_PATTERN } from '../../credspec/identifiers.js';
import { error, isDiagnostic, requiredDomainField, warning } from './_document.js';

export default documentCheck({
  id: 'credspec/domain-guid',
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
});
