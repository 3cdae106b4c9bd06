import { documentCheck } from './_document.js';
import { SAM_ILLEGAL } from '../../credspec/values.js';
import { error, isDiagnostic, requiredDomainField } from './_document.js';
import type { Diagnostic } from './_document.js';

function samNameProblems(value: string, field: string, label: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bare = value.replace(/^.*[\\@]|\..*$/g, '').replace(/\$+$/, '');
  if (/[\\@]/.test(value) || (value.includes('.') && !value.startsWith('$'))) {
    out.push(
      error(field, `${label} "${value}" has a domain part; write only the account name`, {
        remediation: { text: `Use "${bare}".` },
      }),
    );
  }
  if (value.includes('$')) {
    out.push(
      error(
        field,
        `${label} "${value}" contains $; gMSA names are written without the trailing $ in a credential spec`,
        { remediation: { text: `Use "${value.replace(/\$/g, '')}".` } },
      ),
    );
  }
  const withoutDollar = value.replace(/\$/g, '');
  if (withoutDollar.length > 15)
    out.push(
      error(
        field,
        `${label} "${value}" is ${withoutDollar.length} characters; a gMSA SAM account name has at most 15 (before the $)`,
      ),
    );
  const illegal = withoutDollar.replace(/^.*[\\@]/, '').match(SAM_ILLEGAL);
  if (illegal && !/[\\@]/.test(illegal[0]))
    out.push(error(field, `${label} "${value}" contains "${illegal[0]}", which is not allowed in a SAM account name`));
  return out;
}

export default documentCheck({
  id: 'credspec/machine-account-name',
  title: 'MachineAccountName is the bare gMSA name',
  looksAt: 'DomainJoinConfig.MachineAccountName: no domain part, no $, at most 15 characters, legal SAM characters.',
  why: 'CCG appends the $ and the domain itself; a name with either, or one longer than a SAM account name can be, names an account that does not exist.',
  remediation: 'Write the gMSA SAM account name without the trailing $ and without the domain, e.g. "webapp01".',
  check(doc) {
    const name = requiredDomainField(doc, 'MachineAccountName');
    if (isDiagnostic(name)) return [name];
    return samNameProblems(name.value, name.field, 'MachineAccountName');
  },
});
