/**
 * PowerShell's default list formatting (`Name : Value`, long values continued on indented lines), as printed by
 * Get-ADDomain, and the one-word answer of Test-ADServiceAccount.
 */
export function parseFormatList(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.replace(/\r/g, '').split('\n')) {
    const field = /^([A-Za-z][\w-]*)\s+:\s?(.*)$/.exec(line);
    if (field?.[1]) {
      last = field[1];
      fields[last] = (field[2] ?? '').trim();
    } else if (last && /^\s{4,}\S/.test(line)) {
      fields[last] = `${fields[last] ?? ''} ${line.trim()}`;
    } else if (line.trim() === '') {
      last = undefined;
    }
  }
  return fields;
}

export interface AdDomain {
  dnsRoot?: string;
  netbiosName?: string;
  domainSid?: string;
  objectGuid?: string;
  forest?: string;
  pdcEmulator?: string;
  distinguishedName?: string;
}

export function parseGetAdDomain(text: string): AdDomain {
  const f = parseFormatList(text);
  const pick = (key: string): string | undefined => (f[key] ? f[key] : undefined);
  const domain: AdDomain = {
    dnsRoot: pick('DNSRoot'),
    netbiosName: pick('NetBIOSName'),
    domainSid: pick('DomainSID'),
    objectGuid: pick('ObjectGUID'),
    forest: pick('Forest'),
    pdcEmulator: pick('PDCEmulator'),
    distinguishedName: pick('DistinguishedName'),
  };
  return Object.fromEntries(Object.entries(domain).filter(([, v]) => v !== undefined));
}

export interface TestAdServiceAccountResult {
  /** True or False as printed; undefined when the cmdlet did not answer (error, module missing). */
  result?: boolean;
  /** `WARNING: Test failed for Managed Service Account ...` */
  warning?: string;
  /** The first line of an error record, e.g. `Test-ADServiceAccount : Cannot find an object with identity ...`. */
  error?: string;
  /** The cmdlet is not there: the ActiveDirectory module (RSAT) is not installed. */
  moduleMissing: boolean;
}

export function parseTestAdServiceAccount(text: string): TestAdServiceAccountResult {
  const lines = text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.trim());
  const answer = lines.find((l) => /^(True|False)$/i.test(l));
  const warning = lines.find((l) => /^WARNING:/i.test(l));
  const error = lines.find((l) => /^Test-ADServiceAccount\s*:/i.test(l));
  const moduleMissing = lines.some((l) =>
    /is not recognized as the name of a cmdlet|module .*ActiveDirectory.* (was not|could not be) loaded/i.test(l),
  );
  // The cmdlet prints False after its "Test failed" warning; a paste or capture cut after the warning means the same.
  const result = answer
    ? answer.toLowerCase() === 'true'
    : warning && /\bTest failed\b/i.test(warning)
      ? false
      : undefined;
  return {
    ...(result !== undefined ? { result } : {}),
    ...(warning ? { warning: warning.replace(/^WARNING:\s*/i, '') } : {}),
    ...(error ? { error } : {}),
    moduleMissing,
  };
}
