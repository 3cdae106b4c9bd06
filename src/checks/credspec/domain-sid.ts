import { documentCheck } from './_document.js';
import { parseDomainSid } from '../../credspec/identifiers.js';
import { error, isDiagnostic, requiredDomainField } from './_document.js';

export default documentCheck({
  id: 'credspec/domain-sid',
  title: 'Sid is the domain SID',
  looksAt: 'DomainJoinConfig.Sid: a domain SID has the form S-1-5-21-a-b-c.',
  why: "CCG uses the domain SID to build the gMSA's identity. A fourth sub-authority after 21 makes it an account SID: usually the gMSA's own SID pasted where the domain SID belongs.",
  remediation:
    'Use the domain SID: (Get-ADDomain).DomainSID, or regenerate the spec with New-CredentialSpec or `gmsa-doctor credspec new`.',
  check(doc) {
    const sid = requiredDomainField(doc, 'Sid');
    if (isDiagnostic(sid)) return [sid];
    const parsed = parseDomainSid(sid.value);
    if (parsed.kind === 'domain') return [];
    if (parsed.kind === 'account') {
      return [
        error(
          sid.field,
          `${sid.value} is an account SID (relative ID ${parsed.rid}), not a domain SID: the gMSA's own SID (or another account's) was pasted where the domain SID belongs`,
          {
            evidence: { sid: sid.value, domainSid: parsed.domainSid, rid: parsed.rid },
            remediation: {
              text: `Use the domain part, ${parsed.domainSid}, which is what (Get-ADDomain).DomainSID returns.`,
              commands: ['(Get-ADDomain).DomainSID.Value'],
            },
          },
        ),
      ];
    }
    return [
      error(
        sid.field,
        `${sid.value} is not a domain SID (${parsed.reason}); a domain SID looks like S-1-5-21-702590844-1001920913-2680819671`,
        { evidence: { sid: sid.value } },
      ),
    ];
  },
});
